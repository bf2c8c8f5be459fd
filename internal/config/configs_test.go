package config_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/mlprov/mlprov/internal/config"
	"github.com/mlprov/mlprov/internal/naming"
)

const configsDir = "../../configs"

type exampleFile struct {
	path string
	data []byte
}

func exampleConfigs(t testing.TB) []exampleFile {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(configsDir, "*.yaml"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no example configs in %s: %v", configsDir, err)
	}
	out := make([]exampleFile, len(paths))
	for i, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = exampleFile{p, data}
	}
	return out
}

func TestExampleConfigsLoadAndAreNamedByConvention(t *testing.T) {
	const schemaLine = "# yaml-language-server: $schema=../internal/config/" + config.SchemaFileName
	for _, f := range exampleConfigs(t) {
		t.Run(filepath.Base(f.path), func(t *testing.T) {
			cfg, err := config.Load(f.path)
			if err != nil {
				t.Fatalf("shipped config does not validate:\n%v", err)
			}
			if want := naming.For(cfg).ConfigFileName(); filepath.Base(f.path) != want {
				t.Errorf("file is named %s; by convention it is %s", filepath.Base(f.path), want)
			}
			lines := strings.SplitN(string(f.data), "\n", 3)
			if len(lines) < 3 || lines[0] != schemaLine {
				t.Errorf("first line must be %q", schemaLine)
			}
			if len(lines) < 3 || !strings.HasPrefix(lines[1], "# ") || len(lines[1]) < 20 {
				t.Errorf("second line must say which scenario the file shows, got %q", lines[1])
			}
			if len(cfg.MLProduct.Suppressions) > 0 {
				t.Error("shipped configs carry no suppressions")
			}
		})
	}
}

// TestExampleConfigsCoverEveryScenario pins the scenario matrix the shipped
// configs must cover, per company and tier.
func TestExampleConfigsCoverEveryScenario(t *testing.T) {
	type key struct{ company, scenario string }
	got := map[key]*config.Config{}
	for _, f := range exampleConfigs(t) {
		cfg, err := config.Load(f.path)
		if err != nil {
			t.Fatal(err)
		}
		got[key{cfg.Client.CompanyPrefix, naming.Scenario(cfg)}] = cfg
	}
	want := map[key]config.Tier{}
	for _, c := range []struct {
		company string
		tier    config.Tier
	}{{"techcorp", config.TierStarter}, {"edge", config.TierProfessional}} {
		for _, s := range []string{"codecommit", "s3", "codecommit-workload", "s3-workload", "codeconnections"} {
			want[key{c.company, s}] = c.tier
		}
	}
	for _, src := range []string{"codecommit", "s3"} {
		for _, mode := range []string{"standalone", "sgprov"} {
			for _, vpc := range []string{"ssm", "direct"} {
				base := fmt.Sprintf("%s-%s-%s", src, mode, vpc)
				for _, s := range []string{base, base + "-workload", base + "-rtb"} {
					want[key{"globalbank", s}] = config.TierEnterprise
				}
			}
		}
	}
	want[key{"globalbank", "codeconnections-standalone-ssm"}] = config.TierEnterprise

	reuses := 0
	for k, tier := range want {
		cfg, ok := got[k]
		if !ok {
			t.Errorf("no example config for %s %s", k.company, k.scenario)
			continue
		}
		if cfg.MLProduct.Tier != tier {
			t.Errorf("%s %s: tier %s, want %s", k.company, k.scenario, cfg.MLProduct.Tier, tier)
		}
		if tier == config.TierEnterprise && !cfg.IsProd() {
			t.Errorf("%s %s: enterprise examples run in prod", k.company, k.scenario)
		}
		if r := cfg.MLProduct.Repository; r != nil && r.ConnectionARN != "" {
			reuses++
		}
	}
	if reuses != 1 {
		t.Errorf("%d codeconnections examples reuse a connection_arn, want exactly 1", reuses)
	}
	var extra []string
	for k := range got {
		if _, ok := want[k]; !ok {
			extra = append(extra, k.company+" "+k.scenario)
		}
	}
	slices.Sort(extra)
	if len(extra) > 0 {
		t.Logf("examples beyond the required matrix: %v", extra)
	}
}

func BenchmarkLoadAndValidate(b *testing.B) {
	files := exampleConfigs(b)
	b.ReportAllocs()
	for b.Loop() {
		for _, f := range files {
			if _, err := config.Parse(f.path, f.data); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(files)), "ns/config")
}
