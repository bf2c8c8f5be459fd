package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/mlprov/mlprov/internal/atomicfile"
	"github.com/mlprov/mlprov/internal/fleet"
	"github.com/mlprov/mlprov/internal/naming"
	"github.com/mlprov/mlprov/internal/policycheck"
	"github.com/mlprov/mlprov/internal/provtemplate"
)

type validateProvTemplateOptions struct {
	template string // --template FILE: judge an existing template instead of rendering
	sarif    string // --sarif FILE: also write SARIF 2.1.0 for code scanning
	fleet    fleetOptions
}

func newValidateProvTemplateCommand(deps *Deps, g *GlobalOptions) *cobra.Command {
	o := &validateProvTemplateOptions{}
	cmd := &cobra.Command{
		Use:   "validate-prov-template",
		Short: "Structural checks and every policy rule over the rendered template; exit 4 on a mandatory violation",
		Long: `With --config, renders the product (as create-prov-template does) and judges the result, so the
verdict is never about a stale file. With --template FILE, judges that file as it is.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.fleet.active(cmd) {
				if o.template != "" {
					return withCode(ExitUsage, errors.New("--template judges one file: use --all DIR or --template, not both"))
				}
				o.fleet.sarif = o.sarif
				return o.fleet.run(deps, g, fleetAction{name: "validate-prov-template", run: func(d *Deps, pg *GlobalOptions) error {
					return (&validateProvTemplateOptions{}).run(d, pg)
				}, read: readValidateProvTemplate})
			}
			return o.run(deps, g)
		},
	}
	cmd.Flags().StringVar(&o.template, "template", "", "judge this template file instead of rendering --config")
	cmd.Flags().StringVar(&o.sarif, "sarif", "", "also write the results as SARIF 2.1.0 to this file (with --all: one file for every product)")
	bindFleetFlags(cmd, &o.fleet)
	return cmd
}

func (o *validateProvTemplateOptions) run(deps *Deps, g *GlobalOptions) error {
	doc, path, err := o.load(g)
	if err != nil {
		return err
	}
	res := policycheck.Check(doc, deps.Now())
	if err := o.report(deps, g, res, path); err != nil {
		return err
	}
	return policyExit(res)
}

// readValidateProvTemplate reads the JSON verdict for the fleet summary.
func readValidateProvTemplate(out []byte, p *fleet.Product) (*policycheck.Result, error) {
	var res policycheck.Result
	if err := json.Unmarshal(out, &res); err != nil {
		return nil, err
	}
	return readPolicyVerdict(&res, p), nil
}

func (o *validateProvTemplateOptions) load(g *GlobalOptions) (*provtemplate.Document, string, error) {
	if o.template != "" {
		doc, err := provtemplate.Read(o.template)
		if current := naming.FromOldScenario(o.template); errors.Is(err, os.ErrNotExist) && current != o.template {
			o.template = current // the old tool's scenario spelling
			doc, err = provtemplate.Read(current)
		}
		if errors.Is(err, os.ErrNotExist) {
			return nil, "", withCode(ExitUsage, err)
		}
		return doc, o.template, err
	}
	p, err := g.loadProduct()
	if err != nil {
		return nil, "", err
	}
	return g.writeTemplate(p)
}

func (o *validateProvTemplateOptions) report(deps *Deps, g *GlobalOptions, res policycheck.Result, path string) error {
	if o.sarif != "" {
		err := atomicfile.Write(o.sarif, 0o644, func(w io.Writer) error { return policycheck.WriteSARIF(w, res, path) })
		if err != nil {
			return err
		}
	}
	if g.jsonOutput() {
		return policycheck.WriteJSON(deps.Out, res)
	}
	fmt.Fprintf(deps.Out, "%s\n", path)
	return policycheck.WriteText(deps.Out, res)
}

// policyExit is the verdict as an exit status.
func policyExit(res policycheck.Result) error {
	if !res.Passed() {
		return withCode(ExitPolicyViolation, errors.New(policycheck.Summary(res)))
	}
	return nil
}
