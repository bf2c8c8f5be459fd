// Package boundary is the permission boundary: a managed policy that caps
// every product role at the services and resources the product's role
// policies use, so no role can reach beyond the product's own resources even
// if its inline policy is widened later.
package boundary

import (
	"encoding/json"
	"slices"
	"sort"
	"strings"

	"github.com/mlprov/mlprov/internal/naming"
	"github.com/mlprov/mlprov/internal/policydoc"
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
	// ResourcePrefixes are the stems of the product's physical names (the
	// regional base and the IAM base): a resource named with one is capped
	// as stem* rather than by its full name.
	ResourcePrefixes []string
	ARNs             naming.ARNs
	Tags             map[string]string
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

// conditionKept lists the actions whose role-policy condition the boundary
// repeats: every identity policy granting iam:PassRole names the services the
// role may be passed to (policy rule MLP-IAM-005). Other conditions stay in
// the role policies only; the boundary is a coarse cap.
var conditionKept = map[string]bool{"iam:PassRole": true}

// serviceCap is what the boundary allows on one service.
type serviceCap struct {
	scoped    map[string]bool // actions granted on the service's product resources
	resources map[string]bool
	anywhere  map[string]bool // actions AWS cannot scope, granted on "*"
}

// Document is a coarse cap sized to fit IAM's 6,144-character managed policy
// quota with room to spare: per service, every action the roles use on that
// service, on the product-prefixed ARNs (and any other resource) the roles
// name for it, with no conditions; plus use of the product key by alias when there is one. Its size
// grows with the number of services and resource names, not with the number
// of role statements. validate-config checks the size for every config
// (naming/config quota checks), and the test suite for the longest names.
func Document(args Args) policydoc.Document {
	caps := map[string]*serviceCap{}
	var kept []policydoc.Statement
	seenKept := map[string]bool{}
	for _, doc := range args.Policies {
		for _, s := range doc.Statement {
			// A boundary only caps what is allowed; a role's Deny (such as
			// the approval-status guard) stays in the role policy.
			if s.Effect != "Allow" {
				continue
			}
			for _, action := range s.Action {
				if conditionKept[action] {
					k := policydoc.Allow("", []string{action}, s.Resource)
					k.Condition = s.Condition
					if key, _ := json.Marshal(k); !seenKept[string(key)] {
						seenKept[string(key)] = true
						kept = append(kept, k)
					}
					continue
				}
				service, _, _ := strings.Cut(action, ":")
				c := caps[service]
				if c == nil {
					c = &serviceCap{scoped: map[string]bool{}, resources: map[string]bool{}, anywhere: map[string]bool{}}
					caps[service] = c
				}
				if slices.Contains(s.Resource, "*") {
					c.anywhere[action] = true
					continue
				}
				c.scoped[action] = true
				for _, r := range s.Resource {
					c.resources[productPrefixed(r, args.ResourcePrefixes)] = true
				}
			}
		}
	}
	var out []policydoc.Statement
	for _, service := range sortedKeys(caps) {
		c := caps[service]
		if len(c.scoped) > 0 {
			out = append(out, policydoc.Allow("", sortedKeys(c.scoped), withoutCovered(sortedKeys(c.resources))))
		}
		if len(c.anywhere) > 0 {
			out = append(out, policydoc.Allow("", sortedKeys(c.anywhere), []string{"*"}))
		}
	}
	out = append(out, kept...)
	if args.KeyAlias != "" {
		out = append(out, policydoc.Allow("", []string{"kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom",
			"kms:ReEncryptTo", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:DescribeKey",
			"kms:CreateGrant"}, []string{args.ARNs.Keys()}).
			When("ForAnyValue:StringEquals", "kms:ResourceAliases", args.KeyAlias))
	}
	return policydoc.New(out...)
}

// productPrefixed cuts an ARN after the product's name stem and ends it with
// "*" (…:project/{base}-build → …:project/{base}*), so every resource of one
// type the product names costs one entry, whatever its suffix.
func productPrefixed(arn string, prefixes []string) string {
	for _, p := range prefixes {
		if p == "" {
			continue
		}
		if i := strings.Index(arn, p); i >= 0 {
			return arn[:i+len(p)] + "*"
		}
	}
	return arn
}

// withoutCovered drops each resource another pattern of the list already
// matches (model/* covers model/{prefix}*), as IAM would match it.
func withoutCovered(resources []string) []string {
	var out []string
	for _, r := range resources {
		covered := slices.ContainsFunc(resources, func(other string) bool {
			return other != r && globMatch(other, r)
		})
		if !covered {
			out = append(out, r)
		}
	}
	return out
}

// globMatch matches value against an IAM resource pattern (* any run, ? one character).
func globMatch(pattern, value string) bool {
	if pattern == "" {
		return value == ""
	}
	switch pattern[0] {
	case '*':
		for i := 0; i <= len(value); i++ {
			if globMatch(pattern[1:], value[i:]) {
				return true
			}
		}
		return false
	case '?':
		return value != "" && globMatch(pattern[1:], value[1:])
	}
	return value != "" && value[0] == pattern[0] && globMatch(pattern[1:], value[1:])
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
