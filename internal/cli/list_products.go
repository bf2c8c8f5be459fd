package cli

import (
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/mlprov/mlprov/internal/engine"
	"github.com/mlprov/mlprov/internal/tags"
	"github.com/mlprov/mlprov/stacks"
)

type listProductsOptions struct {
	engine engineOptions
}

func newListProductsCommand(deps *Deps, g *GlobalOptions) *cobra.Command {
	o := &listProductsOptions{}
	cmd := &cobra.Command{
		Use:   "list-products",
		Short: "List the tier blueprints and the products deployed in the backend",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runListProducts(deps, g, o)
		},
	}
	bindEngineFlags(cmd, &o.engine)
	return cmd
}

func runListProducts(deps *Deps, g *GlobalOptions, o *listProductsOptions) error {
	blueprints := stacks.Blueprints()
	deployed, err := deployedProducts(deps, g, o)
	if err != nil {
		return err
	}
	if g.jsonOutput() {
		return writeJSON(deps.Out, ListProductsOutput{Header: header("list-products"), Blueprints: blueprintOutputs(blueprints), Deployed: deployed})
	}
	printBlueprints(deps, blueprints)
	if deployed != nil {
		printDeployed(deps, deployed)
	}
	return nil
}

// deployedProducts lists the backend's stacks; nil when there is no backend
// to ask, or no engine to ask it with (then a note says why).
func deployedProducts(deps *Deps, g *GlobalOptions, o *listProductsOptions) ([]engine.StackSummary, error) {
	if !o.engine.backendConfigured(g) {
		return nil, nil
	}
	eng, err := o.engine.newEngine(deps, g)
	if err != nil {
		fmt.Fprintf(deps.Err, "mlprov: deployed products not listed: %v\n", err)
		return nil, nil
	}
	return eng.List(deps.Context)
}

func printDeployed(deps *Deps, deployed []engine.StackSummary) {
	fmt.Fprintf(deps.Out, "\ndeployed products (%d):\n", len(deployed))
	if len(deployed) == 0 {
		return
	}
	w := tabwriter.NewWriter(deps.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "  NAME\tTIER\tLAST UPDATE\tRESOURCES\tNOTE")
	for _, s := range deployed {
		last := "never"
		if !s.LastUpdate.IsZero() {
			last = s.LastUpdate.UTC().Format(time.RFC3339)
		}
		if s.UpdateInProgress {
			last += " (update in progress)"
		}
		tier := s.Tags[tags.Tier]
		if tier == "" {
			tier = "-"
		}
		note := ""
		if s.TestID != "" {
			note = "test deployment: delete-product --test-id " + s.TestID + " --force removes it"
		}
		fmt.Fprintf(w, "  %s\t%s\t%s\t%d\t%s\n", s.Name, tier, last, s.ResourceCount, note)
	}
	w.Flush()
}

func printBlueprints(deps *Deps, blueprints []stacks.Blueprint) {
	for i, b := range blueprints {
		if i == 0 {
			fmt.Fprintf(deps.Out, "%s:\n", b.Tier)
		} else {
			fmt.Fprintf(deps.Out, "%s: everything in %s, plus\n", b.Tier, blueprints[i-1].Tier)
		}
		for _, c := range b.Creates[len(previous(blueprints, i)):] {
			fmt.Fprintf(deps.Out, "  - %s\n", c)
		}
	}
}

// previous is what the tier before i creates (tiers are cumulative).
func previous(blueprints []stacks.Blueprint, i int) []string {
	if i == 0 {
		return nil
	}
	return blueprints[i-1].Creates
}
