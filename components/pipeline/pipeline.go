// Package pipeline is the model build and deploy automation: two CodeBuild
// projects with their log groups, two CodePipeline V2 pipelines, and the
// EventBridge rule that starts the deploy pipeline when a model version in
// the product's group is approved.
package pipeline

import (
	"encoding/json"
	"strings"

	"github.com/mlprov/mlprov/components/source"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/codebuild"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/codepipeline"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Type is the component's type token.
const Type = "mlprov:pipeline:ModelPipelines"

// Build environment variable names the model code reads.
const (
	EnvModelPackageGroupName = "MODEL_PACKAGE_GROUP_NAME"
	EnvArtifactBucket        = "ARTIFACT_BUCKET"
	EnvSageMakerRoleArn      = "SAGEMAKER_ROLE_ARN"
	EnvModelApprovalStatus   = "MODEL_APPROVAL_STATUS"
	// In a VPC: where the SageMaker jobs a build starts must run
	// (comma-separated, as SageMaker's VpcConfig takes lists).
	EnvSubnetIDs        = "VPC_SUBNET_IDS"
	EnvSecurityGroupIDs = "VPC_SECURITY_GROUP_IDS"
)

// Build image and compute of both projects.
const (
	buildImage   = "aws/codebuild/amazonlinux2-x86_64-standard:5.0"
	buildCompute = "BUILD_GENERAL1_SMALL"
)

// Names are the physical names.
type Names struct {
	BuildProject, DeployProject   string
	BuildLogGroup, DeployLogGroup string
	BuildPipeline, DeployPipeline string
	ApprovedModelRule             string
	SourceChangedRule             string
}

// VPC places the projects in private subnets.
type VPC struct {
	VpcID            pulumi.StringInput
	SubnetIDs        pulumi.StringArrayInput
	SecurityGroupIDs pulumi.StringArrayInput
}

// Args configures the pipelines.
type Args struct {
	Names  Names
	Source *source.Source
	// ManualApproval adds an approval stage before deploy.
	ManualApproval bool
	// ApprovalTopicArn, when set, is notified when a deploy waits for approval.
	ApprovalTopicArn pulumi.StringInput
	// ModelRegistryLink is the console page of the model package group,
	// shown to the approver.
	ModelRegistryLink string
	// LogRetentionDays applies to the build log groups.
	LogRetentionDays int
	// KMSKeyArn encrypts builds, log groups and the artifact store; nil uses AWS-managed keys.
	KMSKeyArn pulumi.StringInput
	// VPC is nil to run builds outside a VPC.
	VPC *VPC

	ModelPackageGroupName pulumi.StringInput
	// ApprovalStatus is the status new model versions are registered with.
	ApprovalStatus   string
	ArtifactBucket   pulumi.StringInput
	CodeBuildRoleArn pulumi.StringInput
	PipelineRoleArn  pulumi.StringInput
	SageMakerRoleArn pulumi.StringInput
	EventsRoleArn    pulumi.StringInput
	// The roles' inline policies: projects, pipelines and event targets wait
	// for them, or their first run races IAM.
	CodeBuildPolicy, PipelinePolicy, EventsPolicy pulumi.Resource
	Tags                                          map[string]string
}

// after makes a resource wait for a role policy (none when nil).
func after(policy pulumi.Resource) pulumi.ResourceOption {
	if policy == nil {
		return pulumi.DependsOn(nil)
	}
	return pulumi.DependsOn([]pulumi.Resource{policy})
}

// ModelPipelines is the build and deploy automation.
type ModelPipelines struct {
	pulumi.ResourceState

	BuildPipelineName, DeployPipelineName pulumi.StringOutput
	BuildPipelineArn, DeployPipelineArn   pulumi.StringOutput
	BuildProjectName, DeployProjectName   pulumi.StringOutput
}

// New creates the projects, pipelines and approval trigger.
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*ModelPipelines, error) {
	c := &ModelPipelines{}
	if err := ctx.RegisterComponentResource(Type, name, c, opts...); err != nil {
		return nil, err
	}
	n := args.Names
	buildProject, err := c.project(ctx, name+"-build", n.BuildProject, n.BuildLogGroup, "buildspec.yml", args)
	if err != nil {
		return nil, err
	}
	deployProject, err := c.project(ctx, name+"-deploy", n.DeployProject, n.DeployLogGroup, "buildspec-deploy.yml", args)
	if err != nil {
		return nil, err
	}

	build, err := c.pipeline(ctx, name+"-build-pipeline", n.BuildPipeline, args, args.Source.Build,
		codeBuildStage("Build", buildProject.Name))
	if err != nil {
		return nil, err
	}
	deployStages := []codepipeline.PipelineStageArgs{}
	if args.ManualApproval {
		deployStages = append(deployStages, approvalStage(args))
	}
	deployStages = append(deployStages, codeBuildStage("Deploy", deployProject.Name))
	deploy, err := c.pipeline(ctx, name+"-deploy-pipeline", n.DeployPipeline, args, args.Source.Deploy, deployStages...)
	if err != nil {
		return nil, err
	}

	approved := args.ModelPackageGroupName.ToStringOutput().ApplyT(ApprovedModelPattern).(pulumi.StringOutput)
	if err := c.trigger(ctx, name+"-model-approved", n.ApprovedModelRule,
		"Starts the deploy pipeline when a model version of this product is approved", approved, "deploy-pipeline", deploy.Arn, args); err != nil {
		return nil, err
	}
	if args.Source.BuildTrigger != "" {
		if err := c.trigger(ctx, name+"-source-changed", n.SourceChangedRule,
			"Starts the build pipeline when the build source changes", pulumi.String(args.Source.BuildTrigger), "build-pipeline", build.Arn, args); err != nil {
			return nil, err
		}
	}
	c.BuildPipelineName, c.DeployPipelineName = build.Name, deploy.Name
	c.BuildPipelineArn, c.DeployPipelineArn = build.Arn, deploy.Arn
	c.BuildProjectName, c.DeployProjectName = buildProject.Name, deployProject.Name
	return c, ctx.RegisterResourceOutputs(c, pulumi.Map{
		"buildPipelineName": c.BuildPipelineName, "deployPipelineName": c.DeployPipelineName,
		"buildProjectName": c.BuildProjectName, "deployProjectName": c.DeployProjectName,
	})
}

