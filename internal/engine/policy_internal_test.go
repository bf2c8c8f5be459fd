package engine

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mlprov/mlprov/policy-pack/rules"
)

// fakeAnalyzer writes an executable answering the identity handshake with
// identity.
func fakeAnalyzer(t *testing.T, identity string) string {
	t.Helper()
	bin := t.TempDir()
	script := "#!/bin/sh\n[ \"$1\" = '" + rules.IdentityFlag + "' ] && echo '" + identity + "'\n"
	if err := os.WriteFile(filepath.Join(bin, AnalyzerName), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return bin
}

func TestFindAnalyzerChecksTheHandshake(t *testing.T) {
	own := fakeAnalyzer(t, rules.Identity())
	stale := fakeAnalyzer(t, rules.PackName+" 0.0.1 0000000000000000")
	getenv := func(path string) func(string) string {
		return func(name string) string {
			if name == "PATH" {
				return path
			}
			return ""
		}
	}
	if got, err := FindAnalyzer(getenv(stale + string(os.PathListSeparator) + own)); err != nil || got != filepath.Join(own, AnalyzerName) {
		t.Errorf("a stale analyzer first on PATH, then mlprov's own: want the own one, got %q, %v", got, err)
	}
	_, err := FindAnalyzer(getenv(stale))
	if err == nil || !strings.Contains(err.Error(), filepath.Join(stale, AnalyzerName)) || !strings.Contains(err.Error(), "make build") {
		t.Errorf("only a foreign analyzer: want an error naming it and `make build`, got %v", err)
	}
}
