package config_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/mlprov/mlprov/internal/config"
)

// FuzzParse feeds arbitrary bytes to Parse: it must never panic, and must
// return either a config or a *ValidationError with at least one problem.
func FuzzParse(f *testing.F) {
	for _, dir := range []string{"good", "bad"} {
		for _, fx := range readFixtures(f, dir) {
			f.Add(fx.data)
		}
	}
	for _, e := range exampleConfigs(f) {
		f.Add(e.data)
	}
	f.Add([]byte{})
	f.Add([]byte("\x00\xff\xfe"))
	f.Add([]byte("a: &a [*a, *a]\n"))
	f.Add([]byte(strings.Repeat("[", 5000)))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := config.Parse("fuzz.yaml", data)
		if err == nil {
			if cfg == nil {
				t.Fatal("nil config without an error")
			}
			return
		}
		var verr *config.ValidationError
		if !errors.As(err, &verr) || len(verr.Problems) == 0 {
			t.Fatalf("want a *ValidationError with problems, got %T %v", err, err)
		}
	})
}
