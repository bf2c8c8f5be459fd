package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/mlprov/mlprov/internal/iampolicy"
	"github.com/mlprov/mlprov/internal/policydoc"
	"github.com/mlprov/mlprov/stacks"
)

type createPolicyOptions struct {
	diff bool // --diff: show what changed against the policy on disk
}

// policyFileResult is one written file (also the JSON output shape).
type policyFileResult struct {
	File       string `json:"file"`
	Statements int    `json:"statements"`
	Size       int    `json:"size"`
}

func newCreatePolicyCommand(deps *Deps, g *GlobalOptions) *cobra.Command {
	o := &createPolicyOptions{}
	cmd := &cobra.Command{
		Use:   "create-policy",
		Short: "Write the deployer's least-privilege IAM policy to ml/policies/",
		Long: `Derives the IAM policy the person or CI role running mlprov needs for this product from its
rendered resources, scoped to the product's ARNs and tags, to the old tool's file
ml/policies/{ml_name}-{scenario}-iam-policy.json. Only a policy over AWS's 6,144-character
managed-policy limit adds further documents beside it (-2.json, -3.json …); attach them all.
With --diff, also shows what changed against the policy already on disk.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCreatePolicy(deps, g, o)
		},
	}
	cmd.Flags().BoolVar(&o.diff, "diff", false, "show added and removed statements, actions and resources against the file on disk")
	return cmd
}

func runCreatePolicy(deps *Deps, g *GlobalOptions, o *createPolicyOptions) error {
	p, err := g.loadProduct()
	if err != nil {
		return err
	}
	doc, err := p.render(stacks.Options{})
	if err != nil {
		return err
	}
	docs, err := iampolicy.Generate(doc)
	if err != nil {
		return err
	}
	var changes []iampolicy.Change
	if o.diff {
		before, err := iampolicy.ReadFiles(g.Workdir, p.names)
		if err != nil {
			return err
		}
		changes = iampolicy.Diff(before, docs)
	}
	paths, err := iampolicy.WriteFiles(g.Workdir, p.names, docs)
	if err != nil {
		return err
	}
	return printPolicy(deps, g, o, p, paths, docs, changes)
}

func printPolicy(deps *Deps, g *GlobalOptions, o *createPolicyOptions, p *product, paths []string, docs []policydoc.Document, changes []iampolicy.Change) error {
	files := make([]policyFileResult, len(docs))
	for i, d := range docs {
		files[i] = policyFileResult{File: paths[i], Statements: len(d.Statement), Size: iampolicy.Size(d)}
	}
	if g.jsonOutput() {
		return writeJSON(deps.Out, CreatePolicyOutput{Header: header("create-policy"), Product: p.ref(),
			Wrote: paths, Files: files, Changes: changes})
	}
	for _, f := range files {
		fmt.Fprintf(deps.Out, "wrote %s (%d statements, %d of %d characters)\n", f.File, f.Statements, f.Size, iampolicy.MaxManagedPolicySize)
	}
	if len(files) > 1 {
		fmt.Fprintf(deps.Out, "the policy exceeds one managed policy: attach all %d documents\n", len(files))
	}
	if !o.diff {
		return nil
	}
	if len(changes) == 0 {
		fmt.Fprintln(deps.Out, "no changes against the policy on disk")
	}
	for _, c := range changes {
		fmt.Fprint(deps.Out, c.String())
	}
	return nil
}
