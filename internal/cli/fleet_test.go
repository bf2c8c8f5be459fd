package cli

import (
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mlprov/mlprov/internal/fleet"
)

// expiredWaiver turns a config into one with a mandatory violation: an
// expired waiver fails the gate.
const expiredWaiver = `ml_product:
  suppressions:
    - rule: MLP-S3-004
      resource: artifacts
      reason: "legacy bucket"
      owner: secops@techcorp.example
      expires: 2020-01-31
`

// fleetDir is a folder of products: two good ones (one nested), one with a
// mandatory policy violation and one invalid config.
func fleetDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	starter, err := os.ReadFile(starterExample)
	if err != nil {
		t.Fatal(err)
	}
	enterprise, err := os.ReadFile(enterpriseExample)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"good/starter.yaml":       string(starter),
		"enterprise.yml":          string(enterprise),
		"team-b/violating.yaml":   strings.Replace(strings.ReplaceAll(string(starter), "t001", "t002"), "ml_product:\n", expiredWaiver, 1),
		"team-b/invalid.yaml":     strings.Replace(string(starter), "tenant_id: t001", "tenant_id: T-01", 1),
		"team-b/notes/README.txt": "not a config",
	}
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func decodeSummary(t *testing.T, out string) fleet.Summary {
	t.Helper()
	var s fleet.Summary
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("not a fleet summary (%v):\n%s", err, out)
	}
	if s.SchemaVersion != fleet.SchemaVersion {
		t.Fatalf("schemaVersion %d, want %d", s.SchemaVersion, fleet.SchemaVersion)
	}
	return s
}

func statusByConfig(s fleet.Summary) map[string]fleet.Status {
	m := map[string]fleet.Status{}
	for _, p := range s.Products {
		m[filepath.Base(p.Config)] = p.Status
	}
	return m
}

