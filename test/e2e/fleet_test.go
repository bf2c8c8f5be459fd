package e2e_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mlprov/mlprov/internal/fleet"
	"github.com/mlprov/mlprov/test/fakeaws/control"
)

// check-drift --all over two deployed products, one drifted behind the
// engine's back: exit 5, the drifted one first with its drift report, the
// other ok; show-changes --all finds nothing to change in either.
func TestCheckDriftFleet(t *testing.T) {
	p := newProduct(t, starterConfig)
	fleetDir := filepath.Join(p.workdir, "fleet")
	if err := os.MkdirAll(fleetDir, 0o755); err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(p.config)
	if err != nil {
		t.Fatal(err)
	}
	other := strings.Replace(string(src), "tenant_id: t001", "tenant_id: t002", 1)
	for name, content := range map[string]string{"a.yaml": string(src), "b.yaml": other} {
		if err := os.WriteFile(filepath.Join(fleetDir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		p.expect(exitOK, "deploy-product", "--force", "--config", filepath.Join(fleetDir, name), "--workdir", p.workdir)
	}
	var target control.Resource
	for _, r := range p.cloudResources() {
		if r.Type == bucketType && strings.Contains(r.ID, "-t001-") {
			target = r
		}
	}
	if target.ID == "" {
		t.Fatal("no artifact bucket of the t001 product in the fake cloud")
	}
	if err := control.Mutate(p.cloud, target.Type, target.ID, "tags", map[string]any{"changed-by": "someone-else"}); err != nil {
		t.Fatal(err)
	}

	r := p.expect(exitChanges, "check-drift", "--all", fleetDir, "--workdir", p.workdir, "--parallel", "2", "--output", "json")
	var s fleet.Summary
	decode(t, r, &s)
	byFile := map[string]fleet.Product{}
	for _, prod := range s.Products {
		byFile[filepath.Base(prod.Config)] = prod
	}
	if a := byFile["a.yaml"]; a.Status != fleet.StatusDrift || a.Drifted != 1 || a.Report == "" {
		t.Errorf("drifted product: %+v", a)
	} else if _, err := os.Stat(a.Report); err != nil {
		t.Errorf("its drift report: %v", err)
	}
	if b := byFile["b.yaml"]; b.Status != fleet.StatusOK || b.Drifted != 0 {
		t.Errorf("untouched product: %+v", b)
	}
	r = p.expect(exitOK, "show-changes", "--all", fleetDir, "--workdir", p.workdir, "--output", "json")
	decode(t, r, &s)
	if s.Counts[fleet.StatusOK] != 2 {
		t.Errorf("show-changes --all: %+v", s.Counts)
	}
}
