package cli

import (
	"github.com/spf13/cobra"

	"github.com/mlprov/mlprov/stacks"
)

type showChangesOptions struct {
	engine           engineOptions
	detailedExitCode bool // --detailed-exitcode
	fleet            fleetOptions
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
			if o.fleet.active(cmd) {
				return o.fleet.run(deps, g, fleetAction{name: "show-changes", read: readShowChanges, engine: true,
					run: func(d *Deps, pg *GlobalOptions) error { return runShowChanges(d, pg, o) }})
			}
			return runShowChanges(deps, g, o)
		},
	}
	bindEngineFlags(cmd, &o.engine)
	bindFleetFlags(cmd, &o.fleet)
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
		out, err := resultJSON(res, nil)
		if err != nil {
			return err
		}
		if err := writeJSON(deps.Out, out); err != nil {
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
