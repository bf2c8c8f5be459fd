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
	// Contract names are exactly as PRODUCT.md §2 gives them (downstream
	// systems rely on them): never shortened, so they may not fit.
	Contract bool
}

// contractFields names the fields a user can shorten; env, tenant_id and
// region have fixed shapes.
const contractFields = "client.company_prefix, ml_product.use_case or ml_product.workload"

// maxStackName is Pulumi's limit on a stack name (tokens.ParseStackName in
// github.com/pulumi/pulumi/sdk/v3/go/common/tokens/stack_name.go).
const maxStackName = 100

// Limits lists every physical name with its AWS limit. Non-contract names
// fit by construction (Shorten); contract names are checked by Check.
func (n Names) Limits() []Limit {
	out := make([]Limit, 0, len(shortenable)+12)
	for _, r := range shortenable {
		out = append(out, Limit{What: r.what, Name: *r.field(&n), Max: r.max, Check: rules[r.what]})
	}
	stack := Limit{What: "Pulumi stack name", Name: n.StackName, Max: maxStackName, Contract: true}
	if n.TestID == "" {
		// The test stack {ml_name}-test-{hex} is the longer one.
		stack = Limit{What: "Pulumi stack name of a test deployment", Name: n.StackName + "-test-" + LongestTestID, Max: maxStackName, Contract: true}
	}
	return append(out,
		// Derived names: AWS's CodeBuild log group convention, the alerts
		// key's alias next to the contract alias, the CodeConnections form.
		Limit{What: "CloudWatch log group (build)", Name: n.BuildLogGroup, Max: 512},
		Limit{What: "CloudWatch log group (deploy)", Name: n.DeployLogGroup, Max: 512},
		Limit{What: "KMS alias (alerts)", Name: n.AlertsKMSAlias, Max: 256},
		Limit{What: "CodeConnections connection", Name: n.Connection, Max: 32},
		// Contract names (sns CreateTopic 256 per the SNS API reference,
		// logs LogGroupName 512, monitoring AlarmName 255, kms
		// AliasNameType 256, ssm PSParameterName 2048 in the aws-sdk-go
		// v1.55.8 models; SSM's documented 1011 for the name beyond the
		// hierarchy is the tighter one).
		Limit{What: "SNS topic", Name: n.AlertsTopic, Max: 256, Contract: true},
		Limit{What: "CloudWatch log group (compliance)", Name: n.ComplianceLogGroup, Max: 512, Contract: true},
		Limit{What: "CloudWatch alarm (unauthorized API calls)", Name: n.UnauthorizedCallsAlarm, Max: 255, Contract: true},
		Limit{What: "CloudWatch alarm (root account usage)", Name: n.RootUsageAlarm, Max: 255, Contract: true},
		Limit{What: "KMS alias", Name: n.KMSAlias, Max: 256, Contract: true},
		Limit{What: "SSM parameter", Name: n.SSMPath(OutVpcEndpointIDSagemakerRuntime), Max: 1011, Contract: true},
		stack,
	)
}

// rules are the AWS naming rules beyond length, by Limit.What.
var rules = map[string]func(string) string{
	"SageMaker model package group": modelPackageGroupRule,
	"S3 bucket (artifacts)":         bucketDNSRule,
	"S3 bucket (compliance trail)":  bucketDNSRule,
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
	return fmt.Sprintf("%s name %q is %d characters, over the limit of %d; shorten %s",
		p.What, p.Name, p.Length, p.Max, p.Fields)
}

// Check returns every name that breaks its limit or naming rule. Only a
// contract name can be too long: every other name is shortened to fit.
func (n Names) Check() []Problem {
	var out []Problem
	for _, l := range n.Limits() {
		if len(l.Name) > l.Max {
			out = append(out, Problem{What: l.What, Name: l.Name, Length: len(l.Name), Max: l.Max, Fields: contractFields})
			continue
		}
		if l.Check != nil {
			if r := l.Check(l.Name); r != "" {
				out = append(out, Problem{What: l.What, Name: l.Name, Length: len(l.Name), Max: l.Max, Reason: r, Fields: contractFields})
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
