package cli

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/mlprov/mlprov/internal/engine"
	"github.com/mlprov/mlprov/internal/naming"
	"github.com/mlprov/mlprov/internal/tags"
	"github.com/mlprov/mlprov/stacks"
)

// engineOptions are the flags of every command that talks to the backend.
type engineOptions struct {
	backend         string // --backend
	secretsProvider string // --secrets-provider
}

func bindEngineFlags(cmd *cobra.Command, o *engineOptions) {
	cmd.Flags().StringVar(&o.backend, "backend", "", "Pulumi backend: file://DIR, s3://BUCKET/PREFIX or https://api.pulumi.com (default: the local file backend under ml/state)")
	cmd.Flags().StringVar(&o.secretsProvider, "secrets-provider", "", "secrets provider: passphrase (default for self-managed backends; set MLPROV_PASSPHRASE), default (Pulumi Cloud), awskms://…")
}

// newEngine builds the engine; live progress goes to deps.Err.
func (o *engineOptions) newEngine(deps *Deps, g *GlobalOptions) (Engine, error) {
	return deps.NewEngine(engine.Options{
		Workdir: g.Workdir, Backend: o.backend, SecretsProvider: o.secretsProvider,
		Getenv: deps.Getenv, Progress: deps.Err, Terminal: isTerminal(deps.Err),
	})
}

// productEngine loads the product and builds the engine for a read-only action.
func (o *engineOptions) productEngine(deps *Deps, g *GlobalOptions) (*product, Engine, error) {
	p, err := g.loadProduct()
	if err != nil {
		return nil, nil, err
	}
	eng, err := o.newEngine(deps, g)
	return p, eng, err
}

// backendConfigured reports whether there is a backend to ask without
// creating one: --backend was given, or ml/state exists under --workdir.
// Read-only commands use it so they never create ml/state as a side effect.
func (o *engineOptions) backendConfigured(g *GlobalOptions) bool {
	if o.backend != "" {
		return true
	}
	st, err := os.Stat(g.path(naming.StateDir))
	return err == nil && st.IsDir()
}

// isTerminal reports whether w is a character device (a TTY), which gets
// the compact progress display.
func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// target is the engine target of the product's program deployed as names
// (the product's own names, or a test deployment's).
func (p *product) target(names naming.Names, opts stacks.Options) engine.Target {
	return engine.Target{
		StackName:    names.StackName,
		Program:      stacks.ProgramWithOptions(p.cfg, opts),
		Suppressions: p.cfg.MLProduct.Suppressions,
		Tags: tags.For(tags.Product{
			MLName: names.MLName, Tier: string(p.cfg.MLProduct.Tier), Env: p.cfg.Environment.Env, TestID: opts.TestID,
		}, nil),
	}
}

// requireForce refuses a mutating action before anything is touched.
func (g *GlobalOptions) requireForce(action, what string) error {
	if g.Force {
		return nil
	}
	return withCode(ExitRefused, fmt.Errorf("%s %s: refused without --force (nothing was changed); add --force to proceed", action, what))
}

// resultJSON is an engine Result as a command's document, with its change
// count added.
func resultJSON(command string, res *engine.Result) EngineResultOutput {
	return EngineResultOutput{Header: header(command), Result: res, ChangeCount: res.ChangeCount()}
}

// printChanges lists an operation's resource steps and its summary.
func printChanges(deps *Deps, res *engine.Result) {
	for _, c := range res.Changes {
		line := fmt.Sprintf("  %-8s %s (%s)", c.Op, c.Name, c.Type)
		if len(c.Diffs) > 0 {
			line += " [" + strings.Join(c.Diffs, ", ") + "]"
		}
		fmt.Fprintln(deps.Out, line)
	}
	for _, v := range res.Policy {
		fmt.Fprintf(deps.Out, "  policy %s\n", v)
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(deps.Out, "  WARNING %s\n", w)
	}
	fmt.Fprintf(deps.Out, "%s %s: %d change(s) — %s (%s)\n", res.Operation, res.Stack, res.ChangeCount(), res.SummaryLine(), res.Duration.Round(100*time.Millisecond))
}
