// Package registry is the model registry: a SageMaker model package group
// created with pulumi-aws-native.
package registry

import (
	"sort"

	awsnative "github.com/pulumi/pulumi-aws-native/sdk/go/aws"
	"github.com/pulumi/pulumi-aws-native/sdk/go/aws/sagemaker"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Type is the component's type token.
const Type = "mlprov:registry:ModelRegistry"

// PendingManualApproval is the approval status new model versions are
// registered with. AWS sets it per model package (CreateModelPackage), not on
// the group, so the build project receives it as MODEL_APPROVAL_STATUS.
const PendingManualApproval = "PendingManualApproval"

// Args configures the registry.
type Args struct {
	GroupName   string
	Description string
	// Protect guards the group against deletion (production).
	Protect bool
	Tags    map[string]string
}

// ModelRegistry is the model package group.
type ModelRegistry struct {
	pulumi.ResourceState

	GroupName pulumi.StringOutput
	GroupArn  pulumi.StringOutput
}

// New creates the model package group.
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*ModelRegistry, error) {
	c := &ModelRegistry{}
	if err := ctx.RegisterComponentResource(Type, name, c, opts...); err != nil {
		return nil, err
	}
	group, err := sagemaker.NewModelPackageGroup(ctx, name+"-models", &sagemaker.ModelPackageGroupArgs{
		ModelPackageGroupName:        pulumi.String(args.GroupName),
		ModelPackageGroupDescription: pulumi.String(args.Description),
		Tags:                         TagList(args.Tags),
	}, pulumi.Parent(c), pulumi.Protect(args.Protect))
	if err != nil {
		return nil, err
	}
	c.GroupName = group.ModelPackageGroupName
	c.GroupArn = group.ModelPackageGroupArn
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"groupName": c.GroupName,
		"groupArn":  c.GroupArn,
	})
}

// TagList converts a tag map to aws-native's key/value list, sorted by key so
// the inputs are stable between runs.
func TagList(tags map[string]string) awsnative.TagArray {
	keys := make([]string, 0, len(tags))
	for k := range tags {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make(awsnative.TagArray, 0, len(keys))
	for _, k := range keys {
		out = append(out, awsnative.TagArgs{Key: pulumi.String(k), Value: pulumi.String(tags[k])})
	}
	return out
}
