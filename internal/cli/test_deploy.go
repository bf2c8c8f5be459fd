package cli

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/mlprov/mlprov/internal/awstypes"
	"github.com/mlprov/mlprov/internal/engine"
	"github.com/mlprov/mlprov/internal/naming"
	"github.com/mlprov/mlprov/internal/provtemplate"
	"github.com/mlprov/mlprov/stacks"
)

type testDeployOptions struct {
	engine engineOptions
	keep   bool // --keep: leave the test stack deployed
}

// typeSSMParameter is the resource type the SSM outputs are published as.
const typeSSMParameter = awstypes.SSMParameter

// testDeployResult is test-deploy's outcome (also its JSON shape).
type testDeployResult struct {
	Stack     string         `json:"stack"`
	TestID    string         `json:"testId"`
	Deploy    *engine.Result `json:"deploy,omitempty"`
	Verified  []string       `json:"verified"`
	Missing   []string       `json:"missing"`
	Destroyed bool           `json:"destroyed"`
	Kept      bool           `json:"kept"`
	// SharedKept are the shared VPC resources the destroy left (README,
	// "Shared VPC endpoints").
	SharedKept []KeptResource `json:"sharedKept,omitempty"`
}

func newTestDeployCommand(deps *Deps, g *GlobalOptions) *cobra.Command {
	o := &testDeployOptions{}
	cmd := &cobra.Command{
		Use:   "test-deploy",
		Short: "Deploy an isolated copy of the product, verify its outputs, destroy it (--keep leaves it)",
		Long: `Deploys the product as an isolated test stack {ml_name}-test-{4 hex} whose physical names
carry the same suffix, checks that every SSM output is published, then destroys it and removes
the stack (also when the deploy or the check fails). The production stack is never touched.
It creates real resources, so it refuses without --force (and then creates nothing). A stack kept
with --keep or left by an interrupt is shown by list-products and removed with
delete-product --test-id ID --force.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runTestDeploy(deps, g, o)
		},
	}
	bindEngineFlags(cmd, &o.engine)
	cmd.Flags().BoolVar(&o.keep, "keep", false, "keep the test stack and its resources after the check")
	return cmd
}

func runTestDeploy(deps *Deps, g *GlobalOptions, o *testDeployOptions) error {
	p, err := g.loadProduct()
	if err != nil {
		return err
	}
	id, err := newTestID()
	if err != nil {
		return err
	}
	opts := stacks.Options{TestID: id}
	names := naming.ForTest(p.cfg, id)
	if err := g.requireForce("test-deploy", names.StackName); err != nil {
		return err
	}
	doc, err := p.render(opts)
	if err != nil {
		return err
	}
	eng, err := o.engine.newEngine(deps, g)
	if err != nil {
		return err
	}
	target := p.target(names, opts)
	result := &testDeployResult{Stack: names.StackName, TestID: id, Kept: o.keep, Verified: []string{}, Missing: []string{}}
	fmt.Fprintf(deps.Err, "mlprov: test deployment %s\n", names.StackName)

	var testErr error
	var deployed *engine.Deployment
	result.Deploy, testErr = eng.Up(deps.Context, target)
	if testErr == nil {
		deployed, testErr = verifyTestDeployment(deps, eng, doc, result)
	}
	switch {
	case o.keep:
		fmt.Fprintf(deps.Err, "mlprov: keeping %s (--keep); remove it with: %s\n", names.StackName, removeTestCommand(g, id))
	case deps.Context.Err() != nil:
		fmt.Fprintf(deps.Err, "mlprov: interrupted: test stack %s may be left behind; remove it with: %s\n", names.StackName, removeTestCommand(g, id))
	default:
		if _, err := eng.Destroy(deps.Context, target, true); err != nil && !engine.IsNotFound(err) {
			testErr = errors.Join(testErr, fmt.Errorf("destroy test stack %s: %w", names.StackName, err))
		} else {
			result.Destroyed = true
			if deployed != nil {
				result.SharedKept = keptResources(deployed)
			}
		}
	}
	if err := printTestDeploy(deps, g, result); err != nil {
		return errors.Join(testErr, err)
	}
	return testErr
}

// removeTestCommand is the command that removes test deployment id.
func removeTestCommand(g *GlobalOptions, id string) string {
	return fmt.Sprintf("mlprov delete-product --config %s --test-id %s --force", g.ConfigRef, id)
}

// newTestID is 4 random hex digits.
func newTestID() (string, error) {
	b := make([]byte, 2)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("test id: %w", err)
	}
	return hex.EncodeToString(b), nil
}

// verifyTestDeployment checks that every SSM output of the offline render
// is deployed: a stack output under its key and an SSM parameter of its name.
func verifyTestDeployment(deps *Deps, eng Engine, doc *provtemplate.Document, result *testDeployResult) (*engine.Deployment, error) {
	stack := result.Stack
	state, err := stateAfterUp(deps, eng, result.Deploy, stack)
	if err != nil {
		return nil, fmt.Errorf("verify %s: %w", stack, err)
	}
	parameters := map[string]bool{}
	for _, r := range state.Resources {
		if name, ok := r.Outputs["name"].(string); ok && r.Type == typeSSMParameter {
			parameters[name] = true
		}
	}
	for _, out := range doc.Outputs {
		if _, exported := state.Outputs[out.Key]; exported && parameters[out.Name] {
			result.Verified = append(result.Verified, out.Name)
		} else {
			result.Missing = append(result.Missing, out.Name)
		}
	}
	if len(result.Missing) > 0 {
		return state, fmt.Errorf("verify %s: %d of %d SSM outputs missing: %v", stack, len(result.Missing), len(doc.Outputs), result.Missing)
	}
	return state, nil
}

func printTestDeploy(deps *Deps, g *GlobalOptions, r *testDeployResult) error {
	if g.jsonOutput() {
		return writeJSON(deps.Out, TestDeployOutput{header("test-deploy"), r})
	}
	if r.Deploy != nil {
		printChanges(deps, r.Deploy)
	}
	fmt.Fprintf(deps.Out, "test-deploy %s: %d SSM output(s) verified, %d missing", r.Stack, len(r.Verified), len(r.Missing))
	switch {
	case r.Destroyed:
		fmt.Fprintln(deps.Out, "; destroyed and removed")
	case r.Kept:
		fmt.Fprintln(deps.Out, "; kept (--keep)")
	default:
		fmt.Fprintln(deps.Out, "; NOT destroyed")
	}
	printKept(deps, r.SharedKept)
	return nil
}
