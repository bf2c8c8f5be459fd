package naming

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
)

// specExample is PRODUCT.md §2's own example product.
var specExample = Fields{
	CompanyPrefix: "globalbank", Env: "prod", TenantID: "c001", Region: "us-west-2",
	UseCase: "demand-forecasting", SourceControl: "codecommit",
	Network: &NetworkFields{Mode: "sgprov", VPCSource: "ssm"},
}

func TestNamesFollowTheContract(t *testing.T) {
	n := For(specExample)
	want := map[string]string{
		"ml_name":        "globalbank-prod-c001-us-west-2-demand-forecasting-ml",
		"base":           "globalbank-prod-c001-us-west-2-demand-forecasting",
		"iam base":       "globalbank-prod-c001-demand-forecasting",
		"scenario":       "codecommit-sgprov-ssm",
		"stack":          "globalbank-prod-c001-us-west-2-demand-forecasting-ml",
		"models":         "globalbank-prod-c001-us-west-2-demand-forecasting-models",
		"build repo":     "globalbank-prod-c001-us-west-2-demand-forecasting-model-build",
		"deploy project": "globalbank-prod-c001-us-west-2-demand-forecasting-deploy",
		"build pipeline": "globalbank-prod-c001-us-west-2-demand-forecasting-build-pipeline",
		"codebuild role": "globalbank-prod-c001-demand-forecasting-codebuild-role",
		"boundary":       "globalbank-prod-c001-demand-forecasting-permission-boundary",
		"bucket":         "globalbank-prod-c001-us-west-2-demand-forecasting-artifacts",
		"dashboard":      "globalbank-prod-c001-us-west-2-demand-forecasting-dashboard",
		"topic":          "globalbank-prod-c001-us-west-2-demand-forecasting-ml-security-alerts",
		"log group":      "globalbank-prod-c001-us-west-2-demand-forecasting-ml-compliance-logs",
		"alarm":          "globalbank-prod-c001-us-west-2-demand-forecasting-ml-root-account-usage",
		"alias":          "alias/globalbank-prod-c001-us-west-2-demand-forecasting-ml",
		"ssm":            "/ml/globalbank-prod-c001-us-west-2-demand-forecasting-ml/KmsKeyArn",
		"template":       "ml/templates/globalbank-prod-c001-us-west-2-demand-forecasting-ml-codecommit-sgprov-ssm-template.json",
		"config file":    "globalbank-prod-c001-us-west-2-demand-forecasting-ml-codecommit-sgprov-ssm.yaml",
	}
	got := map[string]string{
		"ml_name": n.MLName, "base": n.Base, "iam base": n.IAMBase, "scenario": n.Scenario, "stack": n.StackName,
		"models": n.ModelPackageGroup, "build repo": n.BuildRepository, "deploy project": n.DeployProject,
		"build pipeline": n.BuildPipeline, "codebuild role": n.CodeBuildRole, "boundary": n.PermissionBoundary,
		"bucket": n.ArtifactBucket, "dashboard": n.Dashboard, "topic": n.AlertsTopic, "log group": n.ComplianceLogGroup,
		"alarm": n.RootUsageAlarm, "alias": n.KMSAlias, "ssm": n.SSMPath(OutKmsKeyArn),
		"template": n.TemplateFile(), "config file": n.ConfigFileName(),
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s = %q, want %q", k, got[k], w)
		}
	}
}

func TestScenarioTokens(t *testing.T) {
	f := specExample
	f.Workload = "realtime"
	f.Network = &NetworkFields{Mode: "standalone", VPCSource: "direct", HasRouteTables: true}
	if got := Scenario(f); got != "codecommit-standalone-direct-workload-rtb" {
		t.Errorf("scenario = %q", got)
	}
	f.Network, f.SourceControl = nil, "s3"
	if got := Scenario(f); got != "s3-workload" {
		t.Errorf("scenario without network = %q", got)
	}
}

