package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mlprov/mlprov/internal/provtemplate"
)

const (
	enterpriseExample = "../../configs/globalbank-prod-c001-us-west-2-churn-ml-codecommit-standalone-ssm.yaml"
	starterExample    = "../../configs/techcorp-dev-t001-us-east-1-churn-ml-codecommit.yaml"
)

func TestValidateConfigAllShippedConfigs(t *testing.T) {
	code, out, errs := run(t, "validate-config", "--all", "../../configs")
	if code != ExitOK {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	files, _ := filepath.Glob("../../configs/*.yaml")
	if want := len(files); !strings.Contains(out, "valid, 0 invalid") || strings.Count(out, "\nvalid ")+1 < want {
		t.Errorf("output does not list %d valid configs:\n%s", want, out)
	}
}

func TestValidateConfigBadFileExitsInvalidWithLine(t *testing.T) {
	dir := t.TempDir()
	b, _ := os.ReadFile(starterExample)
	bad := strings.Replace(string(b), "tenant_id: t001", "tenant_id: T-01", 1)
	path := filepath.Join(dir, "bad.yaml")
	os.WriteFile(path, []byte(bad), 0o644)
	code, out, _ := run(t, "validate-config", "--config", path)
	if code != ExitInvalidConfig {
		t.Fatalf("exit %d, want %d\n%s", code, ExitInvalidConfig, out)
	}
	if !strings.Contains(out, "client.tenant_id") || !strings.Contains(out, "line ") {
		t.Errorf("problem not reported with path and line:\n%s", out)
	}
	code, out, _ = run(t, "validate-config", "--config", path, "--output", "json")
	var doc ValidateConfigOutput
	err := json.Unmarshal([]byte(out), &doc)
	if results := doc.Results; err != nil || code != ExitInvalidConfig || len(results) != 1 || results[0].Valid {
		t.Fatalf("json output: code %d err %v\n%s", code, err, out)
	}
}

func TestCreateProvTemplateNewAndLegacyFormsWriteTheSameFile(t *testing.T) {
	newDir, oldDir := t.TempDir(), t.TempDir()
	if code, out, errs := run(t, "create-prov-template", "-c", enterpriseExample, "--workdir", newDir); code != ExitOK {
		t.Fatalf("new form: exit %d\n%s%s", code, out, errs)
	}
	if code, out, errs := run(t, "-con", enterpriseExample, "-act", "create-prov-template", "--workdir", oldDir); code != ExitOK {
		t.Fatalf("legacy form: exit %d\n%s%s", code, out, errs)
	}
	rel := "ml/templates/globalbank-prod-c001-us-west-2-churn-ml-codecommit-standalone-ssm-template.json"
	a, err := os.ReadFile(filepath.Join(newDir, rel))
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(oldDir, rel))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Error("the two forms wrote different templates")
	}
	doc, err := provtemplate.Read(filepath.Join(newDir, rel))
	if err != nil {
		t.Fatal(err)
	}
	if doc.Product.Tier != "enterprise" || doc.Product.Scenario != "codecommit-standalone-ssm" || len(doc.Custom()) < 40 {
		t.Errorf("template product %+v with %d custom resources", doc.Product, len(doc.Custom()))
	}
}

func TestPlanWritesEveryArtifactAndSummarises(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := run(t, "plan", "-c", enterpriseExample, "--workdir", dir)
	if code != ExitOK {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	for _, step := range planSteps {
		if !strings.Contains(out, "ok   "+step.action) {
			t.Errorf("summary lacks step %s:\n%s", step.action, out)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "ml/templates/globalbank-prod-c001-us-west-2-churn-ml-codecommit-standalone-ssm-template.json")); err != nil {
		t.Error(err)
	}
}

func TestPlanOnInvalidConfigStopsAtValidation(t *testing.T) {
	dir := t.TempDir()
	b, _ := os.ReadFile(starterExample)
	path := filepath.Join(dir, "bad.yaml")
	os.WriteFile(path, []byte(strings.Replace(string(b), "env: dev", "env: qa", 1)), 0o644)
	code, out, _ := run(t, "plan", "-c", path, "--workdir", dir)
	if code != ExitInvalidConfig || !strings.Contains(out, "FAIL validate-config") {
		t.Fatalf("exit %d\n%s", code, out)
	}
	if _, err := os.Stat(filepath.Join(dir, "ml")); !os.IsNotExist(err) {
		t.Error("plan wrote files for an invalid config")
	}
}

// A policy violation fails plan with the policy exit code, but the deployer
// policy and the review report that explains the violation are still written.
func TestPlanWithPolicyViolationStillWritesTheReport(t *testing.T) {
	dir := t.TempDir()
	b, _ := os.ReadFile(starterExample)
	expired := strings.Replace(string(b), "tags:", `  suppressions:
    - rule: MLP-S3-004
      resource: artifacts
      reason: "temporary exception for a migration"
      owner: secops@techcorp.example.com
      expires: 2020-01-31
tags:`, 1)
	path := filepath.Join(dir, "expired-waiver.yaml")
	os.WriteFile(path, []byte(expired), 0o644)
	code, out, errs := run(t, "plan", "-c", path, "--workdir", dir)
	if code != ExitPolicyViolation {
		t.Fatalf("exit %d, want %d\n%s%s", code, ExitPolicyViolation, out, errs)
	}
	if !strings.Contains(out, "FAIL validate-prov-template") || !strings.Contains(errs, "MLP-WVR-002") {
		t.Errorf("violation not reported:\n%s\n%s", out, errs)
	}
	for _, want := range []string{"ok   create-policy", "ok   create-review-report"} {
		if !strings.Contains(out, want) {
			t.Errorf("plan stopped before %q:\n%s", want, out)
		}
	}
}
