package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The old guide's enterprise product: its full pipeline-failure rule name
// has 65 characters, over EventBridge's 64.
const oldGuideEnterprise = "../../configs/globalbank-prod-c001-us-west-2-demand-forecasting-ml-codecommit-sgprov-ssm.yaml"

const (
	fullRuleName = "globalbank-prod-c001-us-west-2-demand-forecasting-pipeline-failed"
	// The first 39 characters, "-", 8 hex of sha256(fullRuleName), the suffix.
	shortRuleName = "globalbank-prod-c001-us-west-2-demand-f-1b132f65-pipeline-failed"
)

// validate-config, show-product and the review report show each shortened
// name beside its full form, as information: the config is valid.
func TestShortenedNamesAreShownBesideTheFullForm(t *testing.T) {
	code, out, errs := run(t, "validate-config", "--config", oldGuideEnterprise)
	if code != ExitOK || !strings.Contains(out, "valid ") {
		t.Fatalf("validate-config: exit %d\n%s%s", code, out, errs)
	}
	for name, text := range map[string]string{"validate-config": out} {
		if !strings.Contains(text, shortRuleName) || !strings.Contains(text, fullRuleName) || !strings.Contains(text, "shortened") {
			t.Errorf("%s does not show %s beside %s:\n%s", name, shortRuleName, fullRuleName, text)
		}
	}
	code, out, errs = run(t, "show-product", "--config", oldGuideEnterprise)
	if code != ExitOK {
		t.Fatalf("show-product: exit %d\n%s%s", code, out, errs)
	}
	if !strings.Contains(out, "Shortened names") || !strings.Contains(out, fullRuleName) || strings.Count(out, shortRuleName) < 2 {
		t.Errorf("show-product does not list the rule (resource table and shortened list):\n%s", out)
	}
	dir := t.TempDir()
	if code, out, errs := run(t, "create-review-report", "--config", oldGuideEnterprise, "--workdir", dir); code != ExitOK {
		t.Fatalf("create-review-report: exit %d\n%s%s", code, out, errs)
	}
	html, _ := filepath.Glob(filepath.Join(dir, "ml/reports/*.html"))
	if len(html) != 1 {
		t.Fatalf("want one HTML report, got %v", html)
	}
	b, _ := os.ReadFile(html[0])
	if !strings.Contains(string(b), "Shortened names") || !strings.Contains(string(b), "<code>"+shortRuleName+"</code>") || !strings.Contains(string(b), "<code>"+fullRuleName+"</code>") {
		t.Errorf("review report lacks the shortened-names table with %s and %s", shortRuleName, fullRuleName)
	}
}

// A user of the old tool passes its scenario spelling (…-codecommit-ssm for
// mlprov's …-codecommit-sgprov-ssm): config and template names both resolve.
func TestOldScenarioSpellingIsAccepted(t *testing.T) {
	dir := t.TempDir()
	old := "globalbank-prod-c001-us-west-2-demand-forecasting-ml-codecommit-ssm"
	if code, out, errs := run(t, "-con", "../../configs/"+old+".yaml", "-act", "create-prov-template", "--workdir", dir); code != ExitOK {
		t.Fatalf("config by the old scenario name: exit %d\n%s%s", code, out, errs)
	}
	tmpl := filepath.Join(dir, "ml/templates", old+"-template.json")
	if code, out, errs := run(t, "validate-prov-template", "--template", tmpl); code != ExitOK {
		t.Fatalf("template by the old scenario name: exit %d\n%s%s", code, out, errs)
	}
	if code, _, _ := run(t, "-con", "../../configs/globalbank-prod-c001-us-west-2-demand-forecasting-ml-s3-ssm.yaml", "-act", "validate-config"); code != ExitUsage {
		t.Errorf("a name that maps to no file must still be a usage error, got %d", code)
	}
}
