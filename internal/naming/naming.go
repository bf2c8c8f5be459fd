// Package naming builds every physical name, SSM path, scenario, stack name
// and file name of PRODUCT.md §2 in one place, and checks each against its
// limit. Contract names are exact, and one that does not fit is reported;
// every other name takes the documented shortened form (Shorten) when its
// full form does not fit, and is listed in Names.Shortened.
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
	// MLName is {company_prefix}-{env}-{tenant_id}-{region}-{use_case}[-{workload}]-ml
	// (for a test deployment see ForTest).
	MLName string
	// Base is the full {company_prefix}-{env}-{tenant_id}-{region}-{use_case}[-{workload}]:
	// the stem of regional physical names, and the prefix of the SageMaker
	// resources the product's code may create.
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

	// Shortened lists every name that uses the shortened form instead of
	// its full form, for validate-config, show-product and the review report.
	Shortened []Shortened
}

// Shortened is one name whose full form does not fit.
type Shortened struct {
	What string `json:"what"`  // human label, as in Limits
	Full string `json:"full"`  // the full form the name would have
	Name string `json:"name"`  // the name actually used
	Max  int    `json:"limit"` // the length it had to fit
}

// TestTag is the short tag that replaces the env token in a test
// deployment's full names, so a test copy never collides with any real
// environment's names.
func TestTag(testID string) string { return "t" + testID }

// For returns the names of the product deployment of cfg.
func For(cfg Source) Names { return build(cfg.NamingFields(), "", nil) }

// ForTest returns the names of a test deployment with the given 4-hex id.
// Each name is the product's full form with the env token replaced by
// TestTag(testID); where that is longer than the product's own name it is
// shortened to the product name's length (the hash then covers the test id),
// so a test deployment fits wherever the product does.
func ForTest(cfg Source, testID string) Names {
	f := cfg.NamingFields()
	product := build(f, "", nil)
	return build(f, testID, &product)
}

// hashLen is the number of hex digits of sha256(full name) a shortened name carries.
const hashLen = 8

// Shorten returns prefix+stem+suffix when it has at most max characters, and
// otherwise the documented shortened form: prefix + the first characters of
// stem (trailing hyphens dropped) + "-" + the first 8 hex digits of
// sha256(prefix+stem+suffix) + suffix, exactly max characters or fewer.
// Prefix and suffix (the part that says what the resource is) stay whole.
func Shorten(prefix, stem, suffix string, max int) (name string, shortened bool) {
	full := prefix + stem + suffix
	if len(full) <= max {
		return full, false
	}
	keep := max - len(prefix) - len(suffix) - 1 - hashLen
	if keep < 1 {
		// No limit mlprov meets is this tight (Limits lists them); keep
		// the result valid rather than panic.
		keep = 1
	}
	sum := sha256.Sum256([]byte(full))
	cut := strings.TrimRight(stem[:min(keep, len(stem))], "-")
	return prefix + cut + "-" + hex.EncodeToString(sum[:])[:hashLen] + suffix, true
}

func build(f Fields, testID string, product *Names) Names {
	envToken := f.Env
	if testID != "" {
		envToken = TestTag(testID)
	}
	productToken := f.UseCase
	if f.Workload != "" {
		productToken += "-" + f.Workload
	}
	base := join(f.CompanyPrefix, envToken, f.TenantID, f.Region, productToken)
	n := Names{
		Base:     base,
		IAMBase:  join(f.CompanyPrefix, envToken, f.TenantID, productToken),
		Scenario: Scenario(f),
		TestID:   testID,
	}
	n.MLName = base + "-ml"
	n.StackName = join(f.CompanyPrefix, f.Env, f.TenantID, f.Region, productToken) + "-ml"
	if product != nil {
		n.StackName = product.MLName + "-test-" + testID
		n.MLName = n.fit("ml_name (test deployment)", "", base, "-ml", len(product.MLName))
	}
	for _, r := range shortenable {
		limit := r.max
		if product != nil {
			limit = min(limit, len(*r.field(product)))
		}
		*r.field(&n) = n.fit(r.what, "", r.stem(&n), r.suffix, limit)
	}
	// Contract names: exactly {ml_name}…, never shortened (Check reports
	// one that does not fit).
	n.AlertsTopic = n.MLName + "-security-alerts"
	n.ComplianceLogGroup = n.MLName + "-compliance-logs"
	n.UnauthorizedCallsAlarm = n.MLName + "-unauthorized-api-calls"
	n.RootUsageAlarm = n.MLName + "-root-account-usage"
	n.KMSAlias = "alias/" + n.MLName
	n.AlertsKMSAlias = n.KMSAlias + "-alerts"
	sum := sha256.Sum256([]byte(n.MLName))
	n.Connection = join(f.CompanyPrefix, f.TenantID, hex.EncodeToString(sum[:4]))
	n.BuildLogGroup = "/aws/codebuild/" + n.BuildProject
	n.DeployLogGroup = "/aws/codebuild/" + n.DeployProject
	return n
}

