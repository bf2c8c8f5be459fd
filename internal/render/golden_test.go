package render_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mlprov/mlprov/internal/config"
	"github.com/mlprov/mlprov/internal/naming"
	"github.com/mlprov/mlprov/internal/provtemplate"
	"github.com/mlprov/mlprov/internal/render"
	"github.com/mlprov/mlprov/stacks"
)

var update = flag.Bool("update", false, "rewrite the golden snapshots")

// shippedConfigs loads every example config.
func shippedConfigs(t testing.TB) map[string]*config.Config {
	t.Helper()
	files, err := filepath.Glob("../../configs/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no shipped configs: %v", err)
	}
	out := map[string]*config.Config{}
	for _, f := range files {
		cfg, err := config.Load(f)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out[filepath.Base(f)] = cfg
	}
	return out
}

func renderConfig(t testing.TB, cfg *config.Config) *provtemplate.Document {
	t.Helper()
	doc, err := render.Product(cfg, naming.For(cfg), stacks.Program(cfg))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// snapshot lists every resource as "type  logical-name  <- parent", one per
// line, in URN order: a renamed or re-parented resource (which would replace
// real infrastructure) shows up as a diff in review.
func snapshot(doc *provtemplate.Document) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s %s %s\n", doc.Product.MLName, doc.Product.Tier, doc.Product.Scenario)
	names := map[string]string{}
	for _, r := range doc.Resources {
		names[r.URN] = r.LogicalName
	}
	for _, r := range doc.Resources {
		parent := "(stack)"
		if p, ok := names[r.Parent]; ok {
			parent = p
		}
		fmt.Fprintf(&b, "%-58s %-44s <- %s\n", r.Type, r.LogicalName, parent)
	}
	return b.String()
}

// One golden snapshot per tier and scenario: every shipped config.
func TestGoldenSnapshots(t *testing.T) {
	for file, cfg := range shippedConfigs(t) {
		t.Run(file, func(t *testing.T) {
			got := snapshot(renderConfig(t, cfg))
			golden := filepath.Join("testdata", "golden", strings.TrimSuffix(file, ".yaml")+".txt")
			if *update {
				os.MkdirAll(filepath.Dir(golden), 0o755)
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run: go test ./internal/render -run TestGoldenSnapshots -update)", err)
			}
			if got != string(want) {
				t.Errorf("resource graph changed; review and run with -update if intended.\n--- want\n%s\n--- got\n%s", want, got)
			}
		})
	}
}

// Every shipped config renders into a structurally sound document: unique
// URNs, parents and dependencies that exist, outputs under /ml/{ml_name}/.
func TestRenderedDocumentsAreConsistent(t *testing.T) {
	for file, cfg := range shippedConfigs(t) {
		doc := renderConfig(t, cfg)
		urns := map[string]bool{}
		for _, r := range doc.Resources {
			if urns[r.URN] {
				t.Errorf("%s: duplicate URN %s", file, r.URN)
			}
			urns[r.URN] = true
		}
		for _, r := range doc.Resources {
			// Top-level components hang off the root stack, which mocks never record.
			if r.Parent != "" && !urns[r.Parent] && !strings.Contains(r.Parent, "::pulumi:pulumi:Stack::") {
				t.Errorf("%s: %s has unknown parent %s", file, r.LogicalName, r.Parent)
			}
			for _, d := range r.DependsOn {
				if !urns[d] {
					t.Errorf("%s: %s depends on unknown %s", file, r.LogicalName, d)
				}
			}
		}
		prefix := naming.For(cfg).SSMPrefix()
		if len(doc.Outputs) < 6 { // starter with an S3 source publishes the fewest
			t.Errorf("%s: only %d SSM outputs", file, len(doc.Outputs))
		}
		for _, o := range doc.Outputs {
			if !strings.HasPrefix(o.Name, prefix) || o.Value == "" {
				t.Errorf("%s: output %+v", file, o)
			}
		}
	}
}

// BenchmarkValidateAndRender: load + validate + render of each tier's example.
func BenchmarkValidateAndRender(b *testing.B) {
	for _, file := range []string{
		"techcorp-dev-t001-us-east-1-churn-ml-codecommit.yaml",
		"edge-staging-e042-eu-west-1-fraud-ml-codecommit.yaml",
		"globalbank-prod-c001-us-west-2-churn-ml-codecommit-standalone-ssm.yaml",
	} {
		b.Run(file, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				cfg, err := config.Load("../../configs/" + file)
				if err != nil {
					b.Fatal(err)
				}
				renderConfig(b, cfg)
			}
		})
	}
}

// BenchmarkValidateAndRender1000Configs: 1,000 generated enterprise configs
// (distinct use cases, tenants and scenarios), validated and rendered.
func BenchmarkValidateAndRender1000Configs(b *testing.B) {
	base, err := os.ReadFile("../../configs/globalbank-prod-c001-us-west-2-churn-ml-codecommit-standalone-ssm.yaml")
	if err != nil {
		b.Fatal(err)
	}
	variants := make([][]byte, 1000)
	for i := range variants {
		s := strings.Replace(string(base), "tenant_id: c001", fmt.Sprintf("tenant_id: c%03d", i%1000), 1)
		s = strings.Replace(s, "use_case: churn", fmt.Sprintf("use_case: uc%d", i), 1)
		variants[i] = []byte(s)
	}
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		for i, v := range variants {
			cfg, err := config.Parse(fmt.Sprintf("gen-%d.yaml", i), v)
			if err != nil {
				b.Fatal(err)
			}
			renderConfig(b, cfg)
		}
	}
}