func TestTestDeploymentNamesCarryTheTagAndNeverTheEnv(t *testing.T) {
	staging := specExample
	staging.Env, staging.UseCase = "staging", "churn" // "t1a2b" is shorter than "staging" and every name fits
	n := ForTest(staging, "1a2b")
	if n.StackName != "globalbank-staging-c001-us-west-2-churn-ml-test-1a2b" {
		t.Errorf("stack = %q", n.StackName)
	}
	if len(n.Shortened) != 0 {
		t.Errorf("staging test deployment shortened names: %v", n.Shortened)
	}
	for _, l := range n.Limits() {
		if strings.HasPrefix(l.Name, "/ml/") || l.Name == n.Connection || l.Name == n.StackName {
			continue
		}
		if !strings.Contains(l.Name, "-t1a2b-") || strings.Contains(l.Name, "-staging-") {
			t.Errorf("%s name %q does not carry the test tag in place of the env", l.What, l.Name)
		}
	}
	if n.Connection == For(staging).Connection {
		t.Errorf("test deployment reuses the product's connection name %q", n.Connection)
	}
	if got := n.SSMPrefix(); got != "/ml/globalbank-t1a2b-c001-us-west-2-churn-ml/" {
		t.Errorf("test SSM prefix = %q (must not overwrite the product's outputs)", got)
	}
}

// In prod "t1a2b" is one character longer than "prod": each test name that
// would outgrow the product's own takes the shortened form, keeping the tag
// readable, and its hash covers the test id.
func TestProdTestDeploymentNamesAreNoLongerThanTheProducts(t *testing.T) {
	product, a, b := For(specExample), ForTest(specExample, "1a2b"), ForTest(specExample, "1a2c")
	pl, al, bl := product.Limits(), a.Limits(), b.Limits()
	for i := range pl {
		if al[i].Name == a.StackName {
			continue // {ml_name}-test-{hex} by contract
		}
		if len(al[i].Name) > len(pl[i].Name) {
			t.Errorf("%s: test name %q is longer than the product's %q", pl[i].What, al[i].Name, pl[i].Name)
		}
		if al[i].Name == pl[i].Name || al[i].Name == bl[i].Name {
			t.Errorf("%s: test name %q collides (product %q, other test %q)", pl[i].What, al[i].Name, pl[i].Name, bl[i].Name)
		}
		if !strings.Contains(al[i].Name, "globalbank-t1a2b-") && al[i].Name != a.Connection {
			t.Errorf("%s: test name %q lost the test tag", pl[i].What, al[i].Name)
		}
	}
	// The documented form, recomputed here: first characters of the full
	// name's stem, "-", 8 hex of sha256(full name), the suffix.
	full := "globalbank-t1a2b-c001-us-west-2-demand-forecasting-ml"
	sum := sha256.Sum256([]byte(full))
	want := "globalbank-t1a2b-c001-us-west-2-demand-f-" + hex.EncodeToString(sum[:4]) + "-ml"
	if a.MLName != want || len(want) != len(product.MLName) {
		t.Errorf("test ml_name = %q, want %q (%d characters, the product's length)", a.MLName, want, len(product.MLName))
	}
	if a.AlertsTopic != a.MLName+"-security-alerts" {
		t.Errorf("test topic %q is not {test ml_name}-security-alerts", a.AlertsTopic)
	}
}

func TestLongNamesAreShortenedAndListed(t *testing.T) {
	f := specExample
	f.Workload = "realtime"
	n := For(f)
	if problems := n.Check(); len(problems) != 0 {
		t.Fatalf("non-contract names must fit by shortening, got problems %v", problems)
	}
	full := "globalbank-prod-c001-demand-forecasting-realtime-sagemaker-execution-role" // 73 characters
	var got *Shortened
	for i := range n.Shortened {
		if n.Shortened[i].Full == full {
			got = &n.Shortened[i]
		}
	}
	if got == nil || got.Name != n.SageMakerExecutionRole || got.Max != 64 {
		t.Fatalf("the 73-character SageMaker role is not listed as shortened: %+v", n.Shortened)
	}
	sum := sha256.Sum256([]byte(full))
	if want := "globalbank-prod-c001-demand-fo-" + hex.EncodeToString(sum[:4]) + "-sagemaker-execution-role"; got.Name != want || len(want) > 64 {
		t.Errorf("shortened role = %q, want %q", got.Name, want)
	}
	if len(For(Fields{CompanyPrefix: "acme", Env: "dev", TenantID: "t001", Region: "us-east-1", UseCase: "churn"}).Shortened) != 0 {
		t.Error("a short product has shortened names")
	}
}