// fit returns Shorten's name and records it when shortened.
func (n *Names) fit(what, prefix, stem, suffix string, max int) string {
	name, shortened := Shorten(prefix, stem, suffix, max)
	if shortened {
		n.Shortened = append(n.Shortened, Shortened{What: what, Full: prefix + stem + suffix, Name: name, Max: max})
	}
	return name
}

// shortenableName is a physical name outside the downstream contract: its
// full form is stem+suffix, shortened when longer than max (the AWS limit).
type shortenableName struct {
	what   string
	stem   func(*Names) string
	suffix string
	max    int
	field  func(*Names) *string
}

func regional(n *Names) string { return n.Base }
func global(n *Names) string   { return n.IAMBase }

// shortenable lists every non-contract name with its AWS limit (aws-sdk-go
// v1.55.8 API models: sagemaker EntityName 63, codecommit RepositoryName 100,
// codebuild ProjectName 150, codepipeline PipelineName 100, iam roleNameType
// 64 and policyNameType 128, events RuleName 64; S3
// bucket names 63 per https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html;
// CloudWatch dashboard and EC2 security group names 255 per their API docs).
var shortenable = []shortenableName{
	{"SageMaker model package group", regional, "-models", 63, func(n *Names) *string { return &n.ModelPackageGroup }},
	{"CodeCommit repository (build)", regional, "-model-build", 100, func(n *Names) *string { return &n.BuildRepository }},
	{"CodeCommit repository (deploy)", regional, "-model-deploy", 100, func(n *Names) *string { return &n.DeployRepository }},
	{"CodeBuild project (build)", regional, "-build", 150, func(n *Names) *string { return &n.BuildProject }},
	{"CodeBuild project (deploy)", regional, "-deploy", 150, func(n *Names) *string { return &n.DeployProject }},
	{"CodePipeline (build)", regional, "-build-pipeline", 100, func(n *Names) *string { return &n.BuildPipeline }},
	{"CodePipeline (deploy)", regional, "-deploy-pipeline", 100, func(n *Names) *string { return &n.DeployPipeline }},
	{"IAM role (CodeBuild)", global, "-codebuild-role", 64, func(n *Names) *string { return &n.CodeBuildRole }},
	{"IAM role (CodePipeline)", global, "-codepipeline-role", 64, func(n *Names) *string { return &n.CodePipelineRole }},
	{"IAM role (SageMaker execution)", global, "-sagemaker-execution-role", 64, func(n *Names) *string { return &n.SageMakerExecutionRole }},
	{"IAM role (EventBridge)", global, "-events-role", 64, func(n *Names) *string { return &n.EventsRole }},
	{"IAM managed policy (permission boundary)", global, "-permission-boundary", 128, func(n *Names) *string { return &n.PermissionBoundary }},
	{"S3 bucket (artifacts)", regional, "-artifacts", 63, func(n *Names) *string { return &n.ArtifactBucket }},
	{"CloudWatch dashboard", regional, "-dashboard", 255, func(n *Names) *string { return &n.Dashboard }},
	{"EventBridge rule (model approved)", regional, "-model-approved", 64, func(n *Names) *string { return &n.ApprovedModelRule }},
	{"EventBridge rule (pipeline failed)", regional, "-pipeline-failed", 64, func(n *Names) *string { return &n.PipelineFailureRule }},
	{"EventBridge rule (source changed)", regional, "-source-changed", 64, func(n *Names) *string { return &n.SourceChangedRule }},
	{"EC2 security group", regional, "-endpoints-sg", 255, func(n *Names) *string { return &n.EndpointSecurityGroup }},
	{"EC2 security group (builds)", regional, "-builds-sg", 255, func(n *Names) *string { return &n.BuildSecurityGroup }},
	// The compliance trail (cloudtrail CreateTrail Name 128 per the AWS
	// CloudTrail API reference), its archive bucket and delivery role.
	{"CloudTrail trail", regional, "-compliance-trail", 128, func(n *Names) *string { return &n.ComplianceTrail }},
	{"S3 bucket (compliance trail)", regional, "-trail", 63, func(n *Names) *string { return &n.TrailBucket }},
	{"IAM role (CloudTrail delivery)", global, "-cloudtrail-role", 64, func(n *Names) *string { return &n.CloudTrailRole }},
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

// sourceControls are the source_control values, the first token of a scenario.
var sourceControls = []string{"codecommit", "s3", "codeconnections"}

// FromOldScenario rewrites the old tool's scenario strings in a scenario or
// file name to mlprov's. The old tool left out the network mode when it was
// sgprov, so its "codecommit-ssm" is mlprov's "codecommit-sgprov-ssm" (its
// guide shows …-codecommit-ssm-iam-policy.json beside a
// …-codecommit-sgprov-ssm.yaml config); every other scenario is spelled
// alike. A name without an old scenario is returned unchanged.
func FromOldScenario(name string) string {
	for _, src := range sourceControls {
		for _, vpc := range []string{"ssm", "direct"} {
			old, current := src+"-"+vpc, src+"-sgprov-"+vpc
			if name == old || strings.HasPrefix(name, old+"-") {
				name = current + strings.TrimPrefix(name, old)
			}
			name = strings.ReplaceAll(name, "-"+old+"-", "-"+current+"-")
			name = strings.ReplaceAll(name, "-"+old+".", "-"+current+".")
			if strings.HasSuffix(name, "-"+old) {
				name = strings.TrimSuffix(name, old) + current
			}
		}
	}
	return name
}

// OldScenario is the old tool's spelling of this product's scenario (the
// inverse of FromOldScenario): "codecommit-sgprov-ssm" is "codecommit-ssm".
func (n Names) OldScenario() string { return strings.Replace(n.Scenario, "-sgprov-", "-", 1) }

// OldPolicyFile is the policy file the old tool wrote for this product:
// ml/policies/{ml_name}-{old scenario}-iam-policy.json.
func (n Names) OldPolicyFile() string {
	return PoliciesDir + "/" + n.MLName + "-" + n.OldScenario() + "-iam-policy.json"
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

// PolicyPartFile is document n (2, 3 …) of a deployer policy split to fit
// AWS's managed-policy size: ml/policies/{ml_name}-{scenario}-iam-policy-{n}.json.
// The first document is always PolicyFile, the old tool's name.
func (n Names) PolicyPartFile(part int) string {
	return fmt.Sprintf("%s/%s-%s-iam-policy-%d.json", PoliciesDir, n.MLName, n.Scenario, part)
}

// ReportFile is ml/reports/{ml_name}-{scenario}-{kind}.{ext}.
func (n Names) ReportFile(kind, ext string) string {
	return ReportsDir + "/" + n.MLName + "-" + n.Scenario + "-" + kind + "." + ext
}

// ReviewReportAction is the action named in the review report's file name.
const ReviewReportAction = "create-review-report"

// ReviewReportFile is the old tool's review report name, beside that
// action's audit log: ml/reports/{ml_name}-{scenario}-create-review-report-{timestamp}.{ext}.
func (n Names) ReviewReportFile(timestamp, ext string) string {
	return ReportsDir + "/" + n.MLName + "-" + n.Scenario + "-" + ReviewReportAction + "-" + timestamp + "." + ext
}

// AuditLogFile is ml/reports/{ml_name}-{scenario}-{action}-{timestamp}.log.
func (n Names) AuditLogFile(action, timestamp string) string {
	return ReportsDir + "/" + n.MLName + "-" + n.Scenario + "-" + action + "-" + timestamp + ".log"
}

func (n Names) String() string { return fmt.Sprintf("%s (%s)", n.MLName, n.Scenario) }
