// Package naming builds every physical name, SSM path, scenario, stack name
// and file name of PRODUCT.md §2 in one place, and checks each against its
// AWS limit. Names are never truncated: a name that does not fit is reported.
package naming

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
)

// Source is what names are built from. naming does not import config: the
// config validator checks name lengths, so config imports naming, and
// *config.Config implements Source (callers still write naming.For(cfg)).
type Source interface {
	NamingFields() Fields
}

// Fields are the config values that appear in names and paths.
type Fields struct {
	CompanyPrefix, Env, TenantID, Region string
	UseCase, Workload, SourceControl     string
	// Network is nil when the config has no network section.
	Network *NetworkFields
}

// NetworkFields are the network values that appear in names and paths.
type NetworkFields struct {
	Mode, VPCSource, VPCName, SecurityGroupParameter string
	HasRouteTables                                   bool
}

// NamingFields lets a literal Fields be used wherever a Source is expected.
func (f Fields) NamingFields() Fields { return f }

// Project is the Pulumi project name of every mlprov stack.
const Project = "mlprov"

// SSMRoot is the prefix of every parameter mlprov publishes.
const SSMRoot = "/ml/"

// SSM output keys, the contract downstream systems read under /ml/{ml_name}/.
const (
	OutModelPackageGroupArn          = "ModelPackageGroupArn"
	OutModelPackageGroupName         = "ModelPackageGroupName"
	OutRepositoryURL                 = "RepositoryUrl"
	OutDeployRepositoryURL           = "DeployRepositoryUrl"
	OutBuildPipelineName             = "BuildPipelineName"
	OutDeployPipelineName            = "DeployPipelineName"
	OutSageMakerExecutionRoleArn     = "SageMakerExecutionRoleArn"
	OutArtifactBucketName            = "ArtifactBucketName"
	OutDashboardName                 = "DashboardName"
	OutAlertsTopicArn                = "AlertsTopicArn"
	OutBucketName                    = "BucketName"
	OutKmsKeyArn                     = "KmsKeyArn"
	OutVpcEndpointIDSagemakerAPI     = "VpcEndpointIdSagemakerApi"
	OutVpcEndpointIDSagemakerRuntime = "VpcEndpointIdSagemakerRuntime"
	OutVpcEndpointIDS3               = "VpcEndpointIdS3"
	OutVpcEndpointIDSts              = "VpcEndpointIdSts"
	OutSecurityGroupID               = "SecurityGroupId"
	OutLogGroupName                  = "LogGroupName"
	OutConnectionArn                 = "ConnectionArn"
)

// Names is every name of one product deployment.
type Names struct {
	// MLName is {company_prefix}-{env}-{tenant_id}-{region}-{use_case}[-{workload}]-ml.
	MLName string
	// Base is MLName without "-ml": the stem of regional physical names.
	Base string
	// IAMBase drops the region (IAM is global).
	IAMBase string
	// Scenario is {source_control}[-{mode}-{vpc_source}][-workload][-rtb].
	Scenario string
	// StackName is MLName, or {MLName}-test-{hex} for a test deployment.
	StackName string
	// TestID is the 4-hex id of a test deployment, "" otherwise.
	TestID string

	ModelPackageGroup      string
	BuildRepository        string
	DeployRepository       string
	BuildProject           string
	DeployProject          string
	BuildPipeline          string
	DeployPipeline         string
	CodeBuildRole          string
	CodePipelineRole       string
	SageMakerExecutionRole string
	EventsRole             string
	PermissionBoundary     string
	ArtifactBucket         string
	Dashboard              string
	AlertsTopic            string
	ComplianceLogGroup     string
	// ComplianceTrail, its bucket and delivery role feed ComplianceLogGroup.
	ComplianceTrail        string
	TrailBucket            string
	CloudTrailRole         string
	UnauthorizedCallsAlarm string
	RootUsageAlarm         string
	KMSAlias               string
	// AlertsKMSAlias names the alerts topic's own key (tiers without a product key).
	AlertsKMSAlias    string
	ApprovedModelRule string
	// SourceChangedRule starts the build pipeline on a change to its source
	// (CodeCommit and S3 sources; CodeConnections triggers natively).
	SourceChangedRule     string
	PipelineFailureRule   string
	EndpointSecurityGroup string
	// BuildSecurityGroup is the builds' own group (standalone network mode).
	BuildSecurityGroup string
	// Connection is the CodeConnections connection name (AWS limit 32), so it
	// is {company_prefix}-{tenant_id}-{8 hex of sha256(ml_name)}: unique per
	// product and short enough for every valid prefix.
	Connection string
	// CodeBuild log groups follow AWS's own convention.
	BuildLogGroup  string
	DeployLogGroup string
}

