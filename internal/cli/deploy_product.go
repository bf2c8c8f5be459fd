package cli

import (
	"fmt"
	"sort"

	"github.com/spf13/cobra"

	"github.com/mlprov/mlprov/internal/engine"
	"github.com/mlprov/mlprov/internal/report"
	"github.com/mlprov/mlprov/stacks"
)

type deployProductOptions struct {
	engine engineOptions
}

func newDeployProductCommand(deps *Deps, g *GlobalOptions) *cobra.Command {
	o := &deployProductOptions{}
	cmd := &cobra.Command{
		Use:   "deploy-product",
		Short: "Deploy the product (requires --force): policy-gated up, SSM outputs, a deployment report",
		Long: `Deploys the product's stack with the policy pack in the engine (a mandatory violation stops
it), publishes the outputs to SSM Parameter Store, tags the stack, and writes the deployment
report to ml/reports/. Refuses without --force and then changes nothing.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDeployProduct(deps, g, o)
		},
	}
	bindEngineFlags(cmd, &o.engine)
	return cmd
}

func runDeployProduct(deps *Deps, g *GlobalOptions, o *deployProductOptions) error {
	p, err := g.loadProduct()
	if err != nil {
		return err
	}
	if err := g.requireForce("deploy-product", p.names.StackName); err != nil {
		return err
	}
	eng, err := o.engine.newEngine(deps, g)
	if err != nil {
		return err
	}
	started := deps.Now()
	res, upErr := eng.Up(deps.Context, p.target(p.names, stacks.Options{}))
	state, _ := stateAfterUp(deps, eng, res, p.names.StackName)
	if state != nil {
		if arn, ok := state.Outputs[stacks.ExportCallerArn].(string); ok {
			g.audit.callerIdentity(arn)
		}
	}
	pending := pendingConfirmations(state)
	reportPath, reportErr := writeDeploymentReport(g, p, deploymentReportInput(deps, p, started, res, state, upErr))
	if reportErr != nil {
		fmt.Fprintf(deps.Err, "mlprov: deployment report not written: %v\n", reportErr)
	}
	if res != nil {
		if err := printDeployment(deps, g, res, pending, reportPath); err != nil {
			return err
		}
	}
	return upErr
}

// stateAfterUp is what the stack holds after the up, also after a failed one
// (the report shows what exists now): the state the up read, else a fresh
// read; nil after an interrupt.
func stateAfterUp(deps *Deps, eng Engine, res *engine.Result, stack string) (*engine.Deployment, error) {
	if res != nil && res.State != nil {
		return res.State, nil
	}
	if err := deps.Context.Err(); err != nil {
		return nil, err
	}
	return eng.Describe(deps.Context, stack)
}

func printDeployment(deps *Deps, g *GlobalOptions, res *engine.Result, pending []report.PendingConfirmation, reportPath string) error {
	if g.jsonOutput() {
		out := resultJSON("deploy-product", res)
		out.PendingConfirmations, out.Report = pending, reportPath
		return writeJSON(deps.Out, out)
	}
	printChanges(deps, res)
	printOutputs(deps, res.Outputs)
	printPending(deps, pending)
	if reportPath != "" {
		fmt.Fprintf(deps.Out, "deployment report: %s\n", reportPath)
	}
	return nil
}

// printOutputs lists stack outputs by key (pending confirmations are
// printed on their own).
func printOutputs(deps *Deps, outputs map[string]any) {
	keys := make([]string, 0, len(outputs))
	for k := range outputs {
		if k != stacks.ExportPendingConfirmations {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return
	}
	sort.Strings(keys)
	fmt.Fprintln(deps.Out, "outputs:")
	for _, k := range keys {
		fmt.Fprintf(deps.Out, "  %s = %s\n", k, outputString(outputs[k]))
	}
}

// printPending lists what a person still has to confirm.
func printPending(deps *Deps, pending []report.PendingConfirmation) {
	if len(pending) == 0 {
		return
	}
	fmt.Fprintln(deps.Out, "pending confirmations (action needed):")
	for _, c := range pending {
		fmt.Fprintf(deps.Out, "  - %s: %s\n", c.What, c.Detail)
	}
}
