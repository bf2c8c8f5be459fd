package iampolicy

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/mlprov/mlprov/components/policydoc"
	"github.com/mlprov/mlprov/internal/config"
	"github.com/mlprov/mlprov/internal/naming"
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

// docTarget is a resource or lookup with the operations the engine runs on it.
type docTarget struct {
	Target
	ops []Op
}

// documentTargets are a document's resources and lookups as the provider
// sees them at deploy time: with the ids AWS (here, the offline render) gives.
func documentTargets(doc *provtemplate.Document) []docTarget {
	arns := naming.ARNsFor(doc.Product.AccountID, doc.Product.Region)
	related := documentResolver(doc, arns)
	var out []docTarget
	for _, r := range doc.Resources {
		if !r.Custom {
			continue
		}
		id, _ := render.Synthesize(arns, r.Type, r.LogicalName, r.PhysicalName, r.Inputs)
		t := Target{Type: r.Type, Name: r.PhysicalName, ID: id, Inputs: r.Inputs, ARNs: arns, Related: related}
		out = append(out, docTarget{t, always})
	}
	for _, l := range doc.Lookups {
		out = append(out, docTarget{Target{Type: l.Token, Inputs: l.Args, ARNs: arns, Related: related}, onInvoke})
	}
	return out
}

// withMFA adds the MFA flag a production delete needs.
func withMFA(r Request, present bool) Request {
	ctx := map[string][]string{mfaKey: {map[bool]string{true: "true", false: "false"}[present]}}
	for k, v := range r.Context {
		ctx[k] = v
	}
	r.Context = ctx
	return r
}

func TestShippedConfigsPolicyIsSufficientAndTight(t *testing.T) {
	for file, cfg := range configs(t) {
		t.Run(file, func(t *testing.T) {
			doc := renderConfig(t, cfg)
			policy := generate(t, doc)
			for _, target := range documentTargets(doc) {
				for _, op := range target.ops {
					needs, err := Requests(target.Target, op)
					if err != nil {
						t.Fatal(err)
					}
					for _, n := range needs {
						// Only a delete may need MFA (production's deny).
						if got, err := Evaluate(policy, withMFA(n.Request, op == Delete)); err != nil || got != Allowed {
							t.Errorf("%s %s %q needs %s: %v %v", op, target.Type, target.Name, n.Request, got, err)
						}
					}
				}
			}
			for what, other := range otherProducts(cfg) {
				for _, target := range documentTargets(renderConfig(t, other)) {
					for _, op := range target.ops {
						needs, _ := Requests(target.Target, op)
						for _, n := range needs {
							if n.Shared {
								continue
							}
							if got, _ := Evaluate(policy, withMFA(n.Request, true)); got == Allowed {
								t.Errorf("%s: %s %s %q of %s: %s is allowed", what, op, target.Type, target.Name, other.Environment.Env, n.Request)
							}
						}
					}
				}
			}
		})
	}
}

func TestProductionDeletesNeedMFA(t *testing.T) {
	for file, cfg := range configs(t) {
		doc := renderConfig(t, cfg)
		policy := generate(t, doc)
		deletes := 0
		for _, target := range documentTargets(doc) {
			if strings.HasPrefix(target.Type, "pulumi:") {
				continue
			}
			needs, _ := Requests(target.Target, Delete)
			for _, n := range needs {
				got, _ := Evaluate(policy, withMFA(n.Request, false))
				if !isDestructive(policy, n.Action) {
					continue
				}
				deletes++
				want := Allowed
				if cfg.IsProd() {
					want = ExplicitDeny
				}
				if got != want {
					t.Errorf("%s: %s without MFA: %v, want %v", file, n.Request, got, want)
				}
			}
		}
		if cfg.IsProd() && deletes == 0 {
			t.Errorf("%s: no destructive action found to test", file)
		}
	}
}

// isDestructive reports whether a production policy would deny a without MFA.
func isDestructive(policy []policydoc.Document, action string) bool {
	for _, d := range policy {
		for _, s := range d.Statement {
			if s.Sid == denyWithoutMFASid {
				return anyMatch(s.Action, action, true)
			}
		}
	}
	return strings.Contains(action, ":Delete") // non-prod: no deny statement; any delete proves the point
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
