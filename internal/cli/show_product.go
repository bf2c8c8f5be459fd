package cli

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/mlprov/mlprov/internal/provtemplate"
	"github.com/mlprov/mlprov/stacks"
)

// productView is what show-product reports (also its JSON shape).
type productView struct {
	MLName    string                `json:"mlName"`
	Tier      string                `json:"tier"`
	Scenario  string                `json:"scenario"`
	Stack     string                `json:"stack"`
	Resources []resourceView        `json:"resources"`
	Outputs   []provtemplate.Output `json:"outputs"`
}

type resourceView struct {
	Type         string `json:"type"`
	LogicalName  string `json:"logicalName"`
	PhysicalName string `json:"physicalName,omitempty"`
}

func newShowProductCommand(deps *Deps, g *GlobalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "show-product",
		Short: "Every resource this config would create (type, logical and physical name) and the SSM outputs",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := g.loadProduct()
			if err != nil {
				return err
			}
			doc, err := p.render(stacks.Options{})
			if err != nil {
				return err
			}
			view := productView{
				MLName: p.names.MLName, Tier: string(p.cfg.MLProduct.Tier), Scenario: p.names.Scenario,
				Stack: p.names.StackName, Outputs: doc.Outputs,
			}
			for _, r := range doc.Custom() {
				view.Resources = append(view.Resources, resourceView{r.Type, r.LogicalName, r.PhysicalName})
			}
			if g.jsonOutput() {
				return writeJSON(deps.Out, view)
			}
			printProductView(deps, view)
			return nil
		},
	}
}

func printProductView(deps *Deps, v productView) {
	fmt.Fprintf(deps.Out, "%s (%s, %s) — stack %s\n\n", v.MLName, v.Tier, v.Scenario, v.Stack)
	w := tabwriter.NewWriter(deps.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "TYPE\tLOGICAL NAME\tPHYSICAL NAME")
	for _, r := range v.Resources {
		fmt.Fprintf(w, "%s\t%s\t%s\n", r.Type, r.LogicalName, r.PhysicalName)
	}
	w.Flush()
	fmt.Fprintf(deps.Out, "\nSSM outputs (%d):\n", len(v.Outputs))
	for _, o := range v.Outputs {
		fmt.Fprintf(deps.Out, "  %s\n", o.Name)
	}
}
