package browser

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/mlprov/mlprov/internal/cli"
	"github.com/mlprov/mlprov/internal/testenv"
)

const (
	chromiumPath = testenv.ChromiumPath
	// The shipped enterprise example the review report is rendered from.
	enterpriseConfig = "../../configs/globalbank-prod-c001-us-west-2-churn-ml-codecommit-standalone-ssm.yaml"
	// {ml_name}-{scenario}-create-review-report-{timestamp}.html, the old tool's name.
	reportGlob = "ml/reports/globalbank-prod-c001-us-west-2-churn-ml-codecommit-standalone-ssm-create-review-report-*.html"
	screenshot = "../artifacts/review-report.png"
)

// sections are the review report's parts the issue asks for, by element
// id, each with a text that proves it was filled in.
var sections = []struct{ id, text string }{
	{"summary", "globalbank-prod-c001-us-west-2-churn-ml"},
	{"checklist", "Confirm the SNS email subscription"},
	{"prerequisites", "Prerequisites and warnings"},
	{"policy", "MLP-KMS-001"},
	{"waivers", "Waivers"},
	{"resources", "aws:kms/key:Key"},
	{"outputs", "/ml/globalbank-prod-c001-us-west-2-churn-ml/KmsKeyArn"},
	{"inputs", "Inputs read from AWS"},
	{"deployer-policy", "Deployer policy"},
	{"cost", "Interface VPC endpoints"},
}

// consoleLine is how chromium's stderr log shows a page's console
// messages and uncaught exceptions.
var consoleLine = regexp.MustCompile(`(?m)^.*(:CONSOLE[:(]|Uncaught).*$`)

func requireChromium(t *testing.T) {
	t.Helper()
	testenv.Chromium(t)
}

// openInChromium loads a file headless, dumps its DOM, optionally saves a
// screenshot, and returns the DOM and chromium's log.
func openInChromium(t *testing.T, file, shot string) (dom, log string) {
	t.Helper()
	abs, err := filepath.Abs(file)
	if err != nil {
		t.Fatal(err)
	}
	args := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--no-first-run", "--user-data-dir=" + t.TempDir(),
		"--enable-logging=stderr", "--v=0", "--dump-dom"}
	if shot != "" {
		shotAbs, err := filepath.Abs(shot)
		if err != nil {
			t.Fatal(err)
		}
		args = append(args, "--screenshot="+shotAbs, "--window-size=1280,4000")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromiumPath, append(args, "file://"+abs)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.Dir = t.TempDir() // chromium may drop files in its working directory
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, errb.String())
	}
	return out.String(), errb.String()
}

// The console check must be able to fail: a page that logs and throws is caught.
func TestConsoleErrorsAreDetected(t *testing.T) {
	requireChromium(t)
	page := filepath.Join(t.TempDir(), "bad.html")
	os.WriteFile(page, []byte(`<!DOCTYPE html><html><body><p>x</p><script>console.error("boom"); notDefined();</script></body></html>`), 0o644)
	_, log := openInChromium(t, page, "")
	if got := consoleLine.FindAllString(log, -1); len(got) != 2 || !strings.Contains(got[1], "Uncaught ReferenceError") {
		t.Fatalf("want the console error and the uncaught exception detected, got %q", got)
	}
}

func TestReviewReportInBrowser(t *testing.T) {
	requireChromium(t)
	workdir := t.TempDir()
	var out, errb bytes.Buffer
	code := cli.Main([]string{"plan", "--config", enterpriseConfig, "--workdir", workdir}, cli.Deps{Out: &out, Err: &errb})
	if code != cli.ExitOK {
		t.Fatalf("plan on the enterprise example: exit %d\n%s%s", code, out.String(), errb.String())
	}
	if err := os.MkdirAll(filepath.Dir(screenshot), 0o755); err != nil {
		t.Fatal(err)
	}
	os.Remove(screenshot)
	reports, _ := filepath.Glob(filepath.Join(workdir, reportGlob))
	if len(reports) != 1 {
		t.Fatalf("want one review report %s, got %v", reportGlob, reports)
	}
	dom, log := openInChromium(t, reports[0], screenshot)

	for _, s := range sections {
		start := strings.Index(dom, `<section id="`+s.id+`">`)
		if start < 0 {
			t.Errorf("section %q missing from the rendered page", s.id)
			continue
		}
		end := strings.Index(dom[start:], "</section>")
		if end < 0 || !strings.Contains(dom[start:start+end], s.text) {
			t.Errorf("section %q does not show %q", s.id, s.text)
		}
	}
	if lines := consoleLine.FindAllString(log, -1); len(lines) > 0 {
		t.Errorf("the page logged to the console:\n%s", strings.Join(lines, "\n"))
	}
	b, err := os.ReadFile(screenshot)
	if err != nil || len(b) < 50_000 || !bytes.HasPrefix(b, []byte("\x89PNG")) {
		t.Fatalf("screenshot %s: want a PNG of a full page, got %d bytes (%v)", screenshot, len(b), err)
	}
	t.Logf("screenshot saved to test/artifacts/review-report.png (%d KB)", len(b)/1024)
}
