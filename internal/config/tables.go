package config

import (
	"regexp"

	"github.com/mlprov/mlprov/internal/environments"
)

// Regions are the AWS region codes of the standard (aws) partition. Keep this
// the only list: the JSON Schema's region enum is tested against it.
var Regions = []string{
	"af-south-1",
	"ap-east-1", "ap-east-2",
	"ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
	"ap-south-1", "ap-south-2",
	"ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4",
	"ap-southeast-5", "ap-southeast-6", "ap-southeast-7",
	"ca-central-1", "ca-west-1",
	"eu-central-1", "eu-central-2",
	"eu-north-1",
	"eu-south-1", "eu-south-2",
	"eu-west-1", "eu-west-2", "eu-west-3",
	"il-central-1",
	"me-central-1", "me-south-1",
	"mx-central-1",
	"sa-east-1",
	"us-east-1", "us-east-2",
	"us-west-1", "us-west-2",
}

// Envs are the accepted environment names.
var Envs = environments.Names

// RepositoryProviders are the CodeConnections provider types.
var RepositoryProviders = []string{"GitHub", ProviderGitHubEnterpriseServer, "GitLab", "Bitbucket"}

// ProviderGitHubEnterpriseServer is the one provider whose connection needs a
// host, so it must reuse an existing connection (connection_arn).
const ProviderGitHubEnterpriseServer = "GitHubEnterpriseServer"

// CloudWatchRetentionDays are the values CloudWatch Logs accepts for a log
// group's retention.
var CloudWatchRetentionDays = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

// MinLogRetentionDays is the floor of policy rule MLP-LOG-001.
const MinLogRetentionDays = 90

// BuiltinEndpoints are the VPC endpoints every enterprise product gets.
var BuiltinEndpoints = []string{"sagemaker.api", "sagemaker.runtime", "sts", "s3"}

// ExtraEndpoints are the interface endpoint service short names (the part
// after com.amazonaws.{region}.) accepted in network.extra_endpoints.
var ExtraEndpoints = []string{
	"application-autoscaling", "athena", "autoscaling", "bedrock", "bedrock-runtime",
	"cloudformation", "codeartifact.api", "codeartifact.repositories", "codebuild",
	"codecommit", "codeconnections.api", "codepipeline", "codestar-connections.api",
	"ec2", "ec2messages", "ecr.api", "ecr.dkr", "ecs", "elasticfilesystem",
	"elasticloadbalancing", "events", "execute-api", "git-codecommit", "glue", "kms",
	"lambda", "logs", "monitoring", "sagemaker.featurestore-runtime", "secretsmanager",
	"servicecatalog", "sns", "sqs", "ssm", "ssmmessages", "states", "xray",
}

// MaxTags is AWS's limit of tags per resource.
const MaxTags = 50

// MaxTagKeyLength and MaxTagValueLength are the tag limits of every service
// the product tags, in characters: most allow 128 and 256, but CodeBuild's
// Tag shape allows a key of 127 and a value of 255 (aws-sdk-go v1.55.8
// models/apis/codebuild/2016-10-06/api-2.json, KeyInput and ValueInput).
const (
	MaxTagKeyLength   = 127
	MaxTagValueLength = 255
)

// Field patterns. The JSON Schema repeats them; schema_test checks it agrees.
var (
	companyPrefixPattern = regexp.MustCompile(`^[a-z][a-z0-9]*$`)
	accountIDPattern     = regexp.MustCompile(`^[0-9]{12}$`)
	tenantIDPattern      = regexp.MustCompile(`^[a-z0-9]{4}$`)
	tokenPattern         = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)
	emailPattern         = regexp.MustCompile(`^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$`)
	s3KeyPrefixPattern   = regexp.MustCompile(`^[A-Za-z0-9!_.*'()-]+(/[A-Za-z0-9!_.*'()-]+)*$`)
	repoNamePattern      = regexp.MustCompile(`^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$`)
	branchPattern        = regexp.MustCompile(`^[^\s~^:?*\[\\]+$`)
	connectionARNPattern = regexp.MustCompile(`^arn:aws:(codeconnections|codestar-connections):[a-z0-9-]+:[0-9]{12}:connection/[0-9a-f-]{36}$`)
	vpcIDPattern         = regexp.MustCompile(`^vpc-([0-9a-f]{8}|[0-9a-f]{17})$`)
	subnetIDPattern      = regexp.MustCompile(`^subnet-([0-9a-f]{8}|[0-9a-f]{17})$`)
	routeTableIDPattern  = regexp.MustCompile(`^rtb-([0-9a-f]{8}|[0-9a-f]{17})$`)
	vpcNamePattern       = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,128}$`)
	ssmParameterPattern  = regexp.MustCompile(`^/[A-Za-z0-9_./-]{1,1000}$`)
	ruleIDPattern        = regexp.MustCompile(`^MLP-[A-Z0-9]+-[0-9]{3}$`)
	datePattern          = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)
	// AWS tag keys and values: letters, digits, spaces and _ . : / = + - @
	tagPattern = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`)
)
