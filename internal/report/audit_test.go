package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mlprov/mlprov/internal/naming"
)

// Credentials in every shape the redactor must catch, each paired with a
// part of the line that must survive.
var secretCases = []struct{ in, secret, keep string }{
	{"AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE", "AWS_ACCESS_KEY_ID="},
	{"key ASIAY34FZKBOKMUTVV7A in use", "ASIAY34FZKBOKMUTVV7A", "in use"},
	{"aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "aws_secret_access_key"},
	{"bare wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY here", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "here"},
	{"PULUMI_CONFIG_PASSPHRASE=correct horse", "correct", "PULUMI_CONFIG_PASSPHRASE="},
	{`{"password": "hunter2", "user": "bob"}`, "hunter2", `"user": "bob"`},
	{"Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig", "eyJhbGciOiJIUzI1NiJ9", "Authorization"},
	{"--backend s3://alice:s3cr3t@bucket/state", "s3cr3t", "s3://alice:"},
	{"token pul-0123456789abcdef0123456789abcdef01234567", "pul-0123456789abcdef0123456789abcdef01234567", "token"},
	{"gh ghp_abcdefghijklmnopqrstuvwxyz0123456789AB", "ghp_abcdefghijklmnopqrstuvwxyz0123456789AB", "gh"},
	{"client_secret:abc123", "abc123", "client_secret:"},
}

func TestRedactRemovesCredentials(t *testing.T) {
	for _, c := range secretCases {
		got := Redact(c.in)
		if strings.Contains(got, c.secret) || !strings.Contains(got, Redacted) || !strings.Contains(got, c.keep) {
			t.Errorf("Redact(%q) = %q: want %q gone, %q kept", c.in, got, c.secret, c.keep)
		}
	}
}

func TestRedactKeepsOrdinaryText(t *testing.T) {
	for _, s := range []string{
		"plan --config configs/globalbank-prod-c001-us-west-2-churn-ml-codecommit-standalone-ssm.yaml",
		"arn:aws:iam::123456789012:role/globalbank-prod-c001-churn-codebuild-role",
		"commit 4b825dc642cb6eb9a060e54bf8d69288fbee4904", // a hex digest is not a key
		"exit 0 (success)",
	} {
		if got := Redact(s); got != s {
			t.Errorf("Redact(%q) = %q, want unchanged", s, got)
		}
	}
}

func TestRedactArgs(t *testing.T) {
	got := RedactArgs([]string{"deploy-product", "--config", "a.yaml", "--secrets-passphrase", "open sesame", "--token=abc", "--force"})
	want := "deploy-product --config a.yaml --secrets-passphrase [REDACTED] --token=[REDACTED] --force"
	if strings.Join(got, " ") != want {
		t.Errorf("RedactArgs = %q, want %q", strings.Join(got, " "), want)
	}
}

func fxAudit() AuditEntry {
	return AuditEntry{
		Started: now, Action: "deploy-product", Who: "arn:aws:sts::123456789012:assumed-role/ci/alice", WhoSource: WhoCallerIdentity,
		Product: fxName + " (codecommit-standalone-ssm)", Config: "configs/globalbank.yaml",
		Args:    []string{"deploy-product", "--config", "configs/globalbank.yaml", "--passphrase", "hunter2", "--force"},
		Workdir: ".", Version: "test", ExitCode: 1, Result: "unexpected error",
		Env:      map[string]string{"AWS_PROFILE": "prod", "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "PULUMI_CONFIG_PASSPHRASE": "hunter2"},
		Error:    "up failed: provider said AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY is invalid",
		Duration: 2*time.Second + 345*time.Millisecond,
		Wrote:    []string{"ml/reports/a-deployment.html", "ml/reports/a-deployment.json"},
	}
}

func TestAuditLogGolden(t *testing.T) {
	golden(t, "audit.golden.log", []byte(FormatAuditLog(fxAudit())))
}

func TestAuditLogNeverHoldsACredential(t *testing.T) {
	dir := t.TempDir()
	names := naming.Names{MLName: fxName, Scenario: "codecommit-standalone-ssm"}
	path := AuditLogPath(dir, &names, "deploy-product", now)
	if want := filepath.Join(dir, "ml/reports", fxName+"-codecommit-standalone-ssm-deploy-product-20261123T093000000Z.log"); path != want {
		t.Fatalf("path %s, want %s", path, want)
	}
	if err := WriteAuditLog(path, fxAudit()); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	log := string(b)
	for _, secret := range []string{"hunter2", "wJalrXUtnFEMI"} {
		if strings.Contains(log, secret) {
			t.Errorf("audit log leaks %q:\n%s", secret, log)
		}
	}
	for _, want := range []string{"who:      arn:aws:sts::123456789012:assumed-role/ci/alice (AWS caller identity)", "result:   exit 1 (unexpected error)",
		"duration: 2.345s", "AWS_PROFILE=prod", "AWS_SECRET_ACCESS_KEY=[REDACTED]", "--passphrase [REDACTED] --force"} {
		if !strings.Contains(log, want) {
			t.Errorf("audit log lacks %q:\n%s", want, log)
		}
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want 0640", st.Mode().Perm())
	}
	if got := AuditLogPath(dir, nil, "list-products", now); filepath.Base(got) != "mlprov-list-products-20261123T093000000Z.log" {
		t.Errorf("without a product: %s", got)
	}
}

func TestOSUser(t *testing.T) {
	env := map[string]string{"LOGNAME": "bob"}
	if got := OSUser(func(k string) string { return env[k] }); got != "bob" {
		t.Errorf("OSUser = %q, want bob from LOGNAME", got)
	}
}
