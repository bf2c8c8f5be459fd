package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// assertEmpty fails when dir holds anything.
func assertEmpty(t *testing.T, dir, after string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Errorf("%s left %s in the work directory", after, e.Name())
		os.RemoveAll(filepath.Join(dir, e.Name())) // judge the next command line on its own
	}
}

// --help, completion and usage errors act on nothing, so they leave
// nothing: no audit log, no ml/ folder.
func TestHelpCompletionAndUsageErrorsLeaveTheDirectoryEmpty(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	root := NewRootCommand(&Deps{Out: &bytes.Buffer{}, Err: &bytes.Buffer{}})
	var commandLines [][]string
	for _, c := range root.Commands() {
		commandLines = append(commandLines,
			[]string{c.Name(), "--help"}, []string{c.Name(), "-h"}, []string{"help", c.Name()},
			[]string{c.Name(), "--no-such-flag"}, []string{c.Name(), "--output", "yaml"},
			[]string{"__complete", c.Name(), "--"})
	}
	commandLines = append(commandLines, []string{"--help"}, []string{}, []string{"completion", "bash"},
		[]string{"no-such-action"}, []string{"plan"}, []string{"plan", "--config", "no-such-config"},
		[]string{"validate-config", "--all", "no-such-folder"})
	for _, args := range commandLines {
		runAudited(t, nil, args...)
		assertEmpty(t, dir, "mlprov "+strings.Join(args, " "))
	}
	if len(commandLines) < 3*len(commands) {
		t.Fatalf("only %d command lines tried", len(commandLines))
	}
}

func TestConflictingAndMissingInputsAreUsageErrors(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"validate-prov-template", "--template", "t.json", "--config", starterExample}, "--template and --config"},
		{[]string{"validate-config", "--all", "../../configs", "--config", starterExample}, "--all and --config"},
		{[]string{"validate-config", "--all", "no-such-folder"}, "there is no folder no-such-folder"},
	}
	for _, c := range cases {
		code, out, errs := run(t, c.args...)
		if code != ExitUsage || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, stderr %q (stdout %q); want exit %d saying %q", c.args, code, errs, out, ExitUsage, c.want)
		}
	}
}

// Every command has an Example: section; --force is shown only on the
// actions that change infrastructure, and still accepted (hidden) elsewhere.
func TestHelpShowsExamplesAndForceOnlyOnMutatingActions(t *testing.T) {
	root := NewRootCommand(&Deps{Out: &bytes.Buffer{}, Err: &bytes.Buffer{}})
	for _, c := range root.Commands() {
		if c.Name() == "help" || c.Name() == "completion" {
			continue
		}
		var help bytes.Buffer
		c.SetOut(&help)
		c.Help()
		if !strings.Contains(help.String(), "Examples:\n  mlprov "+c.Name()) && !strings.Contains(help.String(), "Examples:\n  mlprov -con") {
			t.Errorf("%s --help has no example of itself:\n%s", c.Name(), help.String())
		}
		if shown := strings.Contains(help.String(), "--force"); shown != mutating[c.Name()] {
			t.Errorf("%s --help shows --force: %v", c.Name(), shown)
		}
	}
	if code, _, errs := run(t, "exit-codes", "--force"); code != ExitOK {
		t.Errorf("--force on a read-only action must stay accepted for old scripts: exit %d %s", code, errs)
	}
}

func TestCompletionOfConfigOutputAndBackend(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "configs"), 0o755)
	os.WriteFile(filepath.Join(dir, "configs", "acme-dev-a001-us-east-1-churn-ml.yaml"), []byte("x"), 0o644)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"__complete", "plan", "--workdir", dir, "--config", ""}, "acme-dev-a001-us-east-1-churn-ml\n"},
		{[]string{"__complete", "plan", "--output", ""}, "json\n"},
		{[]string{"__complete", "deploy-product", "--backend", ""}, "s3://\n"},
	} {
		code, out, errs := run(t, c.args...)
		if code != ExitOK || !strings.Contains(out, c.want) {
			t.Errorf("%v: exit %d, completions %q %s; want %q", c.args, code, out, errs, c.want)
		}
	}
}
