package cli

import (
	"fmt"

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
created, updated, replaced or deleted, and the policy pack's findings. Changes nothing and
creates nothing: a product that is not deployed yet is reported as such and previewed on a
scratch backend (removed after), listing everything deploy-product would create.
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
		if err := writeJSON(deps.Out, resultJSON("show-changes", res)); err != nil {
			return err
		}
	} else {
		if res.NotDeployed {
			fmt.Fprintf(deps.Out, "%s is not deployed in %s; deploy-product --force would create:\n", res.Stack, eng.Backend())
		}
		printChanges(deps, res)
	}
	if o.detailedExitCode && res.ChangeCount() > 0 {
		return silentExit(ExitChanges)
	}
	return nil
}
