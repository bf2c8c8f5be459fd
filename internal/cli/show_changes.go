package cli

import (
	"github.com/spf13/cobra"

	"github.com/mlprov/mlprov/stacks"
)

type showChangesOptions struct {
	engine           engineOptions
	detailedExitCode bool // --detailed-exitcode
}

func newShowChangesCommand(deps *Deps, g *GlobalOptions) *cobra.Command {
	o := &showChangesOptions{}
	cmd := &cobra.Command{
		Use:   "show-changes",
		Short: "Preview what deploy-product would change, with the policy pack in the engine",
		Long: `Runs a preview of the product's program against the backend: every resource that would be
created, updated, replaced or deleted, and the policy pack's findings. Changes nothing.
With --detailed-exitcode, exits 5 when there are changes.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runShowChanges(deps, g, o)
		},
	}
	bindEngineFlags(cmd, &o.engine)
	cmd.Flags().BoolVar(&o.detailedExitCode, "detailed-exitcode", false, "exit 5 when the preview has changes")
	return cmd
}

func runShowChanges(deps *Deps, g *GlobalOptions, o *showChangesOptions) error {
	p, eng, err := o.engine.productEngine(deps, g)
	if err != nil {
		return err
	}
	res, err := eng.Preview(deps.Context, p.target(p.names, stacks.Options{}))
	if err != nil {
		return err
	}
	if g.jsonOutput() {
		if err := writeJSON(deps.Out, resultJSON("show-changes", res)); err != nil {
			return err
		}
	} else {
		printChanges(deps, res)
	}
	if o.detailedExitCode && res.ChangeCount() > 0 {
		return silentExit(ExitChanges)
	}
	return nil
}
