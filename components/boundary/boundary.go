// Package boundary is the permission boundary: a managed policy that caps
// every product role at the union of the product's role policies, so no role
// can reach beyond the product's own resources even if its inline policy is
// widened later.
package boundary

import (
	"encoding/json"

	"github.com/mlprov/mlprov/components/policydoc"
	"github.com/mlprov/mlprov/internal/naming"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Type is the component's type token.
const Type = "mlprov:boundary:PermissionBoundary"

// Args configures the boundary.
type Args struct {
	PolicyName string
	// Policies are the role policies the boundary must allow.
	Policies []policydoc.Document
	// KeyAlias, when set, allows using the product key (named by alias, as the
	// key is created after the roles).
	KeyAlias string
	ARNs     naming.ARNs
	Tags     map[string]string
}

// PermissionBoundary is the managed policy.
type PermissionBoundary struct {
	pulumi.ResourceState

	PolicyArn pulumi.StringOutput
}

// New creates the boundary policy.
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*PermissionBoundary, error) {
	c := &PermissionBoundary{}
	if err := ctx.RegisterComponentResource(Type, name, c, opts...); err != nil {
		return nil, err
	}
	policy, err := iam.NewPolicy(ctx, name, &iam.PolicyArgs{
		Name:        pulumi.String(args.PolicyName),
		Description: pulumi.String("Permission boundary: confines the product roles to the product's resources"),
		Policy:      pulumi.String(Document(args).JSON()),
		Tags:        pulumi.ToStringMap(args.Tags),
	}, pulumi.Parent(c))
	if err != nil {
		return nil, err
	}
	c.PolicyArn = policy.Arn
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{"policyArn": c.PolicyArn})
}

// Document is the union of the role policies (identical statements once),
// plus use of the product key when there is one.
func Document(args Args) policydoc.Document {
	var out []policydoc.Statement
	seen := map[string]bool{}
	for _, doc := range args.Policies {
		for _, s := range doc.Statement {
			s.Sid = ""
			k, _ := json.Marshal(s)
			if seen[string(k)] {
				continue
			}
			seen[string(k)] = true
			out = append(out, s)
		}
	}
	if args.KeyAlias != "" {
		out = append(out, policydoc.Allow("", []string{"kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom",
			"kms:ReEncryptTo", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:DescribeKey",
			"kms:CreateGrant"}, []string{args.ARNs.Keys()}).
			When("ForAnyValue:StringEquals", "kms:ResourceAliases", args.KeyAlias))
	}
	return policydoc.New(out...)
}
