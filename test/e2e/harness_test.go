package e2e_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/mlprov/mlprov/internal/config"
	"github.com/mlprov/mlprov/internal/engine"
	"github.com/mlprov/mlprov/internal/naming"
	"github.com/mlprov/mlprov/internal/testenv"
	"github.com/mlprov/mlprov/test/e2e"
	"github.com/mlprov/mlprov/test/fakeaws/control"
)

// Exit codes of the contract (internal/cli/exitcode.go).
const (
	exitOK          = 0
	exitChanges     = 5
	exitLocked      = 6
	exitRefused     = 7
	exitInterrupted = 130
)

// commandTimeout bounds one mlprov run.
const commandTimeout = 5 * time.Minute

// suite is what TestMain builds once for every test.
var suite struct {
	// unavailable is why the suite cannot run ("" when it can); each test
	// then skips or fails through testenv.Missing.
	unavailable string
	// short is true with -short: the suite is skipped on request.
	short bool
	// root is an MLPROV_PULUMI_ROOT whose bin/ holds mlprov, the pinned
	// pulumi CLI (a symlink) and the policy pack's analyzer.
	root      string
	mlprov    string
	pluginDir string
	// languageHostMark is written when the stand-in language host starts.
	languageHostMark string
}

func TestMain(m *testing.M) {
	flag.Parse()
	os.Exit(runSuite(m))
}

