package ci

import (
	"bytes"
	"encoding/json"
	"github.com/mlprov/mlprov/test/e2e"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/mlprov/mlprov/internal/fleet"
	"github.com/mlprov/mlprov/internal/testenv"
)

const (
	githubWorkflow = "github/mlprov-policy-gate.yml"
	gitlabJobs     = "gitlab/.gitlab-ci.yml"
	repoRoot       = "../.."
	// The linters, installed by `make ci-tools`.
	actionlint      = repoRoot + "/bin/actionlint"
	gitlabCILocal   = repoRoot + "/tools/gitlab-ci-local/node_modules/gitlab-ci-local/dist/index.js"
	gitlabSetShim   = repoRoot + "/tools/gitlab-ci-local/set-methods.cjs"
	exitViolation   = 4
	toolsInstallCmd = "make ci-tools"
)

// requireFile skips (or under CI=true fails) when a linter is missing.
func requireFile(t *testing.T, path string) {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		testenv.Missing(t, path+" missing", toolsInstallCmd)
	}
}

// breakFile copies file to a temp dir with old replaced by new (once).
func breakFile(t *testing.T, file, dir, old, new string) string {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(string(b), old) != 1 {
		t.Fatalf("%s holds %q %d times, want once", file, old, strings.Count(string(b), old))
	}
	path := filepath.Join(dir, filepath.Base(file))
	if err := os.WriteFile(path, []byte(strings.Replace(string(b), old, new, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// The workflow passes actionlint (workflow syntax, expressions, action
// inputs, job keys); a typo in a key is caught, so the check can fail.
func TestGitHubWorkflowPassesActionlint(t *testing.T) {
	requireFile(t, actionlint)
	if out, err := exec.Command(actionlint, "-no-color", githubWorkflow).CombinedOutput(); err != nil {
		t.Fatalf("actionlint %s: %v\n%s", githubWorkflow, err, out)
	}
	broken := breakFile(t, githubWorkflow, t.TempDir(), "runs-on:", "run-on:")
	out, err := exec.Command(actionlint, "-no-color", broken).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "run-on") {
		t.Fatalf("actionlint accepted a workflow with an unknown key: %v\n%s", err, out)
	}
}

// gitlabLint runs gitlab-ci-local's schema validation on a folder holding
// .gitlab-ci.yml.
func gitlabLint(t *testing.T, dir string) (string, error) {
	t.Helper()
	shim, _ := filepath.Abs(gitlabSetShim)
	tool, _ := filepath.Abs(gitlabCILocal)
	cmd := exec.Command("node", "--require", shim, tool, "--list-all")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// The GitLab job validates against GitLab's published CI schema (bundled
// in gitlab-ci-local); a misspelled enum value is caught.
func TestGitLabJobMatchesGitLabSchema(t *testing.T) {
	requireFile(t, gitlabCILocal)
	good := t.TempDir()
	b, err := os.ReadFile(gitlabJobs)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(good, ".gitlab-ci.yml"), b, 0o644)
	out, err := gitlabLint(t, good)
	if err != nil || strings.Contains(out, "Invalid") || !strings.Contains(out, "json schema validated") || !strings.Contains(out, "mlprov-policy-gate") {
		t.Fatalf("gitlab-ci-local rejected %s: %v\n%s", gitlabJobs, err, out)
	}
	bad := t.TempDir()
	breakFile(t, gitlabJobs, bad, "when: always", "when: allways")
	out, _ = gitlabLint(t, bad)
	if !strings.Contains(out, "Invalid .gitlab-ci.yml configuration") {
		t.Fatalf("gitlab-ci-local accepted artifacts.when: allways:\n%s", out)
	}
}

// workspace is a checkout-like folder: the repository's top-level entries
// linked, and configs/ copied (plus extra files), so CI commands run in it
// as they would in a fresh clone.
func workspace(t *testing.T, extra map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	root, _ := filepath.Abs(repoRoot)
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		switch e.Name() {
		case "configs", "bin", "ml", ".git":
			continue
		}
		if err := os.Symlink(filepath.Join(root, e.Name()), filepath.Join(dir, e.Name())); err != nil {
			t.Fatal(err)
		}
	}
	shipped, _ := filepath.Glob(filepath.Join(root, "configs", "*.yaml"))
	os.MkdirAll(filepath.Join(dir, "configs"), 0o755)
	for _, f := range shipped {
		b, _ := os.ReadFile(f)
		os.WriteFile(filepath.Join(dir, "configs", filepath.Base(f)), b, 0o644)
	}
	for name, content := range extra {
		os.WriteFile(filepath.Join(dir, "configs", name), []byte(content), 0o644)
	}
	return dir
}

// shell runs one CI command with bash in dir.
func shell(t *testing.T, dir, command string, env []string) (int, string) {
	t.Helper()
	cmd := exec.Command("bash", "-eo", "pipefail", "-c", command)
	cmd.Dir, cmd.Env = dir, append(os.Environ(), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if err != nil && cmd.ProcessState == nil {
		t.Fatalf("%s: %v", command, err)
	}
	return cmd.ProcessState.ExitCode(), out.String()
}

// pipeline is one CI file's gate: the commands one runner runs for a
// shard, and the environment that CI gives them.
type pipeline struct {
	name     string
	shards   int
	commands func(shard int) []string
	env      func(dir, scratch string, shard int) []string
	// summary is where the fleet summary of a shard lands.
	summary func(dir, scratch string, shard int) string
}

var matrixShard = regexp.MustCompile(`\$\{\{\s*matrix\.shard\s*\}\}`)

func githubPipeline(t *testing.T) pipeline {
	var wf struct {
		Jobs map[string]struct {
			Env      map[string]string `yaml:"env"`
			Strategy struct {
				Matrix struct {
					Shard []int `yaml:"shard"`
				} `yaml:"matrix"`
			} `yaml:"strategy"`
			Steps []struct {
				Run  string            `yaml:"run"`
				Uses string            `yaml:"uses"`
				With map[string]string `yaml:"with"`
			} `yaml:"steps"`
		} `yaml:"jobs"`
	}
	readYAML(t, githubWorkflow, &wf)
	job, ok := wf.Jobs["policy-gate"]
	if !ok {
		t.Fatal("no policy-gate job")
	}
	var runs []string
	uploaded := ""
	for _, s := range job.Steps {
		if s.Run != "" {
			runs = append(runs, s.Run)
		}
		if strings.HasPrefix(s.Uses, "github/codeql-action/upload-sarif@") {
			uploaded = s.With["sarif_file"]
		}
	}
	// The SARIF uploaded is the file the gate writes.
	if uploaded == "" || !strings.Contains(strings.Join(runs, "\n"), "--sarif "+uploaded) {
		t.Fatalf("the upload-sarif step uploads %q, not the file the plan step writes", uploaded)
	}
	if !slices.Equal(job.Strategy.Matrix.Shard, []int{1, 2}) || job.Env["SHARDS"] != "2" {
		t.Fatalf("matrix %v with SHARDS=%s: the matrix must list every shard", job.Strategy.Matrix.Shard, job.Env["SHARDS"])
	}
	return pipeline{
		name: "github", shards: len(job.Strategy.Matrix.Shard),
		commands: func(shard int) []string {
			var out []string
			for _, r := range runs {
				out = append(out, matrixShard.ReplaceAllString(r, strconv.Itoa(shard)))
			}
			return out
		},
		env: func(dir, scratch string, shard int) []string {
			return []string{"RUNNER_TEMP=" + scratch, "SHARDS=" + job.Env["SHARDS"], "GITHUB_WORKSPACE=" + dir}
		},
		summary: func(dir, scratch string, shard int) string {
			return filepath.Join(scratch, "mlprov/ml/reports", "fleet-plan-shard-"+strconv.Itoa(shard)+"-of-2.json")
		},
	}
}

func gitlabPipeline(t *testing.T) pipeline {
	var jobs map[string]struct {
		Parallel int      `yaml:"parallel"`
		Script   []string `yaml:"script"`
	}
	readYAML(t, gitlabJobs, &jobs)
	job, ok := jobs["mlprov-policy-gate"]
	if !ok || job.Parallel != 2 {
		t.Fatalf("no mlprov-policy-gate job with parallel: 2 in %s", gitlabJobs)
	}
	return pipeline{
		name: "gitlab", shards: job.Parallel,
		commands: func(int) []string { return job.Script },
		env: func(dir, scratch string, shard int) []string {
			return []string{"CI_NODE_INDEX=" + strconv.Itoa(shard), "CI_NODE_TOTAL=" + strconv.Itoa(job.Parallel), "CI_PROJECT_DIR=" + dir}
		},
		summary: func(dir, scratch string, shard int) string {
			return filepath.Join(dir, ".mlprov/ml/reports", "fleet-plan-shard-"+strconv.Itoa(shard)+"-of-2.json")
		},
	}
}

func readYAML(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// runGate runs the pipeline's commands for every shard in dir and returns
// each shard's exit code and the configs its summary covers.
func runGate(t *testing.T, p pipeline, dir string) (codes []int, covered []string) {
	t.Helper()
	for shard := 1; shard <= p.shards; shard++ {
		scratch := t.TempDir()
		code := 0
		var out string
		for _, c := range p.commands(shard) {
			if code, out = shell(t, dir, c, p.env(dir, scratch, shard)); code != 0 {
				break
			}
		}
		codes = append(codes, code)
		b, err := os.ReadFile(p.summary(dir, scratch, shard))
		if err != nil {
			t.Fatalf("%s shard %d: no fleet summary (%v)\n%s", p.name, shard, err, out)
		}
		var s fleet.Summary
		if err := json.Unmarshal(b, &s); err != nil {
			t.Fatal(err)
		}
		for _, prod := range s.Products {
			covered = append(covered, filepath.Base(prod.Config))
		}
		if _, err := os.Stat(filepath.Join(dir, "mlprov.sarif")); err != nil {
			t.Errorf("%s shard %d wrote no SARIF: %v", p.name, shard, err)
		}
	}
	slices.Sort(covered)
	return codes, covered
}

// The commands each pipeline runs pass on the shipped configs with the
// fleet split over the shards exactly once, and fail with exit 4 in the
// shard that holds a product with a mandatory violation.
func TestPipelinesRunTheGate(t *testing.T) {
	if testing.Short() {
		t.Skip("builds mlprov and plans every shipped config")
	}
	violating, err := e2e.ViolatingStarter(repoRoot, "t077")
	if err != nil {
		t.Fatal(err)
	}
	shipped, _ := filepath.Glob(repoRoot + "/configs/*.yaml")
	var want []string
	for _, f := range shipped {
		want = append(want, filepath.Base(f))
	}
	clean, dirty := workspace(t, nil), workspace(t, map[string]string{"zz-violating.yaml": violating})
	for _, p := range []pipeline{githubPipeline(t), gitlabPipeline(t)} {
		t.Run(p.name, func(t *testing.T) {
			codes, covered := runGate(t, p, clean)
			if !slices.Equal(codes, []int{0, 0}) || !slices.Equal(covered, want) {
				t.Fatalf("shipped configs: exit codes %v, covered %d of %d configs (%v)", codes, len(covered), len(want), covered)
			}
			codes, _ = runGate(t, p, dirty)
			slices.Sort(codes)
			if !slices.Equal(codes, []int{0, exitViolation}) {
				t.Fatalf("with a violating product: exit codes %v, want one shard 0 and one %d", codes, exitViolation)
			}
		})
	}
}
