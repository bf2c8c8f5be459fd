package tiers_test

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/mlprov/mlprov/internal/literalscan"
)

// nameLiteral matches a tier or environment name written as a Go string.
var nameLiteral = regexp.MustCompile(`"(starter|professional|enterprise|dev|test|staging|prod)"`)

// TestNoTierOrEnvironmentLiteralOutsideTheTables: production code names a
// tier or an environment only through internal/tiers and
// internal/environments (tests spell them out as independent pins; the
// build version "dev" is not an environment).
func TestNoTierOrEnvironmentLiteralOutsideTheTables(t *testing.T) {
	root, _ := filepath.Abs(filepath.Join("..", ".."))
	allowed := []string{filepath.Join(root, "internal", "tiers"), filepath.Join(root, "internal", "environments")}
	hits, err := literalscan.Find(root, nameLiteral, allowed, func(line string) bool {
		return strings.Contains(strings.ToLower(line), "version")
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range hits {
		t.Errorf("%s written out; use internal/tiers or internal/environments", h)
	}
}
