package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/mlprov/mlprov/internal/engine"
	"github.com/mlprov/mlprov/stacks"
)

type deleteProductOptions struct {
	engine engineOptions
}

func newDeleteProductCommand(deps *Deps, g *GlobalOptions) *cobra.Command {
	o := &deleteProductOptions{}
	cmd := &cobra.Command{
		Use:   "delete-product",
		Short: "Destroy every resource of the product and remove its stack (requires --force)",
		Long: `Destroys every resource of the deployed product, then removes its stack from the backend.
Prod resources are protected from deletion: --force also lifts that protection (in the stack's
state only; no infrastructure changes) before the destroy. Refuses without --force and then changes nothing.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDeleteProduct(deps, g, o)
		},
	}
	bindEngineFlags(cmd, &o.engine)
	return cmd
}

func runDeleteProduct(deps *Deps, g *GlobalOptions, o *deleteProductOptions) error {
	p, err := g.loadProduct()
	if err != nil {
		return err
	}
	if err := g.requireForce("delete-product", p.names.StackName); err != nil {
		return err
	}
	eng, err := o.engine.newEngine(deps, g)
	if err != nil {
		return err
	}
	state, err := eng.Describe(deps.Context, p.names.StackName)
	if engine.IsNotFound(err) {
		return notDeployed(p, eng)
	}
	if err != nil {
		return err
	}
	if protected := state.Protected(); len(protected) > 0 {
		fmt.Fprintf(deps.Err, "mlprov: %d resource(s) of %s are protected from deletion; lifting the protection because --force was given\n",
			len(protected), p.names.StackName)
	}
	// Always: a production bucket is emptied only now, because --force was given.
	if _, err := eng.Unprotect(deps.Context, p.names.StackName); err != nil {
		return fmt.Errorf("lift the deletion protection: %w", err)
	}
	res, err := eng.Destroy(deps.Context, p.target(p.names, stacks.Options{}), true)
	if err != nil {
		return err
	}
	if g.jsonOutput() {
		out, err := resultJSON(res, map[string]any{"removed": true})
		if err != nil {
			return err
		}
		return writeJSON(deps.Out, out)
	}
	printChanges(deps, res)
	fmt.Fprintf(deps.Out, "removed stack %s from %s\n", p.names.StackName, eng.Backend())
	return nil
}
