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
