// Package iamsim runs the external IAM evaluator, @cloud-copilot/iam-simulate
// (pinned by internal/iampolicy/testdata/iamsim/package-lock.json), with
// Node: an implementation of IAM policy evaluation that shares nothing with
// mlprov's own (internal/iampolicy/evaluate.go), so a test proving what
// mlprov's policies allow does not rest on mlprov's evaluator alone. Test
// infrastructure only.
package iamsim

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/mlprov/mlprov/internal/policydoc"
	"github.com/mlprov/mlprov/internal/testenv"
)

// Install is the command that installs the evaluator.
const Install = "make iamsim (npm ci --prefix internal/iampolicy/testdata/iamsim)"

// dir is the evaluator's Node project, from the repository root.
const dir = "internal/iampolicy/testdata/iamsim"

// Verdicts the evaluator answers.
const (
	Allowed          = "Allowed"
	ExplicitlyDenied = "ExplicitlyDenied"
	ImplicitlyDenied = "ImplicitlyDenied"
)

// Request is one request in the evaluator's input (evaluate.js).
type Request struct {
	Action    string              `json:"action"`
	Resource  string              `json:"resource"`
	Account   string              `json:"account"`
	Principal string              `json:"principal"`
	Context   map[string][]string `json:"context"`
	// ResourcePolicy is the resource's own policy where AWS requires one.
	ResourcePolicy *policydoc.Document `json:"resourcePolicy,omitempty"`
}

// projectDir finds the evaluator, skipping the test (failing it under CI)
// when Node or the installed evaluator is missing.
func projectDir(tb testing.TB) string {
	tb.Helper()
	root, err := testenv.RepoRoot()
	if err != nil {
		tb.Fatal(err)
	}
	project := filepath.Join(root, dir)
	if _, err := exec.LookPath("node"); err != nil {
		testenv.Missing(tb, "node is not on PATH (install Node.js, e.g. apt-get install -y nodejs npm, then "+Install+")", Install)
	} else if _, err := os.Stat(filepath.Join(project, "node_modules", "@cloud-copilot", "iam-simulate")); err != nil {
		testenv.Missing(tb, "the external IAM evaluator is not installed", Install)
	}
	return project
}

// Require skips the test (fails it under CI) unless the evaluator can run.
func Require(tb testing.TB) {
	tb.Helper()
	projectDir(tb)
}

// Judge returns the evaluator's verdict on each request, the identity
// policies being policies.
func Judge(tb testing.TB, policies []policydoc.Document, reqs []Request) []string {
	tb.Helper()
	in, err := json.Marshal(map[string]any{"policies": policies, "requests": reqs})
	if err != nil {
		tb.Fatal(err)
	}
	cmd := exec.Command("node", "evaluate.js")
	cmd.Dir = projectDir(tb)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		tb.Fatalf("external evaluator: %v\n%s", err, stderr.String())
	}
	var verdicts []string
	if err := json.Unmarshal(out, &verdicts); err != nil || len(verdicts) != len(reqs) {
		tb.Fatalf("external evaluator answered %d verdicts for %d requests: %v", len(verdicts), len(reqs), err)
	}
	return verdicts
}
