package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/mlprov/mlprov/stacks"
)

func newListProductsCommand(deps *Deps, g *GlobalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "list-products",
		Short: "List the tier blueprints (and the products deployed in the backend)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			blueprints := stacks.Blueprints()
			if g.jsonOutput() {
				return writeJSON(deps.Out, map[string]any{"blueprints": blueprints})
			}
			printBlueprints(deps, blueprints)
			return nil
		},
	}
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
