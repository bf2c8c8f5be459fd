package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mlprov/mlprov/internal/iampolicy"
	"github.com/mlprov/mlprov/internal/report"
)

const enterpriseBase = "globalbank-prod-c001-us-west-2-churn-ml-codecommit-standalone-ssm"

// reviewFile is the one review report file of ext that a run wrote:
// ml/reports/{base}-create-review-report-{timestamp}.{ext}.
func reviewFile(t *testing.T, dir, base, ext string) string {
	t.Helper()
	got, _ := filepath.Glob(filepath.Join(dir, "ml/reports", base+"-create-review-report-*."+ext))
	if len(got) != 1 {
		t.Fatalf("want one %s review report for %s, got %v", ext, base, got)
	}
	return got[0]
}

func TestCreateReviewReportWritesHTMLJSONAndSARIF(t *testing.T) {
	dir := t.TempDir()

	code, out, errs := run(t, "create-review-report", "--config", enterpriseExample, "--workdir", dir)
	if code != ExitOK {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	for _, path := range []string{reviewFile(t, dir, enterpriseBase, "html"), reviewFile(t, dir, enterpriseBase, "json"),
		filepath.Join(dir, "ml/reports", enterpriseBase+"-policy.sarif")} {
		if !strings.Contains(out, "wrote "+path) {
			t.Errorf("output does not name the %s it wrote:\n%s", path, out)
		}
	}
	if !strings.Contains(out, "policy check PASSED") || !strings.Contains(out, "estimated monthly cost: $") {
		t.Errorf("output lacks the verdict and the cost:\n%s", out)
	}
	var r report.Review
	b, _ := os.ReadFile(reviewFile(t, dir, enterpriseBase, "json"))
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	if r.Product.Tier != "enterprise" || r.Product.AccountID != "123456789012" || r.ResourceCount < 40 || len(r.Outputs) < 15 {
		t.Errorf("summary %+v, %d resources, %d outputs", r.Product, r.ResourceCount, len(r.Outputs))
	}
	wantFiles := iampolicy.Paths(dir, enterpriseProduct(t).names, len(r.Deployer.Documents))
	if len(r.Deployer.Documents) == 0 || r.Deployer.Documents[0].Statements() == 0 || r.Deployer.Missing != "" ||
		strings.Join(r.Deployer.Files, ",") != strings.Join(wantFiles, ",") {
		t.Errorf("deployer policy: want the generated documents and create-policy's file names, got %+v", r.Deployer.Files)
	}
	guaranteed := 0
	for _, c := range r.Checklist {
		if c.Owner == report.OwnerMLProv && c.Status == report.StatusGuaranteed {
			guaranteed++
		}
		if c.Owner == report.OwnerMLProv && c.Status == report.StatusViolated {
			t.Errorf("the shipped enterprise example violates %q", c.Title)
		}
	}
	if guaranteed < 10 {
		t.Errorf("enterprise: want most guarantees to hold, got %d", guaranteed)
	}
	if r.Cost.Total <= 0 {
		t.Errorf("enterprise cost %v", r.Cost.Total)
	}
}

func TestCreateReviewReportOnStarterClaimsNoEnterpriseControls(t *testing.T) {
	dir := t.TempDir()
	if code, out, errs := run(t, "create-review-report", "--config", starterExample, "--workdir", dir, "--output", "json"); code != ExitOK {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	var r report.Review
	b, _ := os.ReadFile(reviewFile(t, dir, "techcorp-dev-t001-us-east-1-churn-ml-codecommit", "json"))
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	for _, c := range r.Checklist {
		enterpriseOnly := strings.HasPrefix(c.Title, "Customer managed KMS key") || strings.HasPrefix(c.Title, "Permission boundary") ||
			strings.HasPrefix(c.Title, "Private networking") || strings.HasPrefix(c.Title, "Compliance alarms")
		if enterpriseOnly && c.Status != report.StatusNotInTier {
			t.Errorf("starter: %q is %q, want %q", c.Title, c.Status, report.StatusNotInTier)
		}
	}
	for _, l := range r.Cost.Lines {
		if l.Item == "Interface VPC endpoints" || l.Item == "KMS customer managed key" {
			t.Errorf("starter priced %q", l.Item)
		}
	}
}

func TestPlanEndsWithTheReviewReport(t *testing.T) {
	if last := planSteps[len(planSteps)-1].action; last != "create-review-report" {
		t.Fatalf("plan's last step is %s", last)
	}
	dir := t.TempDir()
	code, out, errs := run(t, "plan", "--config", enterpriseExample, "--workdir", dir)
	if code != ExitOK || !strings.Contains(out, "create-review-report") || !strings.Contains(out, enterpriseBase+"-create-review-report-") {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
}

// runAudited runs mlprov the way main does: with audit logs on.
func runAudited(t *testing.T, env map[string]string, args ...string) int {
	t.Helper()
	var out, errb bytes.Buffer
	clock := time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC)
	return Main(args, Deps{Out: &out, Err: &errb, Audit: true, Getenv: func(k string) string { return env[k] },
		Now: func() time.Time { clock = clock.Add(250 * time.Millisecond); return clock }})
}

func TestEveryActionWritesARedactedAuditLog(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"USER": "alice", "AWS_PROFILE": "prod", "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "PULUMI_CONFIG_PASSPHRASE": "hunter2"}
	if code := runAudited(t, env, "-con", enterpriseExample, "-act", "create-prov-template", "--workdir", dir); code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	logs, _ := filepath.Glob(filepath.Join(dir, "ml/reports", enterpriseBase+"-create-prov-template-*.log"))
	if len(logs) != 1 {
		t.Fatalf("want one audit log named after product, scenario and action, got %v", logs)
	}
	b, _ := os.ReadFile(logs[0])
	log := string(b)
	for _, want := range []string{"action:   create-prov-template", "who:      alice (OS user)", "result:   exit 0 (success)",
		"product:  globalbank-prod-c001-us-west-2-churn-ml (codecommit-standalone-ssm)", "AWS_PROFILE=prod", "-template.json", "duration: "} {
		if !strings.Contains(log, want) {
			t.Errorf("audit log lacks %q:\n%s", want, log)
		}
	}
	for _, secret := range []string{"hunter2", "wJalrXUtnFEMI"} {
		if strings.Contains(log, secret) {
			t.Errorf("audit log leaks %q", secret)
		}
	}

	// A failed action is logged too, under "mlprov" when no product loaded
	// (a usage error acts on nothing and is not logged).
	invalid := filepath.Join(dir, "invalid.yaml")
	os.WriteFile(invalid, []byte("client: {}\n"), 0o644)
	if code := runAudited(t, env, "plan", "--config", invalid, "--workdir", dir); code != ExitInvalidConfig {
		t.Fatalf("exit %d", code)
	}
	failed, _ := filepath.Glob(filepath.Join(dir, "ml/reports", "mlprov-plan-*.log"))
	if len(failed) != 1 {
		t.Fatalf("want the failed plan logged, got %v", failed)
	}
	b, _ = os.ReadFile(failed[0])
	if !strings.Contains(string(b), "result:   exit 3 (invalid configuration file") || !strings.Contains(string(b), "client.company_name: required") {
		t.Errorf("failed action log:\n%s", b)
	}

	// Informational commands are not actions.
	before, _ := filepath.Glob(filepath.Join(dir, "ml/reports/*.log"))
	runAudited(t, env, "exit-codes", "--workdir", dir)
	after, _ := filepath.Glob(filepath.Join(dir, "ml/reports/*.log"))
	if len(after) != len(before) {
		t.Errorf("exit-codes wrote an audit log")
	}
}

// The old tool's names: {ml_name}-{scenario}-create-review-report-{timestamp}.html
// beside the action's audit log {ml_name}-{scenario}-create-review-report-{timestamp}.log.
func TestReviewReportIsNamedLikeTheOldToolBesideItsLog(t *testing.T) {
	dir := t.TempDir()
	if code := runAudited(t, nil, "-con", enterpriseExample, "-act", "create-review-report", "--workdir", dir); code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	html := reviewFile(t, dir, enterpriseBase, "html")
	// runAudited's clock: the action starts at 09:30:00.250 UTC.
	want := filepath.Join(dir, "ml/reports", enterpriseBase+"-create-review-report-20261123T093000250Z.html")
	if html != want {
		t.Errorf("review report %s, want %s", html, want)
	}
	if _, err := os.Stat(strings.TrimSuffix(html, ".html") + ".log"); err != nil {
		t.Errorf("no audit log beside the review report: %v", err)
	}
}