// project creates a log group (so retention and encryption apply) and a
// CodeBuild project writing to it.
func (c *ModelPipelines) project(ctx *pulumi.Context, name, projectName, logGroupName, buildspec string, args Args) (*codebuild.Project, error) {
	logGroup, err := cloudwatch.NewLogGroup(ctx, name+"-logs", &cloudwatch.LogGroupArgs{
		Name:            pulumi.String(logGroupName),
		RetentionInDays: pulumi.Int(args.LogRetentionDays),
		KmsKeyId:        args.KMSKeyArn,
		Tags:            pulumi.ToStringMap(args.Tags),
	}, pulumi.Parent(c))
	if err != nil {
		return nil, err
	}
	env := func(k string, v pulumi.StringInput) codebuild.ProjectEnvironmentEnvironmentVariableArgs {
		return codebuild.ProjectEnvironmentEnvironmentVariableArgs{Name: pulumi.String(k), Value: v, Type: pulumi.String("PLAINTEXT")}
	}
	projectArgs := &codebuild.ProjectArgs{
		Name:          pulumi.String(projectName),
		Description:   pulumi.String("Runs " + buildspec + " of the model code"),
		ServiceRole:   args.CodeBuildRoleArn,
		EncryptionKey: args.KMSKeyArn,
		Artifacts:     codebuild.ProjectArtifactsArgs{Type: pulumi.String("CODEPIPELINE")},
		Source:        codebuild.ProjectSourceArgs{Type: pulumi.String("CODEPIPELINE"), Buildspec: pulumi.String(buildspec)},
		Environment: codebuild.ProjectEnvironmentArgs{
			ComputeType:    pulumi.String(buildCompute),
			Image:          pulumi.String(buildImage),
			Type:           pulumi.String("LINUX_CONTAINER"),
			PrivilegedMode: pulumi.Bool(false),
			EnvironmentVariables: codebuild.ProjectEnvironmentEnvironmentVariableArray{
				env(EnvModelPackageGroupName, args.ModelPackageGroupName),
				env(EnvArtifactBucket, args.ArtifactBucket),
				env(EnvSageMakerRoleArn, args.SageMakerRoleArn),
				env(EnvModelApprovalStatus, pulumi.String(args.ApprovalStatus)),
			},
		},
		LogsConfig: codebuild.ProjectLogsConfigArgs{
			CloudwatchLogs: codebuild.ProjectLogsConfigCloudwatchLogsArgs{
				Status:    pulumi.String("ENABLED"),
				GroupName: logGroup.Name,
			},
		},
		Tags: pulumi.ToStringMap(args.Tags),
	}
	if v := args.VPC; v != nil {
		projectArgs.VpcConfig = codebuild.ProjectVpcConfigArgs{VpcId: v.VpcID, Subnets: v.SubnetIDs, SecurityGroupIds: v.SecurityGroupIDs}
		projectArgs.Environment = withVars(projectArgs.Environment.(codebuild.ProjectEnvironmentArgs),
			env(EnvSubnetIDs, joined(v.SubnetIDs)), env(EnvSecurityGroupIDs, joined(v.SecurityGroupIDs)))
	}
	return codebuild.NewProject(ctx, name, projectArgs, pulumi.Parent(c), after(args.CodeBuildPolicy))
}

func withVars(e codebuild.ProjectEnvironmentArgs, vars ...codebuild.ProjectEnvironmentEnvironmentVariableArgs) codebuild.ProjectEnvironmentArgs {
	list := e.EnvironmentVariables.(codebuild.ProjectEnvironmentEnvironmentVariableArray)
	for _, v := range vars {
		list = append(list, v)
	}
	e.EnvironmentVariables = list
	return e
}

func joined(ids pulumi.StringArrayInput) pulumi.StringOutput {
	return ids.ToStringArrayOutput().ApplyT(func(v []string) string { return strings.Join(v, ",") }).(pulumi.StringOutput)
}