func runSuite(m *testing.M) int {
	if testing.Short() {
		suite.short = true
		return m.Run()
	}
	pulumiCLI, err := testenv.PulumiCLI()
	if err != nil {
		suite.unavailable = err.Error()
		return m.Run()
	}
	tmp, err := os.MkdirTemp("", "mlprov-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(tmp)
	if err := buildSuite(tmp, pulumiCLI); err != nil {
		fmt.Fprintln(os.Stderr, "e2e setup:", err)
		return 1
	}
	code := m.Run()
	if started := languageHostStarted(); started != "" {
		fmt.Fprintf(os.Stderr, "FAIL: the engine started the stand-in pulumi-language-go beside the CLI:\n%s", started)
		return 1
	}
	return code
}

func repoRoot() string {
	root, err := testenv.RepoRoot()
	if err != nil {
		panic(err)
	}
	return root
}

// buildSuite builds mlprov, the analyzer and the fake AWS plugins under tmp.
func buildSuite(tmp, pulumiCLI string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	suite.root = filepath.Join(tmp, "root")
	bin := filepath.Join(suite.root, "bin")
	suite.mlprov = filepath.Join(bin, "mlprov")
	suite.pluginDir = filepath.Join(tmp, "plugins")
	for _, dir := range []string{bin, suite.pluginDir} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	if err := os.Symlink(pulumiCLI, filepath.Join(bin, "pulumi")); err != nil {
		return err
	}
	if err := writeFailingLanguageHost(bin, tmp); err != nil {
		return err
	}
	for out, pkg := range map[string]string{suite.mlprov: "./cmd/mlprov", filepath.Join(bin, "pulumi-analyzer-policy-go"): "./policy-pack"} {
		build := exec.CommandContext(ctx, "go", "build", "-o", out, pkg)
		build.Dir = repoRoot()
		if b, err := build.CombinedOutput(); err != nil {
			return fmt.Errorf("go build %s: %w\n%s", pkg, err, b)
		}
	}
	return control.BuildPlugins(ctx, suite.pluginDir)
}

// The official Pulumi release ships pulumi-language-go beside pulumi, and the
// engine finds it there (first on the PATH mlprov gives the CLI). mlprov must
// never need it: every suite run has a stand-in beside the CLI that fails
// when started and leaves a mark, which TestMain checks after the tests.
func writeFailingLanguageHost(bin, tmp string) error {
	suite.languageHostMark = filepath.Join(tmp, "pulumi-language-go-started")
	script := "#!/bin/sh\necho \"$0 $*\" >> " + suite.languageHostMark + "\n" +
		"echo 'stand-in pulumi-language-go: mlprov must not start a language host' >&2\nexit 1\n"
	return os.WriteFile(filepath.Join(bin, "pulumi-language-go"), []byte(script), 0o755)
}

// languageHostStarted reports the stand-in's starts ("" when never started).
func languageHostStarted() string {
	b, _ := os.ReadFile(suite.languageHostMark)
	return string(b)
}

// product is one test's product: its own work directory (with the file
// backend at ml/state), config copy, fake cloud and Pulumi home.
type product struct {
	t       testing.TB
	workdir string
	config  string // the config copy in workdir
	cloud   string // the fake cloud's state directory
	home    string
	cfg     *config.Config
	names   naming.Names
	// env is added to mlprov's environment (the team-state tests' AWS
	// credentials for the object store and KMS emulator).
	env []string
}

// newProduct skips when the suite cannot run, else sets up configPath
// (relative to the repository root) with its network seeded.
func newProduct(t testing.TB, configPath string) *product {
	t.Helper()
	testenv.SkipShort(t)
	if suite.unavailable != "" {
		testenv.Missing(t, suite.unavailable, testenv.InstallPulumi)
	}
	p := &product{t: t, workdir: t.TempDir(), cloud: t.TempDir(), home: t.TempDir()}
	src, err := os.ReadFile(filepath.Join(repoRoot(), configPath))
	if err != nil {
		t.Fatal(err)
	}
	p.config = filepath.Join(p.workdir, filepath.Base(configPath))
	if err := os.WriteFile(p.config, src, 0o644); err != nil {
		t.Fatal(err)
	}
	if p.cfg, err = config.Load(p.config); err != nil {
		t.Fatal(err)
	}
	p.names = naming.For(p.cfg)
	if err := e2e.SeedNetwork(p.cloud, p.cfg); err != nil {
		t.Fatal(err)
	}
	if err := e2e.SeedSourceBucket(p.cloud, p.cfg, true); err != nil {
		t.Fatal(err)
	}
	return p
}

// editConfig replaces old by new in the config copy (exactly once).
func (p *product) editConfig(old, new string) {
	p.t.Helper()
	b, err := os.ReadFile(p.config)
	if err != nil {
		p.t.Fatal(err)
	}
	if n := strings.Count(string(b), old); n != 1 {
		p.t.Fatalf("config %s holds %q %d times, want once", p.config, old, n)
	}
	if err := os.WriteFile(p.config, []byte(strings.Replace(string(b), old, new, 1)), 0o644); err != nil {
		p.t.Fatal(err)
	}
}

// environ is the process environment of mlprov: the suite's binaries, the
// fake plugins first on PATH, this test's fake cloud and Pulumi home.
func (p *product) environ() []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if name == "PATH" || name == engine.EnvPulumiRoot || strings.HasPrefix(name, "PULUMI_") || strings.HasPrefix(name, "MLPROV_") {
			continue
		}
		env = append(env, kv)
	}
	for name, value := range control.PluginEnv(suite.pluginDir, p.cloud) {
		env = append(env, name+"="+value)
	}
	return append(append(env,
		engine.EnvPulumiRoot+"="+suite.root,
		control.AccountEnv+"="+p.cfg.Client.AccountID,
		"PULUMI_HOME="+p.home,
		"PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true",
	), p.env...)
}

// run is one finished mlprov process.
type run struct {
	args     []string
	code     int
	stdout   string
	stderr   string
	duration time.Duration
}

func (r run) String() string {
	return fmt.Sprintf("mlprov %s: exit %d after %s\nstdout:\n%s\nstderr:\n%s",
		strings.Join(r.args, " "), r.code, r.duration.Round(time.Millisecond), r.stdout, r.stderr)
}

// running is an mlprov process still going; its stderr is scanned for lines.
type running struct {
	cmd     *exec.Cmd
	args    []string
	started time.Time
	stdout  bytes.Buffer
	mu      sync.Mutex
	stderr  bytes.Buffer
	lines   chan string
	done    chan run
}

// command is an mlprov action on this product: the config copy, the work
// directory, and args.
func (p *product) command(action string, args ...string) []string {
	return append([]string{action, "--config", p.config, "--workdir", p.workdir}, args...)
}