// TestTag is the short tag that marks a test deployment's physical names. It
// replaces the env token (so a test copy adds one character at most, and can
// never collide with any real environment's names).
func TestTag(testID string) string { return "t" + testID }

// For returns the names of the product deployment of cfg.
func For(cfg Source) Names { return build(cfg.NamingFields(), "") }

// ForTest returns the names of a test deployment with the given 4-hex id.
func ForTest(cfg Source, testID string) Names { return build(cfg.NamingFields(), testID) }

func build(f Fields, testID string) Names {
	envToken := f.Env
	if testID != "" {
		envToken = TestTag(testID)
	}
	product := f.UseCase
	if f.Workload != "" {
		product += "-" + f.Workload
	}
	base := join(f.CompanyPrefix, envToken, f.TenantID, f.Region, product)
	iam := join(f.CompanyPrefix, envToken, f.TenantID, product)
	n := Names{
		MLName:   base + "-ml",
		Base:     base,
		IAMBase:  iam,
		Scenario: Scenario(f),
		TestID:   testID,
	}
	prodMLName := join(f.CompanyPrefix, f.Env, f.TenantID, f.Region, product) + "-ml"
	n.StackName = prodMLName
	if testID != "" {
		n.StackName = prodMLName + "-test-" + testID
	}
	n.ModelPackageGroup = base + "-models"
	n.BuildRepository = base + "-model-build"
	n.DeployRepository = base + "-model-deploy"
	n.BuildProject = base + "-build"
	n.DeployProject = base + "-deploy"
	n.BuildPipeline = base + "-build-pipeline"
	n.DeployPipeline = base + "-deploy-pipeline"
	n.CodeBuildRole = iam + "-codebuild-role"
	n.CodePipelineRole = iam + "-codepipeline-role"
	n.SageMakerExecutionRole = iam + "-sagemaker-execution-role"
	n.EventsRole = iam + "-events-role"
	n.PermissionBoundary = iam + "-permission-boundary"
	n.ArtifactBucket = base + "-artifacts"
	n.Dashboard = base + "-dashboard"
	n.AlertsTopic = n.MLName + "-security-alerts"
	n.ComplianceLogGroup = n.MLName + "-compliance-logs"
	n.ComplianceTrail = n.MLName + "-compliance-trail"
	n.TrailBucket = base + "-trail"
	n.CloudTrailRole = iam + "-cloudtrail-role"
	n.UnauthorizedCallsAlarm = n.MLName + "-unauthorized-api-calls"
	n.RootUsageAlarm = n.MLName + "-root-account-usage"
	n.KMSAlias = "alias/" + n.MLName
	n.AlertsKMSAlias = n.KMSAlias + "-alerts"
	n.ApprovedModelRule = base + "-model-approved"
	n.SourceChangedRule = base + "-source-changed"
	n.PipelineFailureRule = base + "-pipeline-failed"
	n.EndpointSecurityGroup = base + "-endpoints-sg"
	n.BuildSecurityGroup = base + "-builds-sg"
	sum := sha256.Sum256([]byte(n.MLName))
	n.Connection = join(f.CompanyPrefix, f.TenantID, hex.EncodeToString(sum[:4]))
	n.BuildLogGroup = "/aws/codebuild/" + n.BuildProject
	n.DeployLogGroup = "/aws/codebuild/" + n.DeployProject
	return n
}

func join(parts ...string) string { return strings.Join(parts, "-") }

