package iampolicy

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/mlprov/mlprov/internal/config"
	"github.com/mlprov/mlprov/internal/naming"
	"github.com/mlprov/mlprov/internal/policydoc"
	"github.com/mlprov/mlprov/internal/provtemplate"
	"github.com/mlprov/mlprov/internal/render"
	"github.com/mlprov/mlprov/stacks"
)

// shippedConfigs loads every config in configs/ once.
var shippedConfigs = sync.OnceValues(func() (map[string]*config.Config, error) {
	files, err := filepath.Glob("../../configs/*.yaml")
	if err != nil {
		return nil, err
	}
	out := map[string]*config.Config{}
	for _, f := range files {
		cfg, err := config.Load(f)
		if err != nil {
			return nil, err
		}
		out[filepath.Base(f)] = cfg
	}
	return out, nil
})

func configs(t testing.TB) map[string]*config.Config {
	t.Helper()
	cfgs, err := shippedConfigs()
	if err != nil {
		t.Fatal(err)
	}
	if len(cfgs) == 0 {
		t.Fatal("no shipped configs found in configs/")
	}
	return cfgs
}

func renderConfig(t testing.TB, cfg *config.Config) *provtemplate.Document {
	t.Helper()
	doc, err := render.Product(cfg, naming.For(cfg), stacks.Program(cfg))
	if err != nil {
		t.Fatalf("render %s: %v", cfg.Path, err)
	}
	return doc
}

func generate(t testing.TB, doc *provtemplate.Document) []policydoc.Document {
	t.Helper()
	docs, err := Generate(doc)
	if err != nil {
		t.Fatalf("generate %s: %v", doc.Product.MLName, err)
	}
	return docs
}

// otherProducts are products that must get nothing from cfg's policy: another
// use case, another tenant and another environment of the same client and account.
func otherProducts(cfg *config.Config) map[string]*config.Config {
	variant := func(change func(c *config.Config)) *config.Config {
		c := *cfg
		change(&c)
		return &c
	}
	otherEnv := "dev"
	if cfg.Environment.Env == "dev" {
		otherEnv = "test"
	}
	return map[string]*config.Config{
		"other use case": variant(func(c *config.Config) { c.MLProduct.UseCase += "x" }),
		"other tenant":   variant(func(c *config.Config) { c.Client.TenantID = "zz99" }),
		"other env":      variant(func(c *config.Config) { c.Environment.Env = otherEnv }),
	}
}

func TestShippedConfigsPolicyShape(t *testing.T) {
	for file, cfg := range configs(t) {
		policy := generate(t, renderConfig(t, cfg))
		sids := map[string]bool{}
		for i, d := range policy {
			b, err := json.Marshal(d)
			if err != nil || !json.Valid(b) {
				t.Fatalf("%s document %d: invalid JSON: %v", file, i+1, err)
			}
			if size := Size(d); size > MaxManagedPolicySize {
				t.Errorf("%s document %d: %d characters, over %d", file, i+1, size, MaxManagedPolicySize)
			}
			for _, s := range d.Statement {
				if sids[s.Sid] {
					t.Errorf("%s: Sid %q is not unique", file, s.Sid)
				}
				sids[s.Sid] = true
				if s.Effect != "Allow" {
					continue
				}
				for _, a := range s.Action {
					if a == "*" || strings.HasSuffix(a, ":*") {
						t.Errorf("%s: statement %q grants wildcard action %q", file, s.Sid, a)
					}
				}
				for _, r := range s.Resource {
					if r != "*" {
						continue
					}
					for _, a := range s.Action {
						if !isUnscopable(a) {
							t.Errorf("%s: statement %q grants %s on \"*\" outside the Unscopable table", file, s.Sid, a)
						}
					}
				}
			}
		}
	}
}

func BenchmarkGenerateAllShippedConfigs(b *testing.B) {
	var docs []*provtemplate.Document
	for _, cfg := range configs(b) {
		docs = append(docs, renderConfig(b, cfg))
	}
	b.ResetTimer()
	for b.Loop() {
		for _, d := range docs {
			if _, err := Generate(d); err != nil {
				b.Fatal(err)
			}
		}
	}
}
