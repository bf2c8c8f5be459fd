// Package identity is the product's four IAM roles (CodeBuild, CodePipeline,
// SageMaker execution, EventBridge), each trusting one service principal of
// this account, with inline policies scoped to the product's resources.
package identity

import (
	"github.com/mlprov/mlprov/internal/naming"
	"github.com/mlprov/mlprov/internal/policydoc"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Type is the component's type token.
const Type = "mlprov:identity:Roles"

// RoleNames are the physical role names.
type RoleNames struct {
	CodeBuild, CodePipeline, SageMaker, Events string
}

// Access is what the roles may touch: every ARN is built from names, so the
// roles can exist before the resources they use.
type Access struct {
	ARNs              naming.ARNs
	Roles             RoleNames
	ArtifactBucket    string
	ModelPackageGroup string
	// ResourcePrefix starts the names of SageMaker models, endpoints and
	// pipelines the product's code creates ({base}).
	ResourcePrefix                string
	BuildProject, DeployProject   string
	BuildLogGroups                []string
	BuildPipeline, DeployPipeline string
	// SourceRead is what the pipeline role needs to read the source.
	SourceRead []policydoc.Statement
	// InVPC adds the network interface permissions CodeBuild and SageMaker
	// jobs need in a VPC.
	InVPC bool
	// BuildStartsOnEvent lets EventBridge start the build pipeline too (a
	// source-change rule).
	BuildStartsOnEvent bool
	// ApprovalTopic, when set, is the SNS topic the pipeline role notifies
	// when a deploy waits for manual approval.
	ApprovalTopic string
}

// Args configures the roles.
type Args struct {
	Access Access
	// PermissionBoundaryArn is attached to every role when set.
	PermissionBoundaryArn pulumi.StringInput
	Tags                  map[string]string
}

// Roles are the product roles.
type Roles struct {
	pulumi.ResourceState

	CodeBuildArn, CodePipelineArn, SageMakerArn, EventsArn pulumi.StringOutput
	// Each role's inline policy: a resource that assumes a role depends on it,
	// so its first use does not race the policy attachment.
	CodeBuildPolicy, CodePipelinePolicy, SageMakerPolicy, EventsPolicy pulumi.Resource
}

// role is one role's definition.
type role struct {
	key, name, service, description string
	policy                          policydoc.Document
	arn                             *pulumi.StringOutput
	attached                        *pulumi.Resource
}

// New creates the roles and their inline policies.
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*Roles, error) {
	c := &Roles{}
	if err := ctx.RegisterComponentResource(Type, name, c, opts...); err != nil {
		return nil, err
	}
	p := Policies(args.Access)
	r := args.Access.Roles
	roles := []role{
		{"codebuild", r.CodeBuild, "codebuild", "Runs the model build and deploy projects", p.CodeBuild, &c.CodeBuildArn, &c.CodeBuildPolicy},
		{"codepipeline", r.CodePipeline, "codepipeline", "Runs the model build and deploy pipelines", p.CodePipeline, &c.CodePipelineArn, &c.CodePipelinePolicy},
		{"sagemaker-execution", r.SageMaker, "sagemaker", "SageMaker jobs, pipelines and endpoints of the product", p.SageMaker, &c.SageMakerArn, &c.SageMakerPolicy},
		{"events", r.Events, "events", "Starts the deploy pipeline when a model is approved", p.Events, &c.EventsArn, &c.EventsPolicy},
	}
	for _, rl := range roles {
		created, err := iam.NewRole(ctx, name+"-"+rl.key, &iam.RoleArgs{
			Name:                pulumi.String(rl.name),
			Description:         pulumi.String(rl.description),
			AssumeRolePolicy:    pulumi.String(TrustPolicy(args.Access.ARNs, rl.service).JSON()),
			PermissionsBoundary: args.PermissionBoundaryArn,
			Tags:                pulumi.ToStringMap(args.Tags),
		}, pulumi.Parent(c))
		if err != nil {
			return nil, err
		}
		policy, err := iam.NewRolePolicy(ctx, name+"-"+rl.key+"-policy", &iam.RolePolicyArgs{
			Name:   pulumi.String(rl.name + "-policy"),
			Role:   created.ID(),
			Policy: pulumi.String(rl.policy.JSON()),
		}, pulumi.Parent(c))
		if err != nil {
			return nil, err
		}
		*rl.arn, *rl.attached = created.Arn, policy
	}
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"codeBuildRoleArn": c.CodeBuildArn, "codePipelineRoleArn": c.CodePipelineArn,
		"sageMakerExecutionRoleArn": c.SageMakerArn, "eventsRoleArn": c.EventsArn,
	})
}

// All returns every role ARN (for the key policy).
func (c *Roles) All() pulumi.StringArray {
	return pulumi.StringArray{c.CodeBuildArn, c.CodePipelineArn, c.SageMakerArn, c.EventsArn}
}

// TrustPolicy lets one service of this account assume the role.
func TrustPolicy(arns naming.ARNs, service string) policydoc.Document {
	return policydoc.New(policydoc.Statement{
		Sid:       "TrustService",
		Effect:    "Allow",
		Principal: &policydoc.Principal{Service: []string{naming.ServicePrincipal(service)}},
		Action:    []string{"sts:AssumeRole"},
	}.When("StringEquals", "aws:SourceAccount", arns.Account))
}
