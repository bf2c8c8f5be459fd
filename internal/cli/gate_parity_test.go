package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mlprov/mlprov/internal/config"
	"github.com/mlprov/mlprov/internal/environments"
	"github.com/mlprov/mlprov/internal/naming"
	"github.com/mlprov/mlprov/internal/policycheck"
	"github.com/mlprov/mlprov/internal/tiers"
	"github.com/mlprov/mlprov/stacks"
)

// validate-config must reject what the policy gate would reject for the
// same reason, naming the rule. For every tier and environment, with the
// manual approval left to the default and turned off and on, the config
// verdict is compared with the gate's verdict on the rendered product (the
// gate is the oracle: it judges the resources, not the config).
func TestValidateConfigAgreesWithThePolicyGate(t *testing.T) {
	bases := map[string]string{
		tiers.Starter:      "../../configs/techcorp-dev-t001-us-east-1-churn-ml-codecommit.yaml",
		tiers.Professional: "../../configs/edge-staging-e042-eu-west-1-fraud-ml-codecommit.yaml",
		tiers.Enterprise:   "../../configs/globalbank-prod-c001-us-west-2-churn-ml-codecommit-standalone-direct.yaml",
	}
	off, on := false, true
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	for _, tier := range tiers.Names {
		for _, env := range environments.Names {
			for label, approval := range map[string]*bool{"default": nil, "off": &off, "on": &on} {
				cfg, err := config.Load(bases[tier])
				if err != nil {
					t.Fatal(err)
				}
				cfg.Environment.Env = env
				cfg.MLProduct.Approval = &config.Approval{ManualBeforeDeploy: approval}
				problems := config.Validate(cfg)

				p := &product{cfg: cfg, names: naming.For(cfg)}
				doc, err := p.render(stacks.Options{})
				if err != nil {
					t.Fatalf("%s/%s/%s: render: %v", tier, env, label, err)
				}
				var blocking []string
				for _, f := range policycheck.Check(doc, now).Findings {
					if f.Blocking() {
						blocking = append(blocking, f.RuleID)
					}
				}
				var messages []string
				for _, pr := range problems {
					messages = append(messages, pr.Path+": "+pr.Message)
				}
				switch {
				case len(blocking) == 0 && len(problems) > 0:
					t.Errorf("%s/%s approval %s: validate-config rejects what the gate accepts: %v", tier, env, label, messages)
				case len(blocking) > 0 && len(problems) == 0:
					t.Errorf("%s/%s approval %s: validate-config accepts, the gate rejects with %v", tier, env, label, blocking)
				}
				for _, id := range blocking {
					if len(problems) > 0 && !strings.Contains(strings.Join(messages, "\n"), id) {
						t.Errorf("%s/%s approval %s: the gate's %s is not named by validate-config: %v", tier, env, label, id, messages)
					}
				}
			}
		}
	}
}

func TestValidateConfigRejectsApprovalOffInStagingWithTheRuleID(t *testing.T) {
	b, err := os.ReadFile("../../configs/edge-staging-e042-eu-west-1-fraud-ml-codecommit.yaml")
	if err != nil {
		t.Fatal(err)
	}
	yaml := strings.Replace(string(b), "  log_retention_days: 90\n", "  log_retention_days: 90\n  approval:\n    manual_before_deploy: false\n", 1)
	path := filepath.Join(t.TempDir(), "staging-no-approval.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ := run(t, "validate-config", "--config", path)
	if code != ExitInvalidConfig {
		t.Fatalf("exit %d, want %d\n%s", code, ExitInvalidConfig, out)
	}
	for _, want := range []string{"line 18", "ml_product.approval.manual_before_deploy", "MLP-CP-003", "staging"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