// start starts mlprov with args.
func (p *product) start(args ...string) *running {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), commandTimeout)
	cmd := exec.CommandContext(ctx, suite.mlprov, args...)
	cmd.Dir = p.workdir
	cmd.Env = p.environ()
	// Its own process group, so a test can stop and resume mlprov together
	// with the engine and plugins it starts.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	r := &running{cmd: cmd, args: args, lines: make(chan string, 1024), done: make(chan run, 1)}
	cmd.Stdout = &r.stdout
	stderr, err := cmd.StderrPipe()
	if err != nil {
		p.t.Fatal(err)
	}
	r.started = time.Now()
	if err := cmd.Start(); err != nil {
		cancel()
		p.t.Fatal(err)
	}
	go func() {
		defer cancel()
		r.scan(stderr)
		err := cmd.Wait()
		code := cmd.ProcessState.ExitCode()
		if err != nil && code == 0 {
			code = -1
		}
		r.mu.Lock()
		defer r.mu.Unlock()
		r.done <- run{args: args, code: code, stdout: r.stdout.String(), stderr: r.stderr.String(), duration: time.Since(r.started)}
	}()
	return r
}

func (r *running) scan(stderr io.Reader) {
	defer close(r.lines)
	s := bufio.NewScanner(stderr)
	for s.Scan() {
		r.mu.Lock()
		r.stderr.WriteString(s.Text() + "\n")
		r.mu.Unlock()
		select {
		case r.lines <- s.Text():
		default:
		}
	}
}

// waitForLine waits until a stderr line satisfies match; false when the
// process ended (or timeout passed) first.
func (r *running) waitForLine(match func(string) bool, timeout time.Duration) (string, bool) {
	deadline := time.After(timeout)
	for {
		select {
		case line, ok := <-r.lines:
			if !ok {
				return "", false
			}
			if match(line) {
				return line, true
			}
		case <-deadline:
			return "", false
		}
	}
}

func (r *running) wait() run { return <-r.done }

// signalGroup sends sig to mlprov and every process it started.
func (r *running) signalGroup(sig syscall.Signal) error {
	return syscall.Kill(-r.cmd.Process.Pid, sig)
}

// mlprov runs mlprov to completion.
func (p *product) mlprov(args ...string) run {
	p.t.Helper()
	return p.start(args...).wait()
}

// expect runs mlprov and fails the test unless it exits with code.
func (p *product) expect(code int, args ...string) run {
	p.t.Helper()
	r := p.mlprov(args...)
	if r.code != code {
		p.t.Fatalf("want exit %d, got %s", code, r)
	}
	return r
}

// changes is the JSON of show-changes and deploy-product (engine.Result
// plus changeCount).
type changes struct {
	Changes     []engine.Change `json:"changes"`
	Summary     map[string]int  `json:"summary"`
	ChangeCount int             `json:"changeCount"`
	// Warnings are the program's warnings (checks at preview).
	Warnings []string `json:"warnings"`
}

// decode parses a run's JSON stdout into v.
func decode(t testing.TB, r run, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.stdout), v); err != nil {
		t.Fatalf("stdout is not the JSON expected (%v): %s", err, r)
	}
}

// opsOf lists the distinct ops of changes, sorted.
func opsOf(cs []engine.Change) []string {
	var ops []string
	for _, c := range cs {
		if !slices.Contains(ops, c.Op) {
			ops = append(ops, c.Op)
		}
	}
	slices.Sort(ops)
	return ops
}

// arnRegionAccount returns the region and account of a regional ARN.
func arnRegionAccount(t *testing.T, arn string) (region, account string) {
	t.Helper()
	parts := strings.Split(arn, ":")
	if len(parts) < 6 || parts[3] == "" || parts[4] == "" {
		t.Fatalf("%q is not a regional ARN", arn)
	}
	return parts[3], parts[4]
}

// cloudResources is what the fake cloud holds (seeded network aside).
func (p *product) cloudResources() []control.Resource {
	p.t.Helper()
	rs, err := control.Resources(p.cloud)
	if err != nil {
		p.t.Fatal(err)
	}
	return rs
}

// cloudURNs lists the URNs of the fake cloud's resources, sorted.
func (p *product) cloudURNs() []string {
	p.t.Helper()
	var urns []string
	for _, r := range p.cloudResources() {
		urns = append(urns, r.URN)
	}
	slices.Sort(urns)
	return urns
}

