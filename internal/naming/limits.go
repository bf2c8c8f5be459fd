package naming

import (
	"fmt"
	"net"
	"regexp"
	"strings"
)

// Limit is one physical name and the AWS limit it must fit.
type Limit struct {
	// What is a human label ("S3 bucket (artifacts)").
	What  string
	Name  string
	Max   int
	Check func(string) string // extra rule; returns a problem or ""
}

// shortenable names the fields a user can shorten; env, tenant_id and region
// have fixed shapes.
const shortenable = "client.company_prefix, ml_product.use_case or ml_product.workload"

// Limits lists every physical name with its AWS limit.
func (n Names) Limits() []Limit {
	return []Limit{
		{"SageMaker model package group", n.ModelPackageGroup, 63, modelPackageGroupRule},
		{"CodeCommit repository (build)", n.BuildRepository, 100, nil},
		{"CodeCommit repository (deploy)", n.DeployRepository, 100, nil},
		{"CodeBuild project (build)", n.BuildProject, 255, nil},
		{"CodeBuild project (deploy)", n.DeployProject, 255, nil},
		{"CodePipeline (build)", n.BuildPipeline, 100, nil},
		{"CodePipeline (deploy)", n.DeployPipeline, 100, nil},
		{"IAM role (CodeBuild)", n.CodeBuildRole, 64, nil},
		{"IAM role (CodePipeline)", n.CodePipelineRole, 64, nil},
		{"IAM role (SageMaker execution)", n.SageMakerExecutionRole, 64, nil},
		{"IAM role (EventBridge)", n.EventsRole, 64, nil},
		{"IAM managed policy (permission boundary)", n.PermissionBoundary, 128, nil},
		{"S3 bucket (artifacts)", n.ArtifactBucket, 63, bucketDNSRule},
		{"S3 bucket (compliance trail)", n.TrailBucket, 63, bucketDNSRule},
		{"CloudTrail trail", n.ComplianceTrail, 128, nil},
		{"IAM role (CloudTrail delivery)", n.CloudTrailRole, 64, nil},
		{"CloudWatch dashboard", n.Dashboard, 255, nil},
		{"SNS topic", n.AlertsTopic, 256, nil},
		{"CloudWatch log group (compliance)", n.ComplianceLogGroup, 512, nil},
		{"CloudWatch log group (build)", n.BuildLogGroup, 512, nil},
		{"CloudWatch alarm (unauthorized API calls)", n.UnauthorizedCallsAlarm, 255, nil},
		{"CloudWatch alarm (root account usage)", n.RootUsageAlarm, 255, nil},
		{"KMS alias", n.KMSAlias, 256, nil},
		{"KMS alias (alerts)", n.AlertsKMSAlias, 256, nil},
		{"EventBridge rule (model approved)", n.ApprovedModelRule, 64, nil},
		{"EventBridge rule (pipeline failed)", n.PipelineFailureRule, 64, nil},
		{"EventBridge rule (source changed)", n.SourceChangedRule, 64, nil},
		{"EC2 security group", n.EndpointSecurityGroup, 255, nil},
		{"EC2 security group (builds)", n.BuildSecurityGroup, 255, nil},
		{"CodeConnections connection", n.Connection, 32, nil},
		{"SSM parameter", n.SSMPath(OutVpcEndpointIDSagemakerRuntime), 1011, nil},
	}
}

// Problem is a name that does not fit.
type Problem struct {
	What   string
	Name   string
	Length int
	Max    int
	Reason string // set for rule violations other than length
	Fields string // which config fields make it longer
}

func (p Problem) Error() string {
	if p.Reason != "" {
		return fmt.Sprintf("%s name %q: %s", p.What, p.Name, p.Reason)
	}
	return fmt.Sprintf("%s name %q is %d characters, over the AWS limit of %d; shorten %s",
		p.What, p.Name, p.Length, p.Max, p.Fields)
}

// Check returns every name that breaks its AWS limit or naming rule.
func (n Names) Check() []Problem {
	var out []Problem
	for _, l := range n.Limits() {
		fields := shortenable
		if len(l.Name) > l.Max {
			out = append(out, Problem{What: l.What, Name: l.Name, Length: len(l.Name), Max: l.Max, Fields: fields})
			continue
		}
		if l.Check != nil {
			if r := l.Check(l.Name); r != "" {
				out = append(out, Problem{What: l.What, Name: l.Name, Length: len(l.Name), Max: l.Max, Reason: r, Fields: fields})
			}
		}
	}
	return out
}

// LongestTestID gives the longest names a test deployment can have (every
// test id has the same length, so any id will do).
const LongestTestID = "ffff"

var (
	bucketChars = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]*[a-z0-9]$`)
	mpgChars    = regexp.MustCompile(`^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$`)
)

// bucketDNSRule applies S3's general-purpose bucket naming rules.
func bucketDNSRule(s string) string {
	switch {
	case len(s) < 3:
		return "S3 bucket names need at least 3 characters"
	case !bucketChars.MatchString(s):
		return "S3 bucket names use lowercase letters, digits, dots and hyphens, and start and end with a letter or digit"
	case strings.Contains(s, ".."):
		return "S3 bucket names must not contain two adjacent dots"
	case net.ParseIP(s) != nil:
		return "S3 bucket names must not look like an IP address"
	case strings.HasPrefix(s, "xn--") || strings.HasPrefix(s, "sthree-"):
		return "S3 bucket names must not start with xn-- or sthree-"
	case strings.HasSuffix(s, "-s3alias") || strings.HasSuffix(s, "--ol-s3"):
		return "S3 bucket names must not end with -s3alias or --ol-s3"
	}
	return ""
}

func modelPackageGroupRule(s string) string {
	if !mpgChars.MatchString(s) {
		return "model package group names use letters, digits and single hyphens"
	}
	return ""
}

// BucketNameProblem applies S3's general-purpose bucket naming rules (length
// included) to a bucket name from config; it returns "" when the name is valid.
func BucketNameProblem(name string) string {
	if len(name) > 63 {
		return "S3 bucket names have at most 63 characters"
	}
	return bucketDNSRule(name)
}
