// Package encryption is the product's customer managed KMS key and its alias.
package encryption

import (
	"github.com/mlprov/mlprov/internal/naming"
	"github.com/mlprov/mlprov/internal/policydoc"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Type is the component's type token.
const Type = "mlprov:encryption:ProductKey"

// Args configures the key.
type Args struct {
	Alias       string
	Description string
	// DeletionWindowDays is 7..30.
	DeletionWindowDays int
	// RoleArns are the product roles allowed to use the key.
	RoleArns pulumi.StringArrayInput
	// LogGroupNames are the log groups CloudWatch Logs may encrypt with the key.
	LogGroupNames []string
	// AlarmsAndEvents lets CloudWatch alarms and EventBridge publish to a
	// topic encrypted with the key.
	AlarmsAndEvents bool
	// ServiceAccess are further key policy statements for AWS services that
	// encrypt with the key (CloudTrail).
	ServiceAccess []policydoc.Statement
	Protect       bool
	ARNs          naming.ARNs
	Tags          map[string]string
}

// ProductKey is the key and its alias.
type ProductKey struct {
	pulumi.ResourceState

	KeyArn pulumi.StringOutput
	KeyID  pulumi.StringOutput
}

// Actions that use a key for data; administration stays with the account root.
var useActions = []string{
	"kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo",
	"kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:DescribeKey",
}

// rootActions is what the key policy grants the account root: kms:*, the
// form AWS documents as the default key policy. It does not open the key to
// everyone in the account; it delegates to IAM, so an IAM policy can grant the
// key to the consumers of the KmsKeyArn output (e.g. SageMaker Studio volumes,
// which need CreateGrant and ReEncrypt*), and the key can never become
// unmanageable. https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam
var rootActions = []string{"kms:*"}

// New creates the key (rotation on) and its alias.
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*ProductKey, error) {
	c := &ProductKey{}
	if err := ctx.RegisterComponentResource(Type, name, c, opts...); err != nil {
		return nil, err
	}
	if args.RoleArns == nil {
		// A key used only by AWS services (the alerts topic's) names no roles.
		args.RoleArns = pulumi.StringArray{}
	}
	key, err := kms.NewKey(ctx, name, &kms.KeyArgs{
		Description:          pulumi.String(args.Description),
		EnableKeyRotation:    pulumi.Bool(true),
		DeletionWindowInDays: pulumi.Int(args.DeletionWindowDays),
		Policy: policydoc.Output(args.RoleArns, func(roles []string) policydoc.Document {
			return KeyPolicy(args, roles)
		}),
		Tags: pulumi.ToStringMap(args.Tags),
	}, pulumi.Parent(c), pulumi.Protect(args.Protect))
	if err != nil {
		return nil, err
	}
	if _, err := kms.NewAlias(ctx, name+"-alias", &kms.AliasArgs{
		Name:        pulumi.String(args.Alias),
		TargetKeyId: key.KeyId,
	}, pulumi.Parent(c)); err != nil {
		return nil, err
	}
	c.KeyArn, c.KeyID = key.Arn, key.KeyId
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{"keyArn": c.KeyArn, "keyId": c.KeyID})
}

// KeyPolicy names only the account root, the product roles and the service
// principals that encrypt on the product's behalf.
func KeyPolicy(args Args, roleArns []string) policydoc.Document {
	a := args.ARNs
	statements := []policydoc.Statement{
		policydoc.Allow("EnableIAMPolicies", rootActions, []string{"*"}).
			For(policydoc.Principal{AWS: []string{a.AccountRoot()}}),
	}
	if len(roleArns) > 0 {
		statements = append(statements, policydoc.Allow("ProductRoles", append([]string{"kms:CreateGrant"}, useActions...), []string{"*"}).
			For(policydoc.Principal{AWS: roleArns}))
	}
	if len(args.LogGroupNames) > 0 {
		groups := make([]string, len(args.LogGroupNames))
		for i, g := range args.LogGroupNames {
			groups[i] = a.LogGroup(g)
		}
		statements = append(statements, policydoc.Allow("CloudWatchLogs",
			[]string{"kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey", "kms:DescribeKey"},
			[]string{"*"}).
			For(policydoc.Principal{Service: []string{a.RegionalServicePrincipal("logs")}}).
			When("ArnEquals", "kms:EncryptionContext:aws:logs:arn", groups...))
	}
	if args.AlarmsAndEvents {
		statements = append(statements, policydoc.Allow("AlarmsAndEventsPublishToTopic",
			[]string{"kms:Decrypt", "kms:GenerateDataKey"}, []string{"*"}).
			For(policydoc.Principal{Service: []string{naming.ServicePrincipal("cloudwatch"), naming.ServicePrincipal("events")}}).
			When("StringEquals", "aws:SourceAccount", a.Account))
	}
	return policydoc.New(append(statements, args.ServiceAccess...)...)
}