// mutatingCalls lists the create, update and delete calls the fake cloud got.
func (p *product) mutatingCalls() []string {
	p.t.Helper()
	calls, err := control.Calls(p.cloud)
	if err != nil {
		p.t.Fatal(err)
	}
	var out []string
	for _, c := range calls {
		if c.Op == "create" || c.Op == "update" || c.Op == "delete" {
			out = append(out, c.Op+" "+c.Type+" "+c.Name)
		}
	}
	return out
}

// stateFile is the file backend's checkpoint of stack ("" when none).
func (p *product) stateFile(stack string) string {
	p.t.Helper()
	matches, err := filepath.Glob(filepath.Join(p.workdir, naming.StateDir, ".pulumi", "stacks", "*", stack+".json*"))
	if err != nil {
		p.t.Fatal(err)
	}
	for _, m := range matches {
		if !strings.HasSuffix(m, ".bak") && !strings.Contains(filepath.Base(m), ".json.") {
			return m
		}
	}
	return ""
}

// stacks lists every stack file in the file backend.
func (p *product) stacks() []string {
	p.t.Helper()
	matches, _ := filepath.Glob(filepath.Join(p.workdir, naming.StateDir, ".pulumi", "stacks", "*", "*.json"))
	var names []string
	for _, m := range matches {
		names = append(names, strings.TrimSuffix(filepath.Base(m), ".json"))
	}
	return names
}

// locks lists the lock files in the file backend.
func (p *product) locks() []string {
	var out []string
	_ = filepath.WalkDir(filepath.Join(p.workdir, naming.StateDir, ".pulumi", "locks"), func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, path)
		}
		return nil
	})
	return out
}

// stateResource is one resource of a checkpoint.
type stateResource struct {
	URN     string         `json:"urn"`
	Type    string         `json:"type"`
	Custom  bool           `json:"custom"`
	Inputs  map[string]any `json:"inputs"`
	Outputs map[string]any `json:"outputs"`
}

// stackOutputs are the outputs of the product's stack.
func (p *product) stackOutputs() map[string]any {
	p.t.Helper()
	for _, r := range p.deployment(p.names.StackName).Resources {
		if r.Type == "pulumi:pulumi:Stack" {
			return r.Outputs
		}
	}
	p.t.Fatalf("stack %s has no root resource", p.names.StackName)
	return nil
}

// deployment is the latest deployment of a checkpoint file.
type deployment struct {
	Resources         []stateResource `json:"resources"`
	PendingOperations []any           `json:"pending_operations"`
}

// deployment reads stack's latest deployment from the file backend.
func (p *product) deployment(stack string) deployment {
	p.t.Helper()
	path := p.stateFile(stack)
	if path == "" {
		p.t.Fatalf("no state file for stack %s (stacks: %v)", stack, p.stacks())
	}
	b, err := os.ReadFile(path)
	if err != nil {
		p.t.Fatal(err)
	}
	var cp struct {
		Checkpoint struct {
			Latest deployment `json:"latest"`
		} `json:"checkpoint"`
	}
	if err := json.Unmarshal(b, &cp); err != nil {
		p.t.Fatalf("state %s: %v", path, err)
	}
	return cp.Checkpoint.Latest
}

// stateResources reads the custom, non-provider resources of stack's state.
func (p *product) stateResources(stack string) []stateResource {
	p.t.Helper()
	var out []stateResource
	for _, r := range p.deployment(stack).Resources {
		if r.Custom && !strings.HasPrefix(r.Type, "pulumi:providers:") {
			out = append(out, r)
		}
	}
	return out
}

// stateURNs lists the URNs of stack's custom resources, sorted.
func (p *product) stateURNs(stack string) []string {
	var urns []string
	for _, r := range p.stateResources(stack) {
		urns = append(urns, r.URN)
	}
	slices.Sort(urns)
	return urns
}

// timed logs a step's wall time and returns it.
func timed[T any](t *testing.T, what string, step func() T) T {
	t.Helper()
	start := time.Now()
	v := step()
	t.Logf("wall time %s: %s", what, time.Since(start).Round(time.Millisecond))
	return v
}