// pipeline creates a V2 pipeline: the source stage, then stages.
func (c *ModelPipelines) pipeline(ctx *pulumi.Context, name, pipelineName string, args Args, src source.Action, stages ...codepipeline.PipelineStageArgs) (*codepipeline.Pipeline, error) {
	store := codepipeline.PipelineArtifactStoreArgs{Type: pulumi.String("S3"), Location: args.ArtifactBucket}
	if args.KMSKeyArn != nil {
		store.EncryptionKey = codepipeline.PipelineArtifactStoreEncryptionKeyArgs{Id: args.KMSKeyArn, Type: pulumi.String("KMS")}
	}
	all := codepipeline.PipelineStageArray{codepipeline.PipelineStageArgs{
		Name: pulumi.String("Source"),
		Actions: codepipeline.PipelineStageActionArray{codepipeline.PipelineStageActionArgs{
			Name:            pulumi.String("Source"),
			Category:        pulumi.String("Source"),
			Owner:           pulumi.String("AWS"),
			Provider:        pulumi.String(src.Provider),
			Version:         pulumi.String("1"),
			Configuration:   src.Configuration,
			OutputArtifacts: pulumi.StringArray{pulumi.String(sourceArtifact)},
		}},
	}}
	for _, s := range stages {
		all = append(all, s)
	}
	return codepipeline.NewPipeline(ctx, name, &codepipeline.PipelineArgs{
		Name:           pulumi.String(pipelineName),
		PipelineType:   pulumi.String("V2"),
		ExecutionMode:  pulumi.String("QUEUED"),
		RoleArn:        args.PipelineRoleArn,
		ArtifactStores: codepipeline.PipelineArtifactStoreArray{store},
		Stages:         all,
		Tags:           pulumi.ToStringMap(args.Tags),
	}, pulumi.Parent(c), after(args.PipelinePolicy))
}

const sourceArtifact = "SourceOutput"

func codeBuildStage(stage string, project pulumi.StringInput) codepipeline.PipelineStageArgs {
	return codepipeline.PipelineStageArgs{
		Name: pulumi.String(stage),
		Actions: codepipeline.PipelineStageActionArray{codepipeline.PipelineStageActionArgs{
			Name:           pulumi.String(stage),
			Category:       pulumi.String("Build"),
			Owner:          pulumi.String("AWS"),
			Provider:       pulumi.String("CodeBuild"),
			Version:        pulumi.String("1"),
			InputArtifacts: pulumi.StringArray{pulumi.String(sourceArtifact)},
			Configuration:  pulumi.StringMap{"ProjectName": project},
		}},
	}
}

// ApprovalStage is the name of the manual approval stage.
const ApprovalStage = "ManualApproval"

func approvalStage(args Args) codepipeline.PipelineStageArgs {
	config := pulumi.StringMap{
		"CustomData": pulumi.String("A model version was approved in the model registry; approve to deploy it. " +
			"The deploy build deploys the latest Approved version of the group."),
	}
	if args.ModelRegistryLink != "" {
		config["ExternalEntityLink"] = pulumi.String(args.ModelRegistryLink)
	}
	if args.ApprovalTopicArn != nil {
		config["NotificationArn"] = args.ApprovalTopicArn
	}
	return codepipeline.PipelineStageArgs{
		Name: pulumi.String(ApprovalStage),
		Actions: codepipeline.PipelineStageActionArray{codepipeline.PipelineStageActionArgs{
			Name:          pulumi.String(ApprovalStage),
			Category:      pulumi.String("Approval"),
			Owner:         pulumi.String("AWS"),
			Provider:      pulumi.String("Manual"),
			Version:       pulumi.String("1"),
			Configuration: config,
		}},
	}
}

// ApprovedModelPattern matches a model package of one group changing to Approved.
func ApprovedModelPattern(groupName string) string {
	b, _ := json.Marshal(map[string]any{
		"source":      []string{"aws.sagemaker"},
		"detail-type": []string{"SageMaker Model Package State Change"},
		"detail": map[string]any{
			"ModelPackageGroupName": []string{groupName},
			"ModelApprovalStatus":   []string{"Approved"},
		},
	})
	return string(b)
}

// trigger is an EventBridge rule whose events start a pipeline.
func (c *ModelPipelines) trigger(ctx *pulumi.Context, name, ruleName, description string, pattern pulumi.StringInput,
	targetID string, pipelineArn pulumi.StringOutput, args Args) error {
	rule, err := cloudwatch.NewEventRule(ctx, name, &cloudwatch.EventRuleArgs{
		Name:         pulumi.String(ruleName),
		Description:  pulumi.String(description),
		EventPattern: pattern,
		Tags:         pulumi.ToStringMap(args.Tags),
	}, pulumi.Parent(c))
	if err != nil {
		return err
	}
	_, err = cloudwatch.NewEventTarget(ctx, name+"-target", &cloudwatch.EventTargetArgs{
		Rule:     rule.Name,
		TargetId: pulumi.String(targetID),
		Arn:      pipelineArn,
		RoleArn:  args.EventsRoleArn,
	}, pulumi.Parent(c), after(args.EventsPolicy))
	return err
}
