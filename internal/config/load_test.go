package config_test

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/mlprov/mlprov/internal/config"
)

// fixture is one testdata file and what its header comments expect.
type fixture struct {
	path string
	data []byte
	// wants are substrings that must each appear in the error text; a want
	// like ":12: ml_product.x: ..." also pins the line.
	wants []string
	// count is the exact number of problems when given (# count: N).
	count int
}

func readFixtures(t testing.TB, dir string) []fixture {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", dir, "*.yaml"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no fixtures in testdata/%s: %v", dir, err)
	}
	out := make([]fixture, 0, len(paths))
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		f := fixture{path: p, data: data}
		for _, line := range strings.Split(string(data), "\n") {
			if want, ok := strings.CutPrefix(line, "# want: "); ok {
				f.wants = append(f.wants, want)
			}
			if n, ok := strings.CutPrefix(line, "# count: "); ok {
				f.count, _ = strconv.Atoi(n)
			}
		}
		out = append(out, f)
	}
	return out
}

func TestGoodFixturesLoad(t *testing.T) {
	for _, f := range readFixtures(t, "good") {
		t.Run(filepath.Base(f.path), func(t *testing.T) {
			cfg, err := config.Parse(f.path, f.data)
			if err != nil {
				t.Fatalf("want valid, got:\n%v", err)
			}
			if cfg.Path != f.path {
				t.Errorf("Path = %q, want %q", cfg.Path, f.path)
			}
			if ps := config.Validate(cfg); len(ps) != 0 {
				t.Errorf("Validate on the decoded config disagrees with Parse: %v", ps)
			}
		})
	}
}

func TestBadFixturesReportTheirProblems(t *testing.T) {
	fixtures := readFixtures(t, "bad")
	if len(fixtures) < 35 {
		t.Errorf("%d bad fixtures; keep at least 35", len(fixtures))
	}
	for _, f := range fixtures {
		t.Run(filepath.Base(f.path), func(t *testing.T) {
			if len(f.wants) == 0 {
				t.Fatal("fixture has no '# want: ' line")
			}
			cfg, err := config.Parse(f.path, f.data)
			if err == nil {
				t.Fatalf("want an error, got a valid config %+v", cfg)
			}
			if cfg != nil {
				t.Error("an invalid config must come back nil")
			}
			var verr *config.ValidationError
			if !errors.As(err, &verr) {
				t.Fatalf("want *config.ValidationError, got %T: %v", err, err)
			}
			text := err.Error()
			for _, want := range f.wants {
				if !strings.Contains(text, want) {
					t.Errorf("missing %q in:\n%s", want, text)
				}
			}
			if f.count > 0 && len(verr.Problems) != f.count {
				t.Errorf("%d problems, want %d:\n%s", len(verr.Problems), f.count, text)
			}
			if got := strings.Count(text, "\n") + 1; got != len(verr.Problems) {
				t.Errorf("Error() has %d lines for %d problems", got, len(verr.Problems))
			}
		})
	}
}
