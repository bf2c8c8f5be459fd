package tiers_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// nameLiteral matches a tier or environment name written as a Go string.
var nameLiteral = regexp.MustCompile(`"(starter|professional|enterprise|dev|test|staging|prod)"`)

// TestNoTierOrEnvironmentLiteralOutsideTheTables: production code names a
// tier or an environment only through internal/tiers and
// internal/environments (tests spell them out as independent pins; the
// build version "dev" is not an environment).
func TestNoTierOrEnvironmentLiteralOutsideTheTables(t *testing.T) {
	root, _ := filepath.Abs(filepath.Join("..", ".."))
	allowed := map[string]bool{filepath.Join(root, "internal", "tiers"): true, filepath.Join(root, "internal", "environments"): true}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if allowed[path] || (path != root && strings.HasPrefix(d.Name(), ".")) || d.Name() == "bin" || d.Name() == "node_modules" {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(b), "\n") {
			code := strings.TrimSpace(line)
			if strings.HasPrefix(code, "//") || strings.Contains(strings.ToLower(code), "version") {
				continue
			}
			for _, m := range nameLiteral.FindAllStringSubmatch(code, -1) {
				rel, _ := filepath.Rel(root, path)
				t.Errorf("%s:%d: %q written out; use internal/tiers or internal/environments", rel, i+1, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
