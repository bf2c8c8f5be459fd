package cli

import (
	"strings"
	"testing"

	"github.com/mlprov/mlprov/internal/config"
	"github.com/mlprov/mlprov/internal/quota"
)

func TestQuotaProblemGivesSizeLimitAndFix(t *testing.T) {
	p := quotaProblem(quota.Usage{What: "IAM managed policy", Name: "x-permission-boundary", Size: 6200, Limit: quota.ManagedPolicyChars, Unit: "characters"}, " (in a test deployment)")
	want := "IAM managed policy x-permission-boundary is 6200 characters, over the AWS limit of 6144 (in a test deployment)"
	if p.Message != want || !strings.Contains(p.Fix, "ml_product.use_case") {
		t.Errorf("problem %+v, want message %q and a fix naming the fields", p, want)
	}
}

// A shipped enterprise config renders and fits every policy quota, so
// validate-config's quota pass reports nothing for it.
func TestShippedEnterpriseConfigFitsEveryQuota(t *testing.T) {
	cfg, err := config.Load("../../configs/globalbank-prod-c001-us-west-2-churn-ml-codeconnections-standalone-ssm.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if problems := quotaProblems(cfg); len(problems) != 0 {
		t.Errorf("quota problems for a shipped config: %v", problems)
	}
}
