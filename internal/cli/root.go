// Package cli implements mlprov's commands. Each action lives in its own file
// with an options struct, flag binding, and a run function that talks to the
// world only through Deps, so it can be tested without a terminal or AWS.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"
)

// Deps is everything a command needs from the outside world.
type Deps struct {
	Out io.Writer // results
	Err io.Writer // progress and diagnostics
	Now func() time.Time
	// Context is cancelled on SIGINT/SIGTERM.
	Context context.Context
	// Getenv reads the environment (tests pass a map).
	Getenv func(string) string
	// Version is the mlprov build version.
	Version string
	// Audit writes every action's audit log to ml/reports/ (main sets it;
	// in-process tests opt in so they leave no logs behind).
	Audit bool
}

func (d *Deps) defaults() {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Context == nil {
		d.Context = context.Background()
	}
	if d.Getenv == nil {
		d.Getenv = func(string) string { return "" }
	}
	if d.Version == "" {
		d.Version = "dev"
	}
}

// GlobalOptions are the flags every action shares.
type GlobalOptions struct {
	ConfigRef string // --config / -c / the old -con
	Workdir   string // --workdir, default "."
	Output    string // --output text|json
	Force     bool   // --force

	// audit collects what the action's audit log records.
	audit auditTrail
	// started is when the action started: the {timestamp} of its audit log
	// and of the review report written beside it.
	started time.Time
}

const (
	outputText = "text"
	outputJSON = "json"
)

func (g *GlobalOptions) validate() error {
	if g.Output != outputText && g.Output != outputJSON {
		return withCode(ExitUsage, fmt.Errorf("--output %q: use text or json", g.Output))
	}
	return nil
}

func (g *GlobalOptions) jsonOutput() bool { return g.Output == outputJSON }

// NewRootCommand builds the command tree.
func NewRootCommand(deps *Deps) *cobra.Command {
	root, _ := newRootCommand(deps)
	return root
}

func newRootCommand(deps *Deps) (*cobra.Command, *GlobalOptions) {
	deps.defaults()
	g := &GlobalOptions{}
	root := &cobra.Command{
		Use:   "mlprov <action> --config FILE [flags]",
		Short: "Provision the AWS infrastructure of a machine-learning product from one YAML file",
		Long: `mlprov provisions the AWS infrastructure of one ML product (model registry, source
repositories, build and deploy pipelines, least-privilege IAM, and by tier encryption,
private networking and compliance monitoring) from one YAML file, with Pulumi.

The old form "mlprov -con FILE -act ACTION [--force]" keeps working.`,
		Version:       deps.Version,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			return g.validate()
		},
	}
	root.SetOut(deps.Out)
	root.SetErr(deps.Err)
	pf := root.PersistentFlags()
	pf.StringVarP(&g.ConfigRef, "config", "c", "", "product config: a path, or a name looked up in ml/configs/ then configs/")
	pf.StringVar(&g.Workdir, "workdir", ".", "work directory holding ml/{configs,policies,templates,reports,state}")
	pf.StringVarP(&g.Output, "output", "o", outputText, "output format: text or json")
	pf.BoolVar(&g.Force, "force", false, "allow a mutating action (deploy-product, delete-product) to change infrastructure")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return withCode(ExitUsage, err) })

	for _, newCmd := range commands {
		root.AddCommand(newCmd(deps, g))
	}
	return root, g
}

// commands lists every action's constructor.
var commands = []func(*Deps, *GlobalOptions) *cobra.Command{
	newValidateConfigCommand,
	newListProductsCommand,
	newShowProductCommand,
	newCreateProvTemplateCommand,
	newPlanCommand,
	newCreateReviewReportCommand,
	newValidateProvTemplateCommand,
	newCreatePolicyCommand,
	newExitCodesCommand,
	newShowChangesCommand,
	newDeployProductCommand,
	newCheckDriftCommand,
	newDeleteProductCommand,
	newTestDeployCommand,
}

