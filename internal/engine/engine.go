// Package engine drives the real Pulumi engine headlessly through the
// Automation API: a pinned CLI, a backend (the local file backend under
// ml/state by default), a secrets provider, the policy pack in every preview
// and up, the event stream turned into typed results, and the CLI's errors
// turned into typed errors. It is the only importer of sdk/go/auto.
//
// Every operation gets its own temporary workspace directory (removed after),
// so parallel operations never share a Pulumi.yaml or stack settings file.
package engine

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlprov/mlprov/internal/config"
	"github.com/mlprov/mlprov/internal/naming"
)

// PinnedCLIVersion is the Pulumi CLI version mlprov is built and tested with;
// it matches the sdk/v3 version in go.mod.
const PinnedCLIVersion = "3.259.0"

// DefaultLocalPassphrase encrypts secrets in the default local file backend
// when neither MLPROV_PASSPHRASE nor PULUMI_CONFIG_PASSPHRASE is set, so a new
// user is never prompted. It protects nothing: set your own passphrase (or
// --secrets-provider awskms://…) for any shared backend.
const DefaultLocalPassphrase = "mlprov-local-state"

// Environment variables the engine reads (through Options.Getenv).
const (
	EnvPulumiRoot       = "MLPROV_PULUMI_ROOT"
	EnvPassphrase       = "MLPROV_PASSPHRASE"
	EnvPulumiPassphrase = "PULUMI_CONFIG_PASSPHRASE"
)

// Options configure an Engine.
type Options struct {
	// Workdir is mlprov's --workdir; the default backend lives under it.
	Workdir string
	// Backend is a Pulumi backend URL: file://…, s3://…, https://api.pulumi.com.
	// "" means the local file backend file://<Workdir>/ml/state.
	Backend string
	// SecretsProvider is "passphrase" (the default for self-managed backends),
	// "default" (Pulumi Cloud), or awskms://… and the like.
	SecretsProvider string
	// Getenv reads the environment (never os.Getenv directly, so tests can
	// pass their own).
	Getenv func(string) string
	// Progress receives live per-resource progress (nil: none).
	Progress io.Writer
	// Terminal selects the compact progress display (Progress is a TTY).
	Terminal bool
}

// Engine runs stack operations. It holds no per-operation state: one Engine
// may run operations on different stacks concurrently.
type Engine struct {
	cli auto.PulumiCommand
	// analyzer is the policy pack's analyzer executable, handed to the CLI
	// as --policy-pack (so no language host is ever involved).
	analyzer    string
	analyzerErr error
	backend     string
	secrets     string
	env         map[string]string
	progress    io.Writer
	terminal    bool
}

// Target is the stack an operation acts on and the program that defines it.
type Target struct {
	// StackName is naming.Names.StackName.
	StackName string
	// Program is stacks.ProgramWithOptions(cfg, opts).
	Program pulumi.RunFunc
	// Suppressions are the config's policy waivers, passed to the pack.
	Suppressions []config.Suppression
	// Tags are stack tags recorded after a successful up (e.g. the tier).
	Tags map[string]string
	// Advisory are rules this operation runs as advisory: the documented
	// exemption of the up that lifts prod deletion protection before a
	// forced delete (rules.ProtectionRule). Empty for every other operation.
	Advisory []string
}

// New finds the pinned CLI and the policy pack's analyzer and resolves the
// backend, secrets provider and passphrase.
func New(opts Options) (*Engine, error) {
	getenv := opts.Getenv
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	backend, err := backendURL(opts.Backend, opts.Workdir)
	if err != nil {
		return nil, err
	}
	cli, _, err := findCLI(getenv)
	if err != nil {
		return nil, err
	}
	// Only previews and updates need the analyzer; read-only queries work
	// without it, so a missing one is reported when the pack is needed.
	analyzer, analyzerErr := FindAnalyzer(getenv)
	env := map[string]string{
		"PULUMI_BACKEND_URL":       backend,
		"PULUMI_SKIP_UPDATE_CHECK": "true",
		// Stack settings live in throwaway workspace directories, so the
		// secrets manager (and its salt) is read back from the stack's state.
		"PULUMI_FALLBACK_TO_STATE_SECRETS_MANAGER": "true",
		"PATH": searchPath(getenv),
	}
	secrets := opts.SecretsProvider
	if secrets == "" && !isPulumiCloud(backend) {
		secrets = "passphrase"
	}
	if secrets == "passphrase" {
		pass, err := passphrase(getenv, backend, opts.Backend == "")
		if err != nil {
			return nil, err
		}
		env[EnvPulumiPassphrase] = pass
	}
	return &Engine{cli: cli, analyzer: analyzer, analyzerErr: analyzerErr, backend: backend, secrets: secrets, env: env, progress: opts.Progress, terminal: opts.Terminal}, nil
}

