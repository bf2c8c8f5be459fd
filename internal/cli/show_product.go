package cli

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/mlprov/mlprov/internal/engine"
	"github.com/mlprov/mlprov/internal/naming"
	"github.com/mlprov/mlprov/internal/provtemplate"
	"github.com/mlprov/mlprov/internal/report"
	"github.com/mlprov/mlprov/internal/trailcheck"
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
	// ShortenedNames are information: names that take the shortened form.
	ShortenedNames []naming.Shortened `json:"shortenedNames,omitempty"`
	// Deployment is the backend's view: nil when it could not be asked.
	Deployment *deploymentView `json:"deployment,omitempty"`
}

// deploymentView is what a deployed stack holds for show-product.
type deploymentView struct {
	Deployed bool                         `json:"deployed"`
	Outputs  map[string]any               `json:"outputs,omitempty"`
	Pending  []report.PendingConfirmation `json:"pendingConfirmations,omitempty"`
	// ComplianceTrail is whether a trail delivers to the compliance log
	// group, as the stack recorded it (products with compliance monitoring).
	ComplianceTrail *trailcheck.Finding `json:"complianceTrail,omitempty"`
}

type resourceView struct {
	Type         string `json:"type"`
	LogicalName  string `json:"logicalName"`
	PhysicalName string `json:"physicalName,omitempty"`
}

type showProductOptions struct {
	engine engineOptions
}

func newShowProductCommand(deps *Deps, g *GlobalOptions) *cobra.Command {
	o := &showProductOptions{}
	cmd := &cobra.Command{
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
				Stack: p.names.StackName, Outputs: doc.Outputs, ShortenedNames: p.names.Shortened,
			}
			for _, r := range doc.Custom() {
				view.Resources = append(view.Resources, resourceView{r.Type, r.LogicalName, r.PhysicalName})
			}
			if view.Deployment, err = deploymentOf(deps, g, o, p); err != nil {
				return err
			}
			if g.jsonOutput() {
				return writeJSON(deps.Out, ShowProductOutput{header("show-product"), view})
			}
			printProductView(deps, view)
			return nil
		},
	}
	bindEngineFlags(cmd, &o.engine)
	return cmd
}

// deploymentOf asks the backend about the product's stack. No backend means
// not deployed; no usable engine means unknown (nil, with a note).
func deploymentOf(deps *Deps, g *GlobalOptions, o *showProductOptions, p *product) (*deploymentView, error) {
	if !o.engine.backendConfigured(g) {
		return &deploymentView{}, nil
	}
	eng, err := o.engine.newEngine(deps, g)
	if err != nil {
		fmt.Fprintf(deps.Err, "mlprov: deployment status unknown: %v\n", err)
		return nil, nil
	}
	state, err := eng.Describe(deps.Context, p.names.StackName)
	if engine.IsNotFound(err) {
		return &deploymentView{}, nil
	}
	if err != nil {
		return nil, err
	}
	return &deploymentView{Deployed: true, Outputs: state.Outputs, Pending: pendingConfirmations(state),
		ComplianceTrail: complianceTrail(p, trailcheck.SeenDeployedState, state.Resources)}, nil
}

func printProductView(deps *Deps, v productView) {
	fmt.Fprintf(deps.Out, "%s (%s, %s) — stack %s\n\n", v.MLName, v.Tier, v.Scenario, v.Stack)
	w := tabwriter.NewWriter(deps.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "TYPE\tLOGICAL NAME\tPHYSICAL NAME")
	for _, r := range v.Resources {
		fmt.Fprintf(w, "%s\t%s\t%s\n", r.Type, r.LogicalName, r.PhysicalName)
	}
	w.Flush()
	if len(v.ShortenedNames) > 0 {
		fmt.Fprintf(deps.Out, "\nShortened names (information: the full form exceeds the AWS limit):\n")
		printShortenedNames(deps.Out, v.ShortenedNames)
	}
	fmt.Fprintf(deps.Out, "\nSSM outputs (%d):\n", len(v.Outputs))
	for _, o := range v.Outputs {
		fmt.Fprintf(deps.Out, "  %s\n", o.Name)
	}
	switch d := v.Deployment; {
	case d == nil:
	case !d.Deployed:
		fmt.Fprintf(deps.Out, "\nstack %s: not deployed\n", v.Stack)
	default:
		fmt.Fprintf(deps.Out, "\nstack %s: deployed\n", v.Stack)
		printOutputs(deps, d.Outputs)
		printPending(deps, d.Pending)
		printComplianceTrail(deps.Out, d.ComplianceTrail)
	}
}