// Main runs mlprov with args (without the program name) and returns the
// process exit code.
func Main(args []string, deps Deps) int {
	root, g := newRootCommand(&deps)
	actions := actionNames(root)
	args = TranslateLegacyArgs(args, actions)
	if problem := missingAction(args, actions); problem != "" {
		fmt.Fprintf(deps.Err, "mlprov: %s; usage: %s\n", problem, oneLineUsage(root))
		return ExitUsage
	}
	root.SetArgs(args)
	started := deps.Now()
	g.started = started
	cmd, err := root.ExecuteContextC(deps.Context)
	code := exitCode(err)
	if err != nil {
		var ee *CodedError
		if !errors.As(err, &ee) || ee.Err != nil {
			fmt.Fprintf(deps.Err, "mlprov: %v\n", err)
		}
		if strings.HasPrefix(err.Error(), "unknown command") || strings.HasPrefix(err.Error(), "unknown flag") {
			code = ExitUsage
		}
	}
	writeAuditLog(&deps, g, cmd, args, started, code, err)
	return code
}

func actionNames(root *cobra.Command) map[string]bool {
	names := map[string]bool{"help": true, "completion": true}
	for _, c := range root.Commands() {
		names[c.Name()] = true
	}
	return names
}

// helpAndVersionFlags are the only flags that may stand without an action.
var helpAndVersionFlags = map[string]bool{"-h": true, "--help": true, "-v": true, "--version": true}

// missingAction explains why args (already translated) name no action, or
// returns "". A script's "-con FILE" without "-act", or with a misspelled one,
// must fail rather than print help and "succeed". Bare "mlprov" prints help.
func missingAction(args []string, actions map[string]bool) string {
	if len(args) == 0 || actions[args[0]] || helpAndVersionFlags[args[0]] {
		return ""
	}
	if strings.HasPrefix(args[0], "-") {
		return "no action given"
	}
	return fmt.Sprintf("unknown action %q", args[0])
}

// oneLineUsage names every action, in one line a script's log keeps.
func oneLineUsage(root *cobra.Command) string {
	var names []string
	for _, c := range root.Commands() {
		if !c.Hidden && c.Name() != "help" && c.Name() != "completion" {
			names = append(names, c.Name())
		}
	}
	return "mlprov -con FILE -act ACTION [--force], ACTION one of " + strings.Join(names, ", ")
}

// TranslateLegacyArgs rewrites the old tool's "-con FILE -act ACTION" (and
// "--config FILE --action ACTION") into "ACTION --config FILE", keeping every
// other argument. Arguments already in the new form are returned unchanged.
func TranslateLegacyArgs(args []string, actions map[string]bool) []string {
	if len(args) > 0 && actions[args[0]] {
		return args
	}
	var action string
	rest := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		a := args[i]
		name, value, hasValue := strings.Cut(a, "=")
		switch name {
		case "-act", "--act", "-action", "--action", "-a":
			if !hasValue && i+1 < len(args) {
				i++
				value = args[i]
			}
			action = value
		case "-con", "--con", "-config":
			if !hasValue && i+1 < len(args) {
				i++
				value = args[i]
			}
			rest = append(rest, "--config", value)
		default:
			rest = append(rest, a)
		}
	}
	if action == "" {
		return rest
	}
	return append([]string{action}, rest...)
}

// requireConfig returns a usage error when --config is missing.
func (g *GlobalOptions) requireConfig() error {
	if g.ConfigRef == "" {
		return withCode(ExitUsage, errors.New("--config FILE is required (or the old form: -con FILE -act ACTION)"))
	}
	return nil
}

func newExitCodesCommand(deps *Deps, g *GlobalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "exit-codes",
		Short: "List mlprov's exit codes",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if g.jsonOutput() {
				return writeJSON(deps.Out, ExitCodes)
			}
			for _, c := range ExitCodes {
				fmt.Fprintf(deps.Out, "%3d  %s\n", c.Code, c.Meaning)
			}
			return nil
		},
	}
}
