package monitoring

import (
	"github.com/mlprov/mlprov/internal/naming"
	"github.com/mlprov/mlprov/internal/policydoc"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudtrail"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// TrailType is the audit trail component's type token.
const TrailType = "mlprov:monitoring:AuditTrail"

// TrailArgs configures the trail that feeds the compliance log group.
type TrailArgs struct {
	TrailName string
	// BucketName is the bucket the trail archives to; its policy (BucketPolicy,
	// which the trail waits for) must hold TrailBucketStatements.
	BucketName   pulumi.StringInput
	BucketPolicy pulumi.Resource
	// LogGroupName is the compliance log group the metric filters read
	// (an output, so the trail waits for the group).
	LogGroupName pulumi.StringOutput
	// RoleName is the role CloudTrail assumes to write to the log group.
	RoleName              string
	PermissionBoundaryArn pulumi.StringInput
	// KMSKeyArn encrypts the log files; its policy must hold TrailKeyStatement.
	KMSKeyArn pulumi.StringInput
	ARNs      naming.ARNs
	Tags      map[string]string
}

// AuditTrail is a multi-region CloudTrail trail delivering to CloudWatch Logs.
type AuditTrail struct {
	pulumi.ResourceState

	TrailArn pulumi.StringOutput
}

// NewTrail creates the delivery role and the trail. Multi-region with global
// service events, because root sign-ins and IAM calls are global-service
// events recorded in us-east-1 only
// (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-concepts.html#cloudtrail-concepts-global-service-events).
func NewTrail(ctx *pulumi.Context, name string, args TrailArgs, opts ...pulumi.ResourceOption) (*AuditTrail, error) {
	c := &AuditTrail{}
	if err := ctx.RegisterComponentResource(TrailType, name, c, opts...); err != nil {
		return nil, err
	}
	a := args.ARNs
	trust := policydoc.New(policydoc.Statement{
		Sid: "TrustCloudTrail", Effect: "Allow",
		Principal: &policydoc.Principal{Service: []string{naming.ServicePrincipal("cloudtrail")}},
		Action:    []string{"sts:AssumeRole"},
	}.When("StringEquals", "aws:SourceAccount", a.Account))
	role, err := iam.NewRole(ctx, name+"-role", &iam.RoleArgs{
		Name:                pulumi.String(args.RoleName),
		Description:         pulumi.String("CloudTrail delivers the product's audit events to the compliance log group"),
		AssumeRolePolicy:    pulumi.String(trust.JSON()),
		PermissionsBoundary: args.PermissionBoundaryArn,
		Tags:                pulumi.ToStringMap(args.Tags),
	}, pulumi.Parent(c))
	if err != nil {
		return nil, err
	}
	policy, err := iam.NewRolePolicy(ctx, name+"-role-policy", &iam.RolePolicyArgs{
		Name:   pulumi.String(args.RoleName + "-policy"),
		Role:   role.ID(),
		Policy: args.LogGroupName.ApplyT(func(g string) string { return TrailDeliveryPolicy(a, g).JSON() }).(pulumi.StringOutput),
	}, pulumi.Parent(c))
	if err != nil {
		return nil, err
	}
	trail, err := cloudtrail.NewTrail(ctx, name, &cloudtrail.TrailArgs{
		Name:                       pulumi.String(args.TrailName),
		S3BucketName:               args.BucketName,
		IsMultiRegionTrail:         pulumi.Bool(true),
		IncludeGlobalServiceEvents: pulumi.Bool(true),
		EnableLogFileValidation:    pulumi.Bool(true),
		EnableLogging:              pulumi.Bool(true),
		KmsKeyId:                   args.KMSKeyArn,
		// CloudTrail wants the log group ARN with its ":*" stream suffix.
		CloudWatchLogsGroupArn: args.LogGroupName.ApplyT(a.LogGroupChildren).(pulumi.StringOutput),
		CloudWatchLogsRoleArn:  role.Arn,
		Tags:                   pulumi.ToStringMap(args.Tags),
	}, pulumi.Parent(c), pulumi.DependsOn([]pulumi.Resource{policy, args.BucketPolicy}))
	if err != nil {
		return nil, err
	}
	c.TrailArn = trail.Arn
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{"trailArn": c.TrailArn})
}

// TrailDeliveryPolicy lets CloudTrail write streams of the log group
// (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-required-policy-for-cloudwatch-logs.html).
func TrailDeliveryPolicy(a naming.ARNs, logGroup string) policydoc.Document {
	return policydoc.New(policydoc.Allow("DeliverAuditEvents", []string{"logs:CreateLogStream", "logs:PutLogEvents"},
		[]string{a.LogStreams(logGroup)}))
}

// TrailBucketStatements let the trail (only) check the bucket ACL and write
// its log files under AWSLogs/{account}/
// (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html).
func TrailBucketStatements(a naming.ARNs, bucket, trail string) []policydoc.Statement {
	trailArn := a.Trail(trail)
	cloudTrail := policydoc.Principal{Service: []string{naming.ServicePrincipal("cloudtrail")}}
	return []policydoc.Statement{
		policydoc.Allow("CloudTrailAclCheck", []string{"s3:GetBucketAcl"}, []string{a.Bucket(bucket)}).
			For(cloudTrail).When("StringEquals", "aws:SourceArn", trailArn),
		policydoc.Allow("CloudTrailWrite", []string{"s3:PutObject"}, []string{a.Object(bucket + "/AWSLogs/" + a.Account + "/*")}).
			For(cloudTrail).When("StringEquals", "aws:SourceArn", trailArn).
			When("StringEquals", "s3:x-amz-acl", "bucket-owner-full-control"),
	}
}

// TrailKeyStatement lets the trail encrypt its log files with the key
// (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html).
func TrailKeyStatement(a naming.ARNs, trail string) policydoc.Statement {
	return policydoc.Allow("CloudTrailEncryptLogs", []string{"kms:GenerateDataKey*", "kms:DescribeKey"}, []string{"*"}).
		For(policydoc.Principal{Service: []string{naming.ServicePrincipal("cloudtrail")}}).
		When("StringEquals", "aws:SourceArn", a.Trail(trail)).
		When("StringLike", "kms:EncryptionContext:aws:cloudtrail:arn", "arn:"+a.Partition+":cloudtrail:*:"+a.Account+":trail/*")
}