// Backend is the resolved backend URL.
func (e *Engine) Backend() string { return e.backend }

// backendURL resolves --backend ("" is file://<workdir>/ml/state). Nothing
// is created here: a file backend's folder is made by the first operation
// that creates a stack (open), so read-only commands leave no trace.
func backendURL(flag, workdir string) (string, error) {
	if flag != "" {
		return flag, nil
	}
	if workdir == "" {
		workdir = "."
	}
	dir, err := filepath.Abs(filepath.Join(workdir, naming.StateDir))
	if err != nil {
		return "", err
	}
	return "file://" + dir, nil
}

// fileBackendDir is the folder of a file:// backend ("" for others).
func fileBackendDir(backend string) string {
	if dir, ok := strings.CutPrefix(backend, "file://"); ok {
		return dir
	}
	return ""
}

func isPulumiCloud(backend string) bool {
	return strings.HasPrefix(backend, "https://") || strings.HasPrefix(backend, "http://")
}

// passphrase: MLPROV_PASSPHRASE, PULUMI_CONFIG_PASSPHRASE, else the fixed
// local value — only for the default backend ml/state under --workdir, which
// is one user's own. Any backend named with --backend may be shared (a file
// share, a bucket), so it needs a passphrase or another secrets provider.
func passphrase(getenv func(string) string, backend string, defaultBackend bool) (string, error) {
	for _, name := range []string{EnvPassphrase, EnvPulumiPassphrase} {
		if v := getenv(name); v != "" {
			return v, nil
		}
	}
	if defaultBackend {
		return DefaultLocalPassphrase, nil
	}
	return "", fmt.Errorf("backend %s has no secrets provider: set %s (the passphrase that encrypts its secrets) or choose --secrets-provider awskms://…; only the default local backend %s uses a built-in passphrase", backend, EnvPassphrase, naming.StateDir)
}

// FindCLI returns the path of the pinned Pulumi CLI, found the way every
// engine action finds it (see candidates) and version-checked.
func FindCLI(getenv func(string) string) (string, error) {
	_, path, err := findCLI(getenv)
	return path, err
}

// candidates are the places a tool of mlprov's is looked for, in order:
// $MLPROV_PULUMI_ROOT/bin, the folder of the mlprov executable, then PATH.
func candidates(getenv func(string) string, name string) []string {
	var out []string
	if root := getenv(EnvPulumiRoot); root != "" {
		out = append(out, filepath.Join(root, "bin", name))
	}
	if dir := executableDir(); dir != "" {
		out = append(out, filepath.Join(dir, name))
	}
	for _, dir := range filepath.SplitList(getenv("PATH")) {
		if dir != "" {
			out = append(out, filepath.Join(dir, name))
		}
	}
	return out
}

// isFile reports whether path is an existing regular file (or a link to one).
func isFile(path string) bool {
	st, err := os.Stat(path)
	return err == nil && !st.IsDir()
}

// findCLI is the first pulumi among the candidates of the pinned version.
func findCLI(getenv func(string) string) (auto.PulumiCommand, string, error) {
	var mismatched []string
	for _, path := range candidates(getenv, "pulumi") {
		if !isFile(path) {
			continue
		}
		cli, err := commandAt(path)
		if err != nil {
			mismatched = append(mismatched, fmt.Sprintf("%s: %v", path, err))
			continue
		}
		if v := cli.Version().String(); v != PinnedCLIVersion {
			mismatched = append(mismatched, fmt.Sprintf("%s is v%s", path, v))
			continue
		}
		return cli, path, nil
	}
	msg := fmt.Sprintf("no Pulumi CLI v%s found (looked in $%s/bin, next to mlprov, and on PATH): install Pulumi CLI v%s (https://www.pulumi.com/docs/install/) and put it on PATH", PinnedCLIVersion, EnvPulumiRoot, PinnedCLIVersion)
	if len(mismatched) > 0 {
		msg += "; not usable: " + strings.Join(mismatched, "; ")
	}
	return nil, "", errors.New(msg)
}

