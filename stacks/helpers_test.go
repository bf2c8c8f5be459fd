package stacks_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/mlprov/mlprov/internal/config"
	"github.com/mlprov/mlprov/internal/provtemplate"
	"github.com/mlprov/mlprov/internal/render"
	"github.com/mlprov/mlprov/stacks"
)

const (
	testAccount = "123456789012"
	testRegion  = "us-west-2"
)

// baseConfig is a valid starter product with a CodeCommit source.
func baseConfig(tier config.Tier, env string) *config.Config {
	cfg := &config.Config{
		Client:      config.Client{CompanyName: "Global Bank", CompanyPrefix: "globalbank", AccountID: testAccount, TenantID: "c001"},
		Environment: config.Environment{Env: env, Region: testRegion},
		MLProduct: config.MLProduct{
			Tier: tier, UseCase: "churn", SourceControl: config.SourceCodeCommit,
		},
		Tags: map[string]string{"cost_center": "4410"},
	}
	if tier != config.TierStarter {
		cfg.MLProduct.AlertsEmail = "ml-alerts@globalbank.example"
	}
	if tier == config.TierEnterprise {
		cfg.MLProduct.Network = &config.Network{
			Mode: config.NetworkStandalone, VPCSource: config.VPCFromDirect,
			VPCID: "vpc-0abc", SubnetIDs: []string{"subnet-1", "subnet-2"},
		}
	}
	return cfg
}

func withSource(cfg *config.Config, kind config.SourceControl) *config.Config {
	cfg.MLProduct.SourceControl = kind
	switch kind {
	case config.SourceS3:
		cfg.MLProduct.S3Prefix = "acme-ml-source/churn"
	case config.SourceCodeConnections:
		cfg.MLProduct.Repository = &config.Repository{
			Provider: "GitHub", Build: "acme/churn-model-build", Deploy: "acme/churn-model-deploy", Branch: "main",
		}
	}
	return cfg
}

func withNetwork(cfg *config.Config, mode config.NetworkMode, src config.VPCSource) *config.Config {
	n := cfg.MLProduct.Network
	n.Mode, n.VPCSource = mode, src
	if src == config.VPCFromSSM {
		n.VPCID, n.SubnetIDs = "", nil
	}
	return cfg
}

// run renders the program offline and fails the test on error.
func run(t *testing.T, cfg *config.Config, opts stacks.Options) *render.Recording {
	t.Helper()
	rec, err := render.Program(stacks.ProgramWithOptions(cfg, opts), render.Options{AccountID: testAccount, Region: testRegion})
	if err != nil {
		t.Fatalf("render: %v", err)
	}
	return rec
}

// one returns the single resource of a type, failing otherwise.
func one(t *testing.T, rec *render.Recording, token string) provtemplate.Resource {
	t.Helper()
	rs := rec.ByType(token)
	if len(rs) != 1 {
		t.Fatalf("want 1 %s, got %d", token, len(rs))
	}
	return rs[0]
}

// byName returns the resource of a type with a physical name.
func byName(t *testing.T, rec *render.Recording, token, physical string) provtemplate.Resource {
	t.Helper()
	for _, r := range rec.ByType(token) {
		if r.PhysicalName == physical {
			return r
		}
	}
	t.Fatalf("no %s named %q", token, physical)
	return provtemplate.Resource{}
}

// policyDoc is the generic shape of a policy document as recorded.
type policyDoc struct {
	Statement []struct {
		Sid       string
		Effect    string
		Principal map[string][]string
		Action    []string
		Resource  []string
		Condition map[string]map[string][]string
	}
}

func parsePolicy(t *testing.T, r provtemplate.Resource, key string) policyDoc {
	t.Helper()
	s, ok := r.Inputs[key].(string)
	if !ok {
		t.Fatalf("%s %s: input %q is %T, want a JSON string", r.Type, r.LogicalName, key, r.Inputs[key])
	}
	var d policyDoc
	if err := json.Unmarshal([]byte(s), &d); err != nil {
		t.Fatalf("%s %s: %s is not a policy document: %v\n%s", r.Type, r.LogicalName, key, err, s)
	}
	return d
}

func str(v any) string { s, _ := v.(string); return s }

func strs(v any) []string {
	arr, _ := v.([]any)
	out := make([]string, 0, len(arr))
	for _, e := range arr {
		out = append(out, str(e))
	}
	return out
}

func obj(v any) map[string]any {
	if arr, ok := v.([]any); ok && len(arr) == 1 {
		v = arr[0]
	}
	m, _ := v.(map[string]any)
	return m
}

func hasPrefixAny(s string, prefixes ...string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
