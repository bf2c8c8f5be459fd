package cli

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newCreateProvTemplateCommand(deps *Deps, g *GlobalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "create-prov-template",
		Short: "Render the full resource graph offline (no AWS, no Pulumi CLI) to ml/templates/",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := g.loadProduct()
			if err != nil {
				return err
			}
			doc, path, err := g.writeTemplate(p)
			if err != nil {
				return err
			}
			if g.jsonOutput() {
				return writeJSON(deps.Out, CreateProvTemplateOutput{Header: header("create-prov-template"), Product: p.ref(),
					Wrote: []string{path}, Resources: len(doc.Custom()), Outputs: len(doc.Outputs)})
			}
			fmt.Fprintf(deps.Out, "wrote %s (%d resources, %d SSM outputs)\n", path, len(doc.Custom()), len(doc.Outputs))
			return nil
		},
	}
}
