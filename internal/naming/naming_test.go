package naming

import (
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
	n := ForTest(specExample, "1a2b")
	if n.StackName != "globalbank-prod-c001-us-west-2-demand-forecasting-ml-test-1a2b" {
		t.Errorf("stack = %q", n.StackName)
	}
	for _, l := range n.Limits() {
		if strings.HasPrefix(l.Name, "/ml/") || l.Name == n.Connection {
			continue
		}
		if !strings.Contains(l.Name, "-t1a2b-") || strings.Contains(l.Name, "-prod-") {
			t.Errorf("%s name %q does not carry the test tag in place of the env", l.What, l.Name)
		}
	}
	if n.Connection == For(specExample).Connection {
		t.Errorf("test deployment reuses the product's connection name %q", n.Connection)
	}
	if got := n.SSMPrefix(); got != "/ml/globalbank-t1a2b-c001-us-west-2-demand-forecasting-ml/" {
		t.Errorf("test SSM prefix = %q (must not overwrite the product's outputs)", got)
	}
}

func TestCheckReportsNameLengthAndLimit(t *testing.T) {
	f := specExample
	f.Workload = "realtime"
	problems := For(f).Check()
	var role *Problem
	for i := range problems {
		if problems[i].What == "IAM role (SageMaker execution)" {
			role = &problems[i]
		}
	}
	if role == nil {
		t.Fatalf("the 73-character SageMaker role name was not reported: %v", problems)
	}
	msg := role.Error()
	for _, want := range []string{role.Name, "73 characters", "limit of 64", "ml_product.use_case"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
	if len(For(Fields{CompanyPrefix: "acme", Env: "dev", TenantID: "t001", Region: "us-east-1", UseCase: "churn"}).Check()) != 0 {
		t.Error("a short product has name problems")
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
