// Package oldguide proves that the products of the old CloudFormation tool's
// security guide switch to mlprov unchanged: in their tier, with every source
// and network scenario the tier allows, they validate, render offline (the
// product and a test deployment) and pass every mandatory policy rule.
package oldguide

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mlprov/mlprov/internal/config"
	"github.com/mlprov/mlprov/internal/naming"
	"github.com/mlprov/mlprov/internal/policycheck"
	"github.com/mlprov/mlprov/internal/render"
	"github.com/mlprov/mlprov/stacks"
)

// oldGuideProducts are the guide's three products, exactly as it names them.
var oldGuideProducts = map[string]config.Tier{
	"techcorp-prod-a001-us-west-2-customer-churn-ml":       config.TierStarter,
	"edge-prod-b001-us-west-2-fraud-detection-realtime-ml": config.TierProfessional,
	"globalbank-prod-c001-us-west-2-demand-forecasting-ml": config.TierEnterprise,
}

// withoutWorkload maps a test-set variant (another workload, or none) back
// to the guide's product name.
func withoutWorkload(mlName, workload string) string {
	if workload != "" {
		mlName = strings.TrimSuffix(mlName, "-"+workload+"-ml") + "-ml"
	}
	if mlName == "edge-prod-b001-us-west-2-fraud-detection-ml" {
		return "edge-prod-b001-us-west-2-fraud-detection-realtime-ml" // the guide's own has workload realtime
	}
	return mlName
}

// scenariosPerTier is what each tier allows: 3 sources, with and without a
// workload; enterprise also 2 modes x 2 VPC sources x with/without route tables.
var scenariosPerTier = map[config.Tier]int{
	config.TierStarter: 3 * 2, config.TierProfessional: 3 * 2, config.TierEnterprise: 3 * 2 * 2 * 2 * 2,
}

func TestShippedExamplesIncludeTheOldGuideProducts(t *testing.T) {
	found := map[string]bool{}
	paths, _ := filepath.Glob("../../configs/*.yaml")
	for _, p := range paths {
		cfg, err := config.Load(p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		name := naming.For(cfg).MLName
		if tier, ok := oldGuideProducts[name]; ok {
			found[name] = true
			if cfg.MLProduct.Tier != tier {
				t.Errorf("%s is %s, the old guide has it %s", p, cfg.MLProduct.Tier, tier)
			}
		}
	}
	for name := range oldGuideProducts {
		if !found[name] {
			t.Errorf("no shipped example in configs/ is %s", name)
		}
	}
}

func TestOldGuideProductsInEveryScenarioOfTheirTier(t *testing.T) {
	paths, err := filepath.Glob("testdata/*.yaml")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no test set: %v", err)
	}
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	scenarios := map[config.Tier]map[string]bool{}
	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			cfg, err := config.Load(path)
			if err != nil {
				t.Fatalf("does not validate:\n%v", err)
			}
			names := naming.For(cfg)
			if tier, ok := oldGuideProducts[withoutWorkload(names.MLName, cfg.MLProduct.Workload)]; !ok || tier != cfg.MLProduct.Tier {
				t.Fatalf("%s (%s) is not one of the old guide's products in its tier", names.MLName, cfg.MLProduct.Tier)
			}
			if filepath.Base(path) != names.ConfigFileName() {
				t.Errorf("file is named %s, by convention %s", filepath.Base(path), names.ConfigFileName())
			}
			if scenarios[cfg.MLProduct.Tier] == nil {
				scenarios[cfg.MLProduct.Tier] = map[string]bool{}
			}
			scenarios[cfg.MLProduct.Tier][names.Scenario] = true
			for _, testID := range []string{"", "ffff"} {
				n := names
				if testID != "" {
					n = naming.ForTest(cfg, testID)
				}
				if problems := n.Check(); len(problems) != 0 {
					t.Errorf("test id %q: names do not fit: %v", testID, problems)
				}
				doc, err := render.Product(cfg, n, stacks.ProgramWithOptions(cfg, stacks.Options{TestID: testID}))
				if err != nil {
					t.Fatalf("test id %q: render: %v", testID, err)
				}
				if res := policycheck.Check(doc, now); !res.Passed() {
					t.Errorf("test id %q: policy gate: %d mandatory violations: %v %v", testID, res.Mandatory, res.Structural, res.Findings)
				}
				for _, r := range doc.Custom() {
					if testID != "" && r.PhysicalName != "" && strings.Contains(r.PhysicalName, "-prod-") {
						t.Errorf("test deployment reuses a product name: %s %s", r.Type, r.PhysicalName)
					}
				}
			}
		})
	}
	for tier, want := range scenariosPerTier {
		// each scenario once per workload variant: with and without "-workload"
		if got := len(scenarios[tier]); got != want {
			t.Errorf("%s: %d distinct scenarios in the test set, want %d", tier, got, want)
		}
	}
	if entries, _ := os.ReadDir("testdata"); len(entries) != 6+6+48 {
		t.Errorf("test set has %d files, want 60", len(entries))
	}
}
