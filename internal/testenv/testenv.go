// Package testenv decides, in one place, what a test does when a tool it
// needs is missing: it skips on a developer machine and FAILS under CI=true
// or MLPROV_REQUIRE_E2E=1, naming the command that installs the tool. It also
// holds the one finder for the pinned Pulumi CLI the tests use.
package testenv

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mlprov/mlprov/internal/engine"
)

// Environment variables that make a missing tool a failure.
const (
	EnvCI      = "CI"
	EnvRequire = "MLPROV_REQUIRE_E2E"
)

// Install commands named in failures.
const (
	InstallPulumi   = "make pulumi"
	InstallChromium = "make tools (as root: apt-get install -y chromium)"
)

// Required reports whether a missing tool must fail the test.
func Required() bool {
	return os.Getenv(EnvCI) == "true" || os.Getenv(EnvRequire) == "1"
}

// Missing ends the test because a tool is unavailable: a failure when
// Required, else a skip. why says what is missing; install how to get it.
func Missing(tb testing.TB, why, install string) {
	tb.Helper()
	msg := why
	if !strings.Contains(why, install) {
		msg = fmt.Sprintf("%s: run `%s`", why, install)
	}
	if Required() {
		tb.Fatalf("%s (a missing tool fails under %s=true or %s=1)", msg, EnvCI, EnvRequire)
		return
	}
	tb.Skip(msg + " (set " + EnvRequire + "=1 to make this a failure)")
}

// RepoRoot is the repository root: the nearest folder above the working
// directory holding mlprov's go.mod.
func RepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && strings.HasPrefix(string(b), "module github.com/mlprov/mlprov\n") {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("not inside the mlprov repository")
		}
		dir = parent
	}
}

// MustRepoRoot is RepoRoot for tests.
func MustRepoRoot(tb testing.TB) string {
	tb.Helper()
	root, err := RepoRoot()
	if err != nil {
		tb.Fatal(err)
	}
	return root
}

// Getenv is the environment the engine finder sees in tests: the process's,
// with MLPROV_PULUMI_ROOT defaulting to the repository root (where `make
// pulumi` puts bin/pulumi).
func Getenv(name string) string {
	v := os.Getenv(name)
	if name == engine.EnvPulumiRoot && v == "" {
		v, _ = RepoRoot()
	}
	return v
}

// PulumiCLI is the path of the pinned Pulumi CLI, found and version-checked
// by the engine's own finder.
// Its error also names this repository's install command (the engine's own
// message speaks to users of the binary, who have no Makefile).
func PulumiCLI() (string, error) {
	path, err := engine.FindCLI(Getenv)
	if err != nil {
		return "", fmt.Errorf("%w (in this repository: %s)", err, InstallPulumi)
	}
	return path, nil
}

// SkipShort skips a test of the real engine when -short was asked for
// (make test-unit): an explicit request, not a missing tool, so it holds
// under CI=true too; make test never passes -short.
func SkipShort(tb testing.TB) {
	tb.Helper()
	if testing.Short() {
		tb.Skip("runs the real Pulumi engine; skipped with -short")
	}
}

// Engine prepares a test that runs the real Pulumi engine: skipped with
// -short, else the pinned CLI must be there. It returns the CLI's path.
func Engine(tb testing.TB) string {
	tb.Helper()
	SkipShort(tb)
	path, err := PulumiCLI()
	if err != nil {
		Missing(tb, err.Error(), InstallPulumi)
	}
	return path
}

// PulumiRoot is a folder whose bin/pulumi is the pinned CLI (what the
// Automation API's PulumiCommandOptions.Root wants).
func PulumiRoot(tb testing.TB) string {
	tb.Helper()
	cli := Engine(tb)
	if filepath.Base(filepath.Dir(cli)) == "bin" {
		return filepath.Dir(filepath.Dir(cli))
	}
	root := tb.TempDir()
	if err := os.Mkdir(filepath.Join(root, "bin"), 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.Symlink(cli, filepath.Join(root, "bin", "pulumi")); err != nil {
		tb.Fatal(err)
	}
	return root
}

// ChromiumPath is where Debian's chromium package installs the browser.
const ChromiumPath = "/usr/bin/chromium"

// Chromium returns the browser's path, or ends the test as Missing.
func Chromium(tb testing.TB) string {
	tb.Helper()
	if _, err := os.Stat(ChromiumPath); err != nil {
		Missing(tb, ChromiumPath+" not found", InstallChromium)
	}
	return ChromiumPath
}
