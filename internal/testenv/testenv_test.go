package testenv

import (
	"fmt"
	"strings"
	"testing"
)

// recorder is a testing.TB that records how a test ended.
type recorder struct {
	testing.TB
	failed, skipped string
}

func (r *recorder) Helper()                        {}
func (r *recorder) Fatalf(format string, a ...any) { r.failed = sprintf(format, a...) }
func (r *recorder) Skip(a ...any)                  { r.skipped = sprint(a...) }

func TestMissingFailsUnderCIAndSkipsOtherwise(t *testing.T) {
	for _, tc := range []struct {
		ci, require string
		wantFail    bool
	}{
		{"true", "", true},
		{"", "1", true},
		{"", "", false},
		{"false", "0", false},
	} {
		t.Setenv(EnvCI, tc.ci)
		t.Setenv(EnvRequire, tc.require)
		r := &recorder{TB: t}
		Missing(r, "no Pulumi CLI v3.259.0 found", InstallPulumi)
		ended := r.skipped
		if tc.wantFail {
			ended = r.failed
		}
		if (r.failed != "") != tc.wantFail || (r.skipped != "") == tc.wantFail {
			t.Errorf("CI=%q %s=%q: failed %q, skipped %q; want fail=%v", tc.ci, EnvRequire, tc.require, r.failed, r.skipped, tc.wantFail)
		}
		if !strings.Contains(ended, "make pulumi") || !strings.Contains(ended, "no Pulumi CLI") {
			t.Errorf("the message must name what is missing and the install command, got %q", ended)
		}
	}
}

func TestPulumiCLINamesTheInstallCommandWhenAbsent(t *testing.T) {
	t.Setenv("MLPROV_PULUMI_ROOT", t.TempDir())
	t.Setenv("PATH", t.TempDir())
	if _, err := PulumiCLI(); err == nil || !strings.Contains(err.Error(), "make pulumi") {
		t.Errorf("no CLI anywhere: want an error naming `make pulumi`, got %v", err)
	}
}

func sprintf(format string, a ...any) string { return fmt.Sprintf(format, a...) }
func sprint(a ...any) string                 { return fmt.Sprint(a...) }