func TestOnlyAContractNameThatCannotFitIsAProblem(t *testing.T) {
	f := specExample
	f.UseCase = strings.Repeat("a", 45) // ml_name 79, its test stack 89: fits
	if p := For(f).Check(); len(p) != 0 {
		t.Fatalf("ml_name of 79 characters: %v", p)
	}
	f.UseCase = strings.Repeat("a", 60) // ml_name 94: the test stack name is 104 > 100
	problems := For(f).Check()
	if len(problems) != 1 {
		t.Fatalf("want exactly the test stack name problem, got %v", problems)
	}
	msg := problems[0].Error()
	for _, want := range []string{problems[0].Name, "104 characters", "limit of 100", "ml_product.use_case", "client.company_prefix"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
}

func TestConnectionNameFitsAndIsUniquePerProduct(t *testing.T) {
	long := Fields{CompanyPrefix: "abcdefghijklmnop", Env: "staging", TenantID: "zz99", Region: "ap-southeast-2", UseCase: "a-very-long-use-case"}
	a, b := For(long), For(Fields{CompanyPrefix: "abcdefghijklmnop", Env: "prod", TenantID: "zz99", Region: "ap-southeast-2", UseCase: "a-very-long-use-case"})
	if len(a.Connection) > 32 {
		t.Errorf("connection %q is %d characters, limit 32", a.Connection, len(a.Connection))
	}
	if a.Connection == b.Connection {
		t.Errorf("two products share connection name %q", a.Connection)
	}
}

func TestBucketDNSRule(t *testing.T) {
	for name, bad := range map[string]bool{
		"acme-dev-t001-us-east-1-churn-artifacts": false,
		"Acme-artifacts":  true,
		"xn--acme":        true,
		"acme..artifacts": true,
		"192.168.1.1":     true,
		"acme-s3alias":    true,
		"ab":              true,
	} {
		if got := bucketDNSRule(name) != ""; got != bad {
			t.Errorf("bucketDNSRule(%q) rejects=%v, want %v", name, got, bad)
		}
	}
}

func TestARNs(t *testing.T) {
	a := ARNsFor("123456789012", "us-west-2")
	cases := map[string]string{
		a.Role("r"):                            "arn:aws:iam::123456789012:role/r",
		a.Bucket("b"):                          "arn:aws:s3:::b",
		a.SSMParameter("/ml/x/Key"):            "arn:aws:ssm:us-west-2:123456789012:parameter/ml/x/Key",
		a.LogGroup("g"):                        "arn:aws:logs:us-west-2:123456789012:log-group:g",
		a.ModelPackageGroup("m"):               "arn:aws:sagemaker:us-west-2:123456789012:model-package-group/m",
		ARNsFor("1", "cn-north-1").Bucket("b"): "arn:aws-cn:s3:::b",
	}
	for got, want := range cases {
		if got != want {
			t.Errorf("ARN %q, want %q", got, want)
		}
	}
}

func TestFromOldScenario(t *testing.T) {
	cases := map[string]string{
		"codecommit-ssm": "codecommit-sgprov-ssm",
		"s3-direct-rtb":  "s3-sgprov-direct-rtb",
		"globalbank-prod-c001-us-west-2-demand-forecasting-ml-codecommit-ssm.yaml":             "globalbank-prod-c001-us-west-2-demand-forecasting-ml-codecommit-sgprov-ssm.yaml",
		"globalbank-prod-c001-us-west-2-demand-forecasting-ml-codeconnections-direct-workload": "globalbank-prod-c001-us-west-2-demand-forecasting-ml-codeconnections-sgprov-direct-workload",
		"ml/templates/x-ml-s3-ssm-template.json":                                               "ml/templates/x-ml-s3-sgprov-ssm-template.json",
		// already mlprov's, or no network: unchanged
		"codecommit-sgprov-ssm":            "codecommit-sgprov-ssm",
		"codecommit-standalone-direct-rtb": "codecommit-standalone-direct-rtb",
		"x-ml-codecommit.yaml":             "x-ml-codecommit.yaml",
		"x-ml-s3-workload":                 "x-ml-s3-workload",
	}
	for in, want := range cases {
		if got := FromOldScenario(in); got != want {
			t.Errorf("FromOldScenario(%q) = %q, want %q", in, got, want)
		}
	}
}
