package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/mlprov/mlprov/internal/atomicfile"
	"github.com/mlprov/mlprov/internal/iampolicy"
	"github.com/mlprov/mlprov/internal/policycheck"
	"github.com/mlprov/mlprov/internal/provtemplate"
	"github.com/mlprov/mlprov/internal/report"
)

func newCreateReviewReportCommand(deps *Deps, g *GlobalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "create-review-report",
		Short: "Write the review report (self-contained HTML, JSON twin, SARIF of the policy results) to ml/reports/",
		Long: `Renders the product offline, runs every policy rule, and writes one page to approve it by:
summary, security checklist, prerequisites, policy results and waivers, every resource by component,
SSM outputs and inputs, the deployer policy (as create-policy writes it) and an estimated monthly cost.
The policy verdict is reported, not enforced: validate-prov-template is the gate.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := g.loadProduct()
			if err != nil {
				return err
			}
			doc, _, err := g.writeTemplate(p)
			if err != nil {
				return err
			}
			written, review, err := writeReviewReport(deps, g, p, doc, policycheck.Check(doc, deps.Now()))
			if err != nil {
				return err
			}
			if g.jsonOutput() {
				return writeJSON(deps.Out, map[string]any{"wrote": written, "policyPassed": review.Policy.Passed,
					"estimatedMonthlyCostUSD": review.Cost.Total})
			}
			for _, path := range written {
				fmt.Fprintf(deps.Out, "wrote %s\n", path)
			}
			fmt.Fprintf(deps.Out, "%s\nestimated monthly cost: $%.2f\n", review.Policy.Summary, review.Cost.Total)
			return nil
		},
	}
}

// writeReviewReport writes the review report's HTML, JSON twin and the
// policy results as SARIF; it returns the paths, HTML first.
func writeReviewReport(deps *Deps, g *GlobalOptions, p *product, doc *provtemplate.Document, res policycheck.Result) ([]string, report.Review, error) {
	paths := report.ReviewPaths(g.Workdir, p.names, g.started)
	review, err := report.WriteReview(paths, report.ReviewInput{
		Doc: doc, Policy: res, Deployer: deployerPolicy(g, p, doc), Now: deps.Now(), Version: deps.Version,
		ShortenedNames: p.names.Shortened,
	})
	if err != nil {
		return nil, review, err
	}
	sarif := g.path(p.names.ReportFile("policy", "sarif"))
	err = atomicfile.Write(sarif, 0o644, func(w io.Writer) error {
		return policycheck.WriteSARIF(w, res, p.names.TemplateFile())
	})
	if err != nil {
		return nil, review, err
	}
	written := []string{paths.HTML, paths.JSON, sarif}
	g.audit.wrote(written...)
	return written, review, nil
}

// deployerPolicy generates the deployer policy from the same template the
// report describes, named by the files create-policy writes it to.
func deployerPolicy(g *GlobalOptions, p *product, doc *provtemplate.Document) report.DeployerPolicy {
	docs, err := iampolicy.Generate(doc)
	if err != nil {
		return report.DeployerPolicy{Missing: "the deployer policy could not be generated: " + err.Error()}
	}
	files := iampolicy.Paths(g.Workdir, p.names, len(docs))
	out := report.DeployerPolicy{Files: files}
	for i, d := range docs {
		b, err := json.Marshal(d)
		if err != nil {
			return report.DeployerPolicy{Missing: err.Error()}
		}
		out.Documents = append(out.Documents, report.PolicyDocument{Name: filepath.Base(files[i]), Document: b})
	}
	return out
}
