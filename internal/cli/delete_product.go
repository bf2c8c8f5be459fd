package cli

import (
	"fmt"
	"github.com/mlprov/mlprov/internal/awstypes"
	"regexp"

	"github.com/spf13/cobra"

	"github.com/mlprov/mlprov/internal/engine"
	"github.com/mlprov/mlprov/internal/naming"
	"github.com/mlprov/mlprov/policy-pack/rules"
	"github.com/mlprov/mlprov/stacks"
)

// testIDPattern is a test deployment's id as newTestID makes it.
var testIDPattern = regexp.MustCompile(`^[0-9a-f]{4}$`)

type deleteProductOptions struct {
	engine engineOptions
	testID string // --test-id: delete a test deployment's stack instead
}

func newDeleteProductCommand(deps *Deps, g *GlobalOptions) *cobra.Command {
	o := &deleteProductOptions{}
	cmd := &cobra.Command{
		Use:   "delete-product",
		Short: "Destroy every resource of the product and remove its stack (requires --force)",
		Long: `Destroys every resource of the deployed product, then removes its stack from the backend.
Prod resources are protected from deletion: --force also lifts that protection first, with an
update of the program with protection off (one locked operation, in which the policy pack's
protection rule MLP-SM-001 is advisory), then destroys. With --test-id ID it deletes the test
deployment {ml_name}-test-ID (see list-products) instead. Refuses without --force and then changes nothing.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDeleteProduct(deps, g, o)
		},
	}
	bindEngineFlags(cmd, &o.engine)
	cmd.Flags().StringVar(&o.testID, "test-id", "", "delete the test deployment with this 4-hex id (a stack kept by test-deploy --keep or left by an interrupt)")
	return cmd
}

func runDeleteProduct(deps *Deps, g *GlobalOptions, o *deleteProductOptions) error {
	p, err := g.loadProduct()
	if err != nil {
		return err
	}
	names, opts := p.names, stacks.Options{}
	if o.testID != "" {
		if !testIDPattern.MatchString(o.testID) {
			return withCode(ExitUsage, fmt.Errorf("--test-id %q: want the 4 hex digits of a test deployment (list-products shows them)", o.testID))
		}
		names, opts = naming.ForTest(p.cfg, o.testID), stacks.Options{TestID: o.testID}
	}
	if err := g.requireForce("delete-product", names.StackName); err != nil {
		return err
	}
	eng, err := o.engine.newEngine(deps, g)
	if err != nil {
		return err
	}
	state, err := eng.Describe(deps.Context, names.StackName)
	if engine.IsNotFound(err) {
		return notDeployedStack(names.StackName, eng)
	}
	if err != nil {
		return err
	}
	if protected := state.Protected(); len(protected) > 0 {
		fmt.Fprintf(deps.Err, "mlprov: %d resource(s) of %s are protected from deletion; lifting the protection (an update with protection off) because --force was given\n",
			len(protected), names.StackName)
		lift := p.target(names, stacks.Options{TestID: opts.TestID, Unprotect: true})
		lift.Advisory = []string{rules.ProtectionRule}
		if _, err := eng.Up(deps.Context, lift); err != nil {
			return fmt.Errorf("lift the deletion protection of %s (nothing was deleted): %w", names.StackName, err)
		}
	}
	res, err := eng.Destroy(deps.Context, p.target(names, opts), true)
	if err != nil {
		return err
	}
	kept := keptResources(state)
	if g.jsonOutput() {
		out := resultJSON("delete-product", res)
		out.Removed, out.Kept = true, kept
		return writeJSON(deps.Out, out)
	}
	printChanges(deps, res)
	fmt.Fprintf(deps.Out, "removed stack %s from %s\n", names.StackName, eng.Backend())
	printKept(deps, kept)
	return nil
}

// printKept tells what a delete left in AWS and how to remove it.
func printKept(deps *Deps, kept []KeptResource) {
	if len(kept) == 0 {
		return
	}
	fmt.Fprintf(deps.Out, "kept %d shared VPC resource(s): other workloads in the VPC may use them (README, \"Shared VPC endpoints\"). Once nothing does, remove them with:\n", len(kept))
	for _, k := range kept {
		fmt.Fprintf(deps.Out, "  %s\n", k.Remove)
	}
}

// keptResources are the resources the delete left in AWS, endpoints first
// (a security group can only go once no endpoint uses it).
func keptResources(state *engine.Deployment) []KeptResource {
	var endpoints, groups []KeptResource
	for _, r := range state.Kept() {
		switch r.Type {
		case awstypes.VPCEndpoint:
			endpoints = append(endpoints, KeptResource{Type: r.Type, ID: r.ID, Remove: "aws ec2 delete-vpc-endpoints --vpc-endpoint-ids " + r.ID})
		case awstypes.SecurityGroup:
			groups = append(groups, KeptResource{Type: r.Type, ID: r.ID, Remove: "aws ec2 delete-security-group --group-id " + r.ID})
		default:
			groups = append(groups, KeptResource{Type: r.Type, ID: r.ID, Remove: "delete " + r.Type + " " + r.ID + " in AWS"})
		}
	}
	return append(endpoints, groups...)
}
