// Package literalscan finds string literals in the repository's production
// Go code, for the tests that keep a fact in one leaf table.
package literalscan

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// Hit is one literal found outside the allowed packages.
type Hit struct {
	Where   string // path relative to the repository root, and line
	Literal string // the first submatch of the pattern
}

func (h Hit) String() string { return fmt.Sprintf("%s: %q", h.Where, h.Literal) }

// Find walks the non-test .go files under root, except the allowed
// directories (absolute), hidden folders and bin/, and returns every
// non-comment line matching pattern for which skip (may be nil) is false.
func Find(root string, pattern *regexp.Regexp, allowed []string, skip func(line string) bool) ([]Hit, error) {
	var hits []Hit
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			hidden := path != root && strings.HasPrefix(d.Name(), ".")
			for _, a := range allowed {
				if path == a {
					return filepath.SkipDir
				}
			}
			if hidden || d.Name() == "bin" || d.Name() == "node_modules" {
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
		rel, _ := filepath.Rel(root, path)
		for i, line := range strings.Split(string(b), "\n") {
			code := strings.TrimSpace(line)
			if strings.HasPrefix(code, "//") || (skip != nil && skip(code)) {
				continue
			}
			for _, m := range pattern.FindAllStringSubmatch(code, -1) {
				hits = append(hits, Hit{Where: fmt.Sprintf("%s:%d", rel, i+1), Literal: m[1]})
			}
		}
		return nil
	})
	return hits, err
}
