package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mlprov/mlprov/internal/policycheck"
	"github.com/mlprov/mlprov/internal/provtemplate"
	"github.com/mlprov/mlprov/policy-pack/rules"
)

// renderEnterprise writes the enterprise example's template and returns it.
func renderEnterprise(t *testing.T, dir string) (*provtemplate.Document, string) {
	t.Helper()
	if code, out, errs := run(t, "create-prov-template", "-c", enterpriseExample, "--workdir", dir); code != ExitOK {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	path := filepath.Join(dir, "ml/templates/globalbank-prod-c001-us-west-2-churn-ml-codecommit-standalone-ssm-template.json")
	doc, err := provtemplate.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	return doc, path
}

func TestValidateProvTemplatePassesShippedEnterpriseExample(t *testing.T) {
	dir := t.TempDir()
	sarif := filepath.Join(dir, "results.sarif")
	code, out, errs := run(t, "validate-prov-template", "-c", enterpriseExample, "--workdir", dir, "--sarif", sarif)
	if code != ExitOK {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	if !strings.Contains(out, "PASSED") {
		t.Errorf("no verdict in output:\n%s", out)
	}
	var log struct {
		Version string `json:"version"`
		Runs    []any  `json:"runs"`
	}
	b, err := os.ReadFile(sarif)
	if err != nil || json.Unmarshal(b, &log) != nil || log.Version != "2.1.0" || len(log.Runs) != 1 {
		t.Errorf("SARIF file not written correctly: %v %s", err, b)
	}
}

// Tampering with a rendered template makes the gate fail with the right rule.
func TestValidateProvTemplateCatchesTampering(t *testing.T) {
	cases := []struct {
		name   string
		rule   string
		tamper func(t *testing.T, doc *provtemplate.Document)
	}{
		{"key rotation off", "MLP-KMS-001", func(t *testing.T, doc *provtemplate.Document) {
			first(t, doc, "aws:kms/key:Key").Inputs["enableKeyRotation"] = false
		}},
		{"public-read ACL", "MLP-S3-006", func(t *testing.T, doc *provtemplate.Document) {
			bucket := first(t, doc, "aws:s3/bucketV2:BucketV2")
			doc.Resources = append(doc.Resources, provtemplate.Resource{
				URN: bucket.URN + "-acl", Type: "aws:s3/bucketAclV2:BucketAclV2", LogicalName: "artifacts-acl",
				Custom: true, Provider: "aws", Parent: bucket.Parent,
				Inputs: map[string]any{"bucket": bucket.PhysicalName, "acl": "public-read"},
			})
		}},
		{"role without boundary", "MLP-IAM-004", func(t *testing.T, doc *provtemplate.Document) {
			delete(first(t, doc, "aws:iam/role:Role").Inputs, "permissionsBoundary")
		}},
		{"wildcard action", "MLP-IAM-001", func(t *testing.T, doc *provtemplate.Document) {
			first(t, doc, "aws:iam/rolePolicy:RolePolicy").Inputs["policy"] =
				`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
		}},
		{"deploy rule without Approved filter", "MLP-EVT-001", func(t *testing.T, doc *provtemplate.Document) {
			for _, r := range doc.Resources {
				if p, ok := r.Inputs["eventPattern"].(string); ok && strings.Contains(p, "Approved") {
					r.Inputs["eventPattern"] = strings.ReplaceAll(p, `"Approved"`, `"PendingManualApproval"`)
					return
				}
			}
			t.Fatal("no event rule filters on Approved")
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			doc, path := renderEnterprise(t, dir)
			c.tamper(t, doc)
			if err := writeJSONFile(path, doc); err != nil {
				t.Fatal(err)
			}
			code, out, errs := run(t, "validate-prov-template", "--template", path, "--output", "json")
			if code != ExitPolicyViolation {
				t.Fatalf("exit %d, want %d\n%s%s", code, ExitPolicyViolation, out, errs)
			}
			var res policycheck.Result
			if err := json.Unmarshal([]byte(out), &res); err != nil {
				t.Fatal(err)
			}
			for _, f := range res.Findings {
				if f.RuleID == c.rule && f.Status == rules.StatusViolation {
					return
				}
			}
			t.Errorf("no %s violation in %+v", c.rule, res.Findings)
		})
	}
}

func first(t *testing.T, doc *provtemplate.Document, token string) *provtemplate.Resource {
	t.Helper()
	for i := range doc.Resources {
		if doc.Resources[i].Type == token {
			return &doc.Resources[i]
		}
	}
	t.Fatalf("no %s in template", token)
	return nil
}