// plan --all runs every product although some fail, exits with the most
// severe code (invalid config 3 over violation 4), writes one SARIF for the
// fleet pointing at the violating config, and a fleet report linking each
// product's review report.
func TestPlanAllRunsEveryProductAndExitsWithTheMostSevere(t *testing.T) {
	dir, work := fleetDir(t), t.TempDir()
	sarif := filepath.Join(work, "fleet.sarif")
	code, out, errs := run(t, "plan", "--all", dir, "--workdir", work, "--parallel", "2", "--sarif", sarif, "--output", "json")
	if code != ExitInvalidConfig {
		t.Fatalf("exit %d, want %d (invalid config is more severe than a violation)\n%s%s", code, ExitInvalidConfig, out, errs)
	}
	s := decodeSummary(t, out)
	want := map[string]fleet.Status{"starter.yaml": fleet.StatusOK, "enterprise.yml": fleet.StatusOK,
		"violating.yaml": fleet.StatusViolation, "invalid.yaml": fleet.StatusInvalidConfig}
	if got := statusByConfig(s); !maps.Equal(got, want) {
		t.Fatalf("statuses %v, want %v", got, want)
	}
	for _, p := range s.Products {
		switch p.Status {
		case fleet.StatusOK, fleet.StatusViolation:
			if _, err := os.Stat(p.Report); err != nil || !strings.Contains(filepath.Base(p.Report), "review") {
				t.Errorf("%s: review report %q not written (%v)", p.Config, p.Report, err)
			}
		case fleet.StatusInvalidConfig:
			if !strings.Contains(p.Error, "client.tenant_id") {
				t.Errorf("invalid config's error does not name the field: %q", p.Error)
			}
		}
		if p.Status == fleet.StatusViolation && p.Violations != 1 {
			t.Errorf("violating product reports %d mandatory violations, want 1", p.Violations)
		}
	}
	if s.Counts[fleet.StatusOK] != 2 || s.ExitCode != ExitInvalidConfig {
		t.Errorf("counts %v exit %d", s.Counts, s.ExitCode)
	}

	var log struct {
		Runs []struct {
			Results []struct {
				RuleID    string `json:"ruleId"`
				Level     string `json:"level"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string } `json:"artifactLocation"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	b, err := os.ReadFile(sarif)
	if err != nil || json.Unmarshal(b, &log) != nil || len(log.Runs) != 1 {
		t.Fatalf("fleet SARIF: %v\n%s", err, b)
	}
	var errorsAt []string
	for _, r := range log.Runs[0].Results {
		if r.Level == "error" {
			errorsAt = append(errorsAt, r.Locations[0].PhysicalLocation.ArtifactLocation.URI)
		}
	}
	if len(errorsAt) != 1 || filepath.Base(errorsAt[0]) != "violating.yaml" {
		t.Errorf("SARIF errors point at %v, want the violating config only", errorsAt)
	}

	page, err := os.ReadFile(filepath.Join(work, "ml/reports/fleet-plan.html"))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(regexp.MustCompile(`<a href="[^"]*review[^"]*\.html">report</a>`).FindAllString(string(page), -1)); n != 3 {
		t.Errorf("fleet report links %d review reports, want 3", n)
	}
}

// The text summary is one table plus the report path; progress goes to
// stderr as plain lines when it is not a terminal.
func TestValidateProvTemplateAllTextSummary(t *testing.T) {
	dir, work := fleetDir(t), t.TempDir()
	code, out, errs := run(t, "validate-prov-template", "--all", dir, "--workdir", work)
	if code != ExitInvalidConfig {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if !strings.HasPrefix(lines[0], "STATUS") || !strings.HasPrefix(lines[1], "violation") ||
		!strings.Contains(out, "4 product(s): 2 ok, 1 violation, 1 invalid-config; exit 3") ||
		!strings.HasSuffix(lines[len(lines)-1], "fleet-validate-prov-template.html") {
		t.Errorf("summary:\n%s", out)
	}
	if strings.Count(errs, "started ") != 4 || strings.Count(errs, "/4] ") != 4 || strings.Contains(errs, "\x1b[") {
		t.Errorf("progress on a non-terminal must be plain lines, one start and one finish per product:\n%s", errs)
	}
}

// Two shards together cover the fleet exactly once.
func TestShardsCoverTheFleetOnce(t *testing.T) {
	dir := fleetDir(t)
	var all []string
	for _, shard := range []string{"1/2", "2/2"} {
		_, out, _ := run(t, "validate-prov-template", "--all", dir, "--workdir", t.TempDir(), "--shard", shard, "--output", "json")
		s := decodeSummary(t, out)
		if s.Shard != shard {
			t.Errorf("summary of shard %s says %q", shard, s.Shard)
		}
		for _, p := range s.Products {
			all = append(all, filepath.Base(p.Config))
		}
	}
	slices.Sort(all)
	if want := []string{"enterprise.yml", "invalid.yaml", "starter.yaml", "violating.yaml"}; !slices.Equal(all, want) {
		t.Errorf("shards 1/2 and 2/2 cover %v, want %v once each", all, want)
	}
}

func TestFleetFlagErrors(t *testing.T) {
	dir := fleetDir(t)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"plan", "--parallel", "2", "--config", starterExample}, "--parallel and --shard need --all DIR"},
		{[]string{"plan", "--all", dir, "--config", starterExample}, "either --config or --all"},
		{[]string{"plan", "--all", dir, "--shard", "3/2"}, `--shard "3/2"`},
		{[]string{"plan", "--all", dir, "--parallel", "0"}, "--parallel 0"},
		{[]string{"plan", "--all", t.TempDir()}, "no config found"},
		{[]string{"validate-prov-template", "--all", dir, "--template", "x.json"}, "--template judges one file"},
		{[]string{"check-drift", "--shard", "1/2"}, "--parallel and --shard need --all DIR"},
	}
	for _, c := range cases {
		code, _, errs := run(t, c.args...)
		if code != ExitUsage || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", c.args, code, errs, ExitUsage, c.want)
		}
	}
}

// An engine action runs each stack once: a second config of the same stack
// is reported, not run.
func TestEngineFleetReportsDuplicateStacks(t *testing.T) {
	dir := t.TempDir()
	b, err := os.ReadFile(starterExample)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"a.yaml", "b.yaml"} {
		os.WriteFile(filepath.Join(dir, name), b, 0o644)
	}
	entries, err := fleet.Discover(dir, fleet.Shard{})
	if err != nil {
		t.Fatal(err)
	}
	p := runFleetProduct(t.Context(), &Deps{Now: time.Now, Context: t.Context()}, &GlobalOptions{}, fleetAction{name: checkDriftAction, engine: true}, entries[1], &fleetVerdicts{})
	if p.Status != fleet.StatusInvalidConfig || !strings.Contains(p.Error, "a.yaml deploys the same stack") {
		t.Errorf("duplicate stack: %+v", p)
	}
}