// Scenario is {source_control}[-{mode}-{vpc_source}][-workload][-rtb].
func Scenario(cfg Source) string {
	p := cfg.NamingFields()
	s := p.SourceControl
	if p.Network != nil {
		s += "-" + p.Network.Mode + "-" + p.Network.VPCSource
	}
	if p.Workload != "" {
		s += "-workload"
	}
	if p.Network != nil && p.Network.HasRouteTables {
		s += "-rtb"
	}
	return s
}

// SSMPath is the full parameter name of one output key.
func (n Names) SSMPath(key string) string { return SSMRoot + n.MLName + "/" + key }

// SSMPrefix is the parameter path every output of this product lives under.
func (n Names) SSMPrefix() string { return SSMPrefixOf(n.MLName) }

// SSMPrefixOf is the parameter path of the outputs of the product mlName.
func SSMPrefixOf(mlName string) string { return SSMRoot + mlName + "/" }

// DefaultVPCName is the vpc_name used when an ssm-sourced network leaves it empty.
func DefaultVPCName(cfg Source) string {
	f := cfg.NamingFields()
	return join(f.CompanyPrefix, f.Env, f.TenantID, f.Region, "vpc")
}

// VPCName is the configured or default vpc_name.
func VPCName(cfg Source) string {
	if n := cfg.NamingFields().Network; n != nil && n.VPCName != "" {
		return n.VPCName
	}
	return DefaultVPCName(cfg)
}

// VPCIDParameter and PrivateSubnetIDsParameter are the SSM parameters a
// network provisioner publishes for vpc_source: ssm.
func VPCIDParameter(vpcName string) string            { return "/vpc/" + vpcName + "/VPCId" }
func PrivateSubnetIDsParameter(vpcName string) string { return "/vpc/" + vpcName + "/PrivateSubnetIds" }

// SecurityGroupParameter is the configured or default sgprov parameter.
func SecurityGroupParameter(cfg Source) string {
	f := cfg.NamingFields()
	if n := f.Network; n != nil && n.SecurityGroupParameter != "" {
		return n.SecurityGroupParameter
	}
	return "/sg/" + join(f.CompanyPrefix, f.Env, f.TenantID, f.Region, "sg") + "/app/SecurityGroupId"
}

// Work directory layout (relative to --workdir).
const (
	ConfigsDir   = "ml/configs"
	PoliciesDir  = "ml/policies"
	TemplatesDir = "ml/templates"
	ReportsDir   = "ml/reports"
	StateDir     = "ml/state"
)

// ConfigFileName is the conventional file name of a config: {ml_name}-{scenario}.yaml.
func (n Names) ConfigFileName() string { return n.MLName + "-" + n.Scenario + ".yaml" }

// TemplateFile is ml/templates/{ml_name}-{scenario}-template.json.
func (n Names) TemplateFile() string {
	return TemplatesDir + "/" + n.MLName + "-" + n.Scenario + "-template.json"
}

// PolicyFile is ml/policies/{ml_name}-{scenario}-iam-policy.json.
func (n Names) PolicyFile() string {
	return PoliciesDir + "/" + n.MLName + "-" + n.Scenario + "-iam-policy.json"
}

// PolicyPartFile is part n (1-based) of a deployer policy split to fit
// AWS's managed-policy size: ml/policies/{ml_name}-{scenario}-iam-policy-{n}.json.
func (n Names) PolicyPartFile(part int) string {
	return fmt.Sprintf("%s/%s-%s-iam-policy-%d.json", PoliciesDir, n.MLName, n.Scenario, part)
}

// ReportFile is ml/reports/{ml_name}-{scenario}-{kind}.{ext}.
func (n Names) ReportFile(kind, ext string) string {
	return ReportsDir + "/" + n.MLName + "-" + n.Scenario + "-" + kind + "." + ext
}

// AuditLogFile is ml/reports/{ml_name}-{scenario}-{action}-{timestamp}.log.
func (n Names) AuditLogFile(action, timestamp string) string {
	return ReportsDir + "/" + n.MLName + "-" + n.Scenario + "-" + action + "-" + timestamp + ".log"
}

func (n Names) String() string { return fmt.Sprintf("%s (%s)", n.MLName, n.Scenario) }
