package browser

import (
	"bytes"
	"github.com/mlprov/mlprov/test/e2e"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/mlprov/mlprov/internal/cli"
)

const fleetScreenshot = "../artifacts/fleet-report.png"

// rowPattern is one product row of the rendered fleet report.
var rowPattern = regexp.MustCompile(`(?s)<tr class="[^"]*" data-status="([a-z-]+)">(.*?)</tr>`)

// The fleet report of plan --all over the shipped examples plus one product
// with a mandatory violation: every product is a row, the violating one
// first, each row links its own review report (a file that exists), and the
// page logs nothing to the console.
func TestFleetReportInBrowser(t *testing.T) {
	requireChromium(t)
	dir, workdir := t.TempDir(), t.TempDir()
	shipped, err := filepath.Glob("../../configs/*.yaml")
	if err != nil || len(shipped) == 0 {
		t.Fatalf("no shipped configs: %v", err)
	}
	for _, f := range shipped {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	violating, err := e2e.ViolatingStarter("../..", "t009")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "zz-violating.yaml"), []byte(violating), 0o644); err != nil {
		t.Fatal(err)
	}

	var out, errb bytes.Buffer
	code := cli.Main([]string{"plan", "--all", dir, "--workdir", workdir, "--parallel", "2"}, cli.Deps{Out: &out, Err: &errb})
	if code != cli.ExitPolicyViolation {
		t.Fatalf("plan --all: exit %d, want %d\n%s%s", code, cli.ExitPolicyViolation, out.String(), errb.String())
	}
	if err := os.MkdirAll(filepath.Dir(fleetScreenshot), 0o755); err != nil {
		t.Fatal(err)
	}
	os.Remove(fleetScreenshot)
	page := filepath.Join(workdir, "ml/reports/fleet-plan.html")
	dom, log := openInChromium(t, page, fleetScreenshot)

	rows := rowPattern.FindAllStringSubmatch(dom, -1)
	if len(rows) != len(shipped)+1 {
		t.Fatalf("the page shows %d product rows, want %d", len(rows), len(shipped)+1)
	}
	if rows[0][1] != "violation" || !strings.Contains(rows[0][2], "techcorp-dev-t009-us-east-1-churn-ml") {
		t.Errorf("first row is %q, want the violating product", rows[0][1])
	}
	href := regexp.MustCompile(`<a href="([^"]+)">report</a>`)
	for _, r := range rows {
		m := href.FindStringSubmatch(r[2])
		if m == nil {
			t.Errorf("a %s row links no report", r[1])
			continue
		}
		if _, err := os.Stat(filepath.Join(filepath.Dir(page), m[1])); err != nil {
			t.Errorf("link %s does not resolve: %v", m[1], err)
		}
	}
	if lines := consoleLine.FindAllString(log, -1); len(lines) > 0 {
		t.Errorf("the page logged to the console:\n%s", strings.Join(lines, "\n"))
	}
	b, err := os.ReadFile(fleetScreenshot)
	if err != nil || !bytes.HasPrefix(b, []byte("\x89PNG")) {
		t.Fatalf("screenshot %s: %v", fleetScreenshot, err)
	}
	t.Logf("screenshot saved to test/artifacts/fleet-report.png (%d KB)", len(b)/1024)
}
