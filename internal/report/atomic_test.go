package report

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mlprov/mlprov/internal/policycheck"
)

// failingPage fails half-way through the template: the header and product
// summary are already streamed into the file when the checklist errors.
type failingPage struct{ Review }

// Checklist is a method here, so the template calls it mid-page and its
// error aborts execution after the first sections were written.
func (failingPage) Checklist() ([]ChecklistItem, error) {
	return nil, errors.New("disk on fire")
}

func TestFailedWriteLeavesNoTruncatedReport(t *testing.T) {
	dir := t.TempDir()
	paths := Paths{HTML: filepath.Join(dir, "r.html"), JSON: filepath.Join(dir, "r.json")}
	doc := fixture()
	in := ReviewInput{Doc: doc, Policy: policycheck.Check(doc, now), Now: now, Version: "test"}
	if _, err := WriteReview(paths, in); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(paths.HTML)

	// A second write that dies half-way through the page.
	err := writeTwins(paths, KindReview, failingPage{BuildReview(in)})
	if err == nil || !strings.Contains(err.Error(), "disk on fire") {
		t.Fatalf("want the template error, got %v", err)
	}
	after, _ := os.ReadFile(paths.HTML)
	if js, _ := os.ReadFile(paths.JSON); !strings.Contains(string(js), `"kind": "review"`) {
		t.Errorf("the JSON twin must be untouched by a failed page")
	}
	if string(after) != string(before) || !strings.HasSuffix(strings.TrimSpace(string(after)), "</html>") {
		t.Errorf("the previous complete report must survive a failed write (len before %d, after %d)", len(before), len(after))
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.Name() != "r.html" && e.Name() != "r.json" {
			t.Errorf("stray file left behind: %s", e.Name())
		}
	}

	// A first write that fails leaves no HTML at all.
	fresh := Paths{HTML: filepath.Join(dir, "new.html"), JSON: filepath.Join(dir, "new.json")}
	if err := writeTwins(fresh, KindReview, failingPage{BuildReview(in)}); err == nil {
		t.Fatal("want an error")
	}
	if _, err := os.Stat(fresh.HTML); !os.IsNotExist(err) {
		t.Errorf("a failed first write must not create %s (stat: %v)", fresh.HTML, err)
	}
}
