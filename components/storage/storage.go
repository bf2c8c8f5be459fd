// Package storage is the artifact bucket: an S3 bucket with its security
// settings as the split resources (encryption, versioning, public access
// block, ownership controls, TLS-only policy).
package storage

import (
	"github.com/mlprov/mlprov/internal/naming"
	"github.com/mlprov/mlprov/internal/policydoc"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Type is the component's type token.
const Type = "mlprov:storage:ArtifactBucket"

// Args configures the bucket.
type Args struct {
	BucketName string
	// KMSKeyArn selects SSE-KMS with this key; nil means SSE-S3 (AES256).
	KMSKeyArn pulumi.StringInput
	// Protect guards the bucket against deletion (production).
	Protect bool
	// ServiceAccess are bucket policy statements for the AWS services that
	// write to the bucket (CloudTrail), after the TLS-only statement.
	ServiceAccess []policydoc.Statement
	// EmptyOnDelete deletes every object version before the bucket itself:
	// S3 refuses DeleteBucket (BucketNotEmpty) while any version exists, and
	// the pipelines write to this versioned bucket. Set it only where mlprov
	// may delete the bucket unasked (test copies, non-production); production
	// gets it at delete-product --force time (engine.Unprotect).
	EmptyOnDelete bool
	ARNs          naming.ARNs
	Tags          map[string]string
}

// ArtifactBucket is a product bucket (the pipelines' artifact store, the audit trail's archive).
type ArtifactBucket struct {
	pulumi.ResourceState

	BucketName pulumi.StringOutput
	BucketArn  pulumi.StringOutput
	// Policy is the bucket policy: a service writing to the bucket waits for it.
	Policy pulumi.Resource
}

// New creates the bucket and its settings.
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*ArtifactBucket, error) {
	c := &ArtifactBucket{}
	if err := ctx.RegisterComponentResource(Type, name, c, opts...); err != nil {
		return nil, err
	}
	bucket, err := s3.NewBucketV2(ctx, name, &s3.BucketV2Args{
		Bucket:       pulumi.String(args.BucketName),
		ForceDestroy: pulumi.Bool(args.EmptyOnDelete),
		Tags:         pulumi.ToStringMap(args.Tags),
	}, pulumi.Parent(c), pulumi.Protect(args.Protect))
	if err != nil {
		return nil, err
	}
	child := []pulumi.ResourceOption{pulumi.Parent(c)}

	rule := s3.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs{
		SseAlgorithm: pulumi.String("AES256"),
	}
	if args.KMSKeyArn != nil {
		rule.SseAlgorithm = pulumi.String("aws:kms")
		rule.KmsMasterKeyId = args.KMSKeyArn
	}
	if _, err := s3.NewBucketServerSideEncryptionConfigurationV2(ctx, name+"-encryption", &s3.BucketServerSideEncryptionConfigurationV2Args{
		Bucket: bucket.ID(),
		Rules: s3.BucketServerSideEncryptionConfigurationV2RuleArray{
			s3.BucketServerSideEncryptionConfigurationV2RuleArgs{
				ApplyServerSideEncryptionByDefault: rule,
				BucketKeyEnabled:                   pulumi.Bool(args.KMSKeyArn != nil),
			},
		},
	}, child...); err != nil {
		return nil, err
	}
	if _, err := s3.NewBucketVersioningV2(ctx, name+"-versioning", &s3.BucketVersioningV2Args{
		Bucket:                  bucket.ID(),
		VersioningConfiguration: s3.BucketVersioningV2VersioningConfigurationArgs{Status: pulumi.String("Enabled")},
	}, child...); err != nil {
		return nil, err
	}
	publicAccess, err := s3.NewBucketPublicAccessBlock(ctx, name+"-public-access", &s3.BucketPublicAccessBlockArgs{
		Bucket:                bucket.ID(),
		BlockPublicAcls:       pulumi.Bool(true),
		BlockPublicPolicy:     pulumi.Bool(true),
		IgnorePublicAcls:      pulumi.Bool(true),
		RestrictPublicBuckets: pulumi.Bool(true),
	}, child...)
	if err != nil {
		return nil, err
	}
	if _, err := s3.NewBucketOwnershipControls(ctx, name+"-ownership", &s3.BucketOwnershipControlsArgs{
		Bucket: bucket.ID(),
		Rule:   s3.BucketOwnershipControlsRuleArgs{ObjectOwnership: pulumi.String("BucketOwnerEnforced")},
	}, child...); err != nil {
		return nil, err
	}
	// The policy waits for the public access block: AWS rejects policy writes
	// while the block is being changed.
	policy, err := s3.NewBucketPolicy(ctx, name+"-policy", &s3.BucketPolicyArgs{
		Bucket: bucket.ID(),
		Policy: pulumi.String(policydoc.New(append(TLSOnlyPolicy(args.ARNs, args.BucketName).Statement, args.ServiceAccess...)...).JSON()),
	}, pulumi.Parent(c), pulumi.DependsOn([]pulumi.Resource{publicAccess}))
	if err != nil {
		return nil, err
	}
	c.Policy = policy
	c.BucketName = bucket.Bucket
	c.BucketArn = bucket.Arn
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{"bucketName": c.BucketName, "bucketArn": c.BucketArn})
}

// TLSOnlyPolicy denies every request to the bucket that is not made over TLS.
func TLSOnlyPolicy(arns naming.ARNs, bucket string) policydoc.Document {
	deny := policydoc.Statement{
		Sid:       "DenyInsecureTransport",
		Effect:    "Deny",
		Principal: &policydoc.Principal{AWS: []string{"*"}},
		Action:    []string{"s3:*"},
		Resource:  []string{arns.Bucket(bucket), arns.Objects(bucket)},
	}
	return policydoc.New(deny.When("Bool", "aws:SecureTransport", "false"))
}