// commandAt wraps the CLI binary at path for the Automation API, which wants
// an installation root holding bin/pulumi. The root's bin/pulumi is the
// pid-recording wrapper (cliWrapper) of path; one root per CLI path, shared
// by every mlprov run, so nothing accumulates in the temp folder.
func commandAt(path string) (auto.PulumiCommand, error) {
	real, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	if resolved, err := filepath.EvalSymlinks(real); err == nil {
		real = resolved
	}
	sum := sha256.Sum256([]byte(real))
	root := filepath.Join(os.TempDir(), "mlprov-pulumi-"+hex.EncodeToString(sum[:8]))
	wrapper := filepath.Join(root, "bin", "pulumi")
	script := cliWrapper(real)
	if b, err := os.ReadFile(wrapper); err != nil || string(b) != script {
		if err := os.MkdirAll(filepath.Dir(wrapper), 0o755); err != nil {
			return nil, err
		}
		// Written aside and renamed, so a concurrent run never sees half a script.
		tmp, err := os.CreateTemp(filepath.Dir(wrapper), ".pulumi-*")
		if err != nil {
			return nil, err
		}
		_, werr := tmp.WriteString(script)
		cerr := tmp.Close()
		if err := errors.Join(werr, cerr, os.Chmod(tmp.Name(), 0o755)); err != nil {
			os.Remove(tmp.Name())
			return nil, err
		}
		if err := os.Rename(tmp.Name(), wrapper); err != nil {
			return nil, err
		}
	}
	cli, err := auto.NewPulumiCommand(&auto.PulumiCommandOptions{Root: root, SkipVersionCheck: true})
	if err != nil {
		return nil, err
	}
	return withoutSummaryRead{cli}, nil
}

// withoutSummaryRead is the CLI as mlprov hands it to the Automation API,
// less one read: after every up, refresh and destroy, auto.Stack fetches the
// last update's summary (`stack history --json --show-secrets --page-size 1
// --page 1`). mlprov never uses it — its results come from the event stream —
// and on the file backend that read loads the stack's whole history, so it
// grows with every update. That exact call is answered with an empty history
// without starting the CLI; any other call, including a history read of
// another shape, runs the CLI.
type withoutSummaryRead struct{ auto.PulumiCommand }

// summaryRead is the argument list auto.Stack's summary read starts with.
var summaryRead = []string{"stack", "history", "--json", "--show-secrets", "--page-size", "1", "--page", "1"}

func (c withoutSummaryRead) Run(ctx context.Context, workdir string, stdin io.Reader,
	additionalOutput, additionalErrorOutput []io.Writer, additionalEnv []string, args ...string,
) (string, string, int, error) {
	if len(args) >= len(summaryRead) && slices.Equal(args[:len(summaryRead)], summaryRead) {
		return "[]", "", 0, nil
	}
	return c.PulumiCommand.Run(ctx, workdir, stdin, additionalOutput, additionalErrorOutput, additionalEnv, args...)
}

func executableDir() string {
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	if resolved, err := filepath.EvalSymlinks(exe); err == nil {
		exe = resolved
	}
	return filepath.Dir(exe)
}

// searchPath is the PATH the CLI sees: mlprov's own folders first, then the
// caller's PATH (where provider plugins may be found).
func searchPath(getenv func(string) string) string {
	var dirs []string
	if root := getenv(EnvPulumiRoot); root != "" {
		dirs = append(dirs, filepath.Join(root, "bin"))
	}
	if dir := executableDir(); dir != "" {
		dirs = append(dirs, dir)
	}
	if p := getenv("PATH"); p != "" {
		dirs = append(dirs, p)
	}
	return strings.Join(dirs, string(os.PathListSeparator))
}
