package config_test

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mlprov/mlprov/internal/config"
)

// problemsOf parses data and returns its problems, failing if it is valid.
func problemsOf(t *testing.T, data []byte) []config.Problem {
	t.Helper()
	_, err := config.Parse("x.yaml", data)
	var verr *config.ValidationError
	if !errors.As(err, &verr) {
		t.Fatalf("want *ValidationError, got %T %v", err, err)
	}
	return verr.Problems
}

func TestParseRejectsNonConfigInput(t *testing.T) {
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"no bytes", nil, "file is empty"},
		{"only whitespace", []byte("\n\n   \n"), "file is empty"},
		{"binary", []byte{0x7f, 'E', 'L', 'F', 0, 0xff, 0xfe}, "file is not UTF-8 text"},
		{"scalar", []byte("hello\n"), `the top level must be a mapping with client, environment and ml_product, not the string "hello"`},
		{"huge", bytes.Repeat([]byte("# padding\n"), config.MaxFileSize/10+1), "file is larger than 1048576 bytes"},
		{"tab indent", []byte("client:\n\tcompany_name: x\n"), "not valid YAML"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ps := problemsOf(t, tc.data)
			if len(ps) != 1 || !strings.Contains(ps[0].Message, tc.want) {
				t.Errorf("got %v, want one problem containing %q", ps, tc.want)
			}
		})
	}
}

