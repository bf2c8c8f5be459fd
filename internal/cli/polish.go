package cli

import (
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/mlprov/mlprov/internal/naming"
)

// mutating are the actions that change infrastructure: only they show
// --force. Elsewhere the flag stays accepted (hidden), so the old tool's
// scripts that pass it to every action keep working.
var mutating = map[string]bool{"deploy-product": true, "delete-product": true, "test-deploy": true}

// examples are each command's Example: section.
var examples = map[string]string{
	"validate-config": `  mlprov validate-config --config configs/techcorp-dev-t001-us-east-1-churn-ml-codecommit.yaml
  mlprov validate-config --all configs/ -o json`,
	"list-products": `  mlprov list-products
  mlprov list-products --backend s3://acme-pulumi-state/mlprov -o json`,
	"show-product": `  mlprov show-product --config techcorp-dev-t001-us-east-1-churn-ml-codecommit
  mlprov show-product -c my-product.yaml -o json`,
	"create-prov-template": `  mlprov create-prov-template --config my-product.yaml
  mlprov -con my-product.yaml -act create-prov-template`,
	"plan": `  mlprov plan --config my-product.yaml
  mlprov plan --config my-product.yaml -o json > plan.json`,
	"create-review-report": `  mlprov create-review-report --config my-product.yaml`,
	"validate-prov-template": `  mlprov validate-prov-template --config my-product.yaml --sarif policy.sarif
  mlprov validate-prov-template --template ml/templates/my-product-codecommit-template.json -o json`,
	"create-policy": `  mlprov create-policy --config my-product.yaml
  mlprov create-policy --config my-product.yaml --diff`,
	"exit-codes": `  mlprov exit-codes
  mlprov exit-codes -o json`,
	"show-changes": `  mlprov show-changes --config my-product.yaml
  mlprov show-changes --config my-product.yaml --detailed-exitcode   # exit 5 when there are changes`,
	"deploy-product": `  mlprov deploy-product --config my-product.yaml --force
  mlprov deploy-product --config my-product.yaml --force --backend s3://acme-pulumi-state/mlprov`,
	"check-drift":    `  mlprov check-drift --config my-product.yaml   # exit 5 when drift is found`,
	"delete-product": `  mlprov delete-product --config my-product.yaml --force`,
	"test-deploy": `  mlprov test-deploy --config my-product.yaml
  mlprov test-deploy --config my-product.yaml --keep`,
}

// polish adds what every command shares: examples, --force where it
// applies, and shell completion of --config, --output and --backend.
func polish(root *cobra.Command, g *GlobalOptions) {
	root.PersistentFlags().MarkHidden("force")
	root.RegisterFlagCompletionFunc("config", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return configNames(g.Workdir), cobra.ShellCompDirectiveDefault
	})
	root.RegisterFlagCompletionFunc("output", cobra.FixedCompletions([]string{outputText, outputJSON}, cobra.ShellCompDirectiveNoFileComp))
	for _, cmd := range root.Commands() {
		cmd.Example = examples[cmd.Name()]
		if mutating[cmd.Name()] {
			cmd.Flags().BoolVar(&g.Force, "force", false, "allow "+cmd.Name()+" to change infrastructure (without it: exit 7, nothing changed)")
		}
		if cmd.Flags().Lookup("backend") != nil {
			cmd.RegisterFlagCompletionFunc("backend", cobra.FixedCompletions(
				[]string{"file://" + naming.StateDir, "s3://", "https://api.pulumi.com"}, cobra.ShellCompDirectiveNoSpace|cobra.ShellCompDirectiveNoFileComp))
		}
	}
}

// configNames are the bare names --config resolves (ml/configs/, then
// configs/), for completion; a path typed by hand still completes as a file.
func configNames(workdir string) []string {
	var out []string
	seen := map[string]bool{}
	for _, dir := range []string{naming.ConfigsDir, "configs"} {
		for _, pattern := range []string{"*.yaml", "*.yml"} {
			files, _ := filepath.Glob(filepath.Join(workdir, dir, pattern))
			for _, f := range files {
				name := strings.TrimSuffix(strings.TrimSuffix(filepath.Base(f), ".yaml"), ".yml")
				if !seen[name] {
					seen[name] = true
					out = append(out, name)
				}
			}
		}
	}
	return out
}