func TestErrorFormatsOneProblemPerLine(t *testing.T) {
	err := &config.ValidationError{File: "a.yaml", Problems: []config.Problem{
		{Path: "client.account_id", Line: 7, Message: "must be a quoted string", Fix: `quote it`},
		{Path: "tags", Message: "too many"},
		{Message: "file is empty"},
	}}
	want := "a.yaml:7: client.account_id: must be a quoted string (fix: quote it)\n" +
		"a.yaml: tags: too many\n" +
		"a.yaml: file is empty"
	if got := err.Error(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestProblemsAreSortedByLine(t *testing.T) {
	data, err := os.ReadFile("testdata/bad/multiple-problems.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ps := problemsOf(t, data)
	for i := 1; i < len(ps); i++ {
		if ps[i].Line < ps[i-1].Line {
			t.Errorf("problem %d (line %d) comes after line %d", i, ps[i].Line, ps[i-1].Line)
		}
	}
}

func TestLoadReadsFilesAndReportsIOErrors(t *testing.T) {
	cfg, err := config.Load("testdata/good/starter-minimal.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Client.AccountID != "123456789012" || cfg.MLProduct.Tier != config.TierStarter || cfg.Path != "testdata/good/starter-minimal.yaml" {
		t.Errorf("decoded %+v", cfg)
	}
	if _, err := config.Load("testdata/missing.yaml"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: got %v, want fs.ErrNotExist", err)
	}
	big := filepath.Join(t.TempDir(), "big.yaml")
	if err := os.WriteFile(big, bytes.Repeat([]byte("#"), config.MaxFileSize+10), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := config.Load(big); err == nil || !strings.Contains(err.Error(), "file is larger than") {
		t.Errorf("big file: got %v", err)
	}
}

func TestParseDecodesEveryField(t *testing.T) {
	cfg, err := config.Load("testdata/good/professional-s3-suppressions.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p := cfg.MLProduct
	if p.LogRetentionDays != 365 || p.S3Prefix != "edge-ml-source/fraud/v1" || p.Workload != "batch" {
		t.Errorf("product fields: %+v", p)
	}
	if !cfg.ManualApproval() {
		t.Error("manual_before_deploy: true must override the dev default")
	}
	if len(p.Suppressions) != 1 || p.Suppressions[0].Expires != "2027-03-31" {
		t.Errorf("an unquoted date must decode as its text: %+v", p.Suppressions)
	}
	if cfg.Tags["cost_center"] != "4410" || cfg.Tags["Project Name"] != "Fraud Detection" {
		t.Errorf("tags: %v", cfg.Tags)
	}
	anchors, err := config.Load("testdata/good/anchors-and-empty-defaults.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if anchors.Tags["owner"] != "Acme" {
		t.Errorf("alias not resolved: %v", anchors.Tags)
	}
}

// validStarter is a config built in code, as other packages' tests do.
func validStarter() *config.Config {
	return &config.Config{
		Client:      config.Client{CompanyName: "TechCorp", CompanyPrefix: "techcorp", AccountID: "123456789012", TenantID: "t001"},
		Environment: config.Environment{Env: "dev", Region: "us-east-1"},
		MLProduct:   config.MLProduct{Tier: config.TierStarter, UseCase: "churn", SourceControl: config.SourceCodeCommit},
	}
}

func TestValidateConfigsBuiltInCode(t *testing.T) {
	if ps := config.Validate(validStarter()); len(ps) != 0 {
		t.Fatalf("valid config: %v", ps)
	}
	cfg := validStarter()
	cfg.MLProduct.AlertsEmail = "a@example.com"
	cfg.MLProduct.LogRetentionDays = 365
	cfg.MLProduct.Network = &config.Network{Mode: config.NetworkStandalone, VPCSource: config.VPCFromSSM}
	ps := config.Validate(cfg)
	var paths []string
	for _, p := range ps {
		if p.Line != 0 {
			t.Errorf("a config built in code has no lines: %+v", p)
		}
		paths = append(paths, p.Path)
	}
	want := []string{"ml_product.alerts_email", "ml_product.log_retention_days", "ml_product.network"}
	if strings.Join(paths, ",") != strings.Join(want, ",") {
		t.Errorf("problem paths %v, want %v", paths, want)
	}
}

func TestEnterpriseAcceptsDocumentedEmptyDefaults(t *testing.T) {
	cfg := validStarter()
	cfg.Environment.Env = "prod"
	cfg.MLProduct.Tier = config.TierEnterprise
	cfg.MLProduct.AlertsEmail = "ml@example.com"
	cfg.MLProduct.Network = &config.Network{Mode: config.NetworkSGProv, VPCSource: config.VPCFromDirect,
		VPCID: "vpc-0a1b2c3d", SubnetIDs: []string{"subnet-0a1b2c3d", "subnet-1a2b3c4d"}}
	if ps := config.Validate(cfg); len(ps) != 0 {
		t.Fatalf("%v", ps)
	}
	cfg.MLProduct.Network.SubnetIDs = append(cfg.MLProduct.Network.SubnetIDs, "subnet-0a1b2c3d")
	ps := config.Validate(cfg)
	if len(ps) != 1 || ps[0].Path != "ml_product.network.subnet_ids[2]" || !strings.Contains(ps[0].Message, "listed twice") {
		t.Errorf("repeated subnet: %v", ps)
	}
}

func TestLoadDir(t *testing.T) {
	configs, errs := config.LoadDir("testdata/good")
	if len(errs) != 0 {
		t.Fatalf("errors: %v", errs)
	}
	good, _ := filepath.Glob("testdata/good/*.yaml")
	if len(configs) != len(good) {
		t.Errorf("%d configs, want %d", len(configs), len(good))
	}
	configs, errs = config.LoadDir("testdata/bad")
	bad, _ := filepath.Glob("testdata/bad/*.yaml")
	if len(configs) != 0 || len(errs) != len(bad) {
		t.Errorf("bad dir: %d configs, %d errors, want 0 and %d", len(configs), len(errs), len(bad))
	}
	if _, errs := config.LoadDir("testdata/nope"); len(errs) != 1 {
		t.Errorf("missing dir: %v", errs)
	}
}

func TestSchemaIsACopy(t *testing.T) {
	a := config.Schema()
	a[0] = 'X'
	if config.Schema()[0] == 'X' {
		t.Error("Schema() hands out the embedded bytes")
	}
}

func TestWrongScalarTypesSayHowToQuote(t *testing.T) {
	data, err := os.ReadFile("testdata/bad/bad-network-ids.yaml")
	if err != nil {
		t.Fatal(err)
	}
	data = bytes.Replace(data, []byte("- sub-12345678"), []byte("- 12345678"), 1)
	ps := problemsOf(t, data)
	var found bool
	for _, p := range ps {
		if p.Path == "ml_product.network.subnet_ids[1]" {
			found = true
			if p.Message != "must be a quoted string, not the number 12345678" || p.Fix != `quote it: "12345678"` {
				t.Errorf("list item: %+v", p)
			}
		}
	}
	if !found {
		t.Errorf("no problem on the numeric subnet id: %v", ps)
	}
}
