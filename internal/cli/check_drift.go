package cli

import (
	"fmt"
	"sort"

	"github.com/spf13/cobra"

	"github.com/mlprov/mlprov/internal/engine"
	"github.com/mlprov/mlprov/internal/trailcheck"
	"github.com/mlprov/mlprov/stacks"
)

type checkDriftOptions struct {
	engine engineOptions
	fleet  fleetOptions
}

func newCheckDriftCommand(deps *Deps, g *GlobalOptions) *cobra.Command {
	o := &checkDriftOptions{}
	cmd := &cobra.Command{
		Use:   "check-drift",
		Short: "Compare the deployed product with AWS (read-only refresh preview); exit 5 on drift",
		Long: `Reads every resource of the deployed product from AWS and compares it with the recorded
state, writing no state. Lists each drifted property (recorded → live), security-relevant ones
(encryption, policies, security group rules, public access…) first and marked, and writes the
drift report to ml/reports/. Exits 5 when drift is found.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.fleet.active(cmd) {
				return o.fleet.run(deps, g, fleetAction{name: checkDriftAction, read: readCheckDrift, engine: true,
					run: func(d *Deps, pg *GlobalOptions) error { return runCheckDrift(d, pg, o) }})
			}
			return runCheckDrift(deps, g, o)
		},
	}
	bindEngineFlags(cmd, &o.engine)
	bindFleetFlags(cmd, &o.fleet)
	return cmd
}

func runCheckDrift(deps *Deps, g *GlobalOptions, o *checkDriftOptions) error {
	p, eng, err := o.engine.productEngine(deps, g)
	if err != nil {
		return err
	}
	drift, err := eng.Drift(deps.Context, p.target(p.names, stacks.Options{}))
	if engine.IsNotFound(err) {
		return notDeployed(p, eng)
	}
	if err != nil {
		return err
	}
	sortSecurityFirst(drift.Resources)
	trail, err := liveComplianceTrail(deps, p, eng, drift)
	if err != nil {
		return err
	}
	in := driftReportInput(deps, p, drift)
	in.ComplianceTrail = trail
	reportPath, err := writeDriftReport(g, p, in)
	if err != nil {
		return err
	}
	if g.jsonOutput() {
		out := checkDriftOutput(p, in, reportPath)
		out.ComplianceTrail = trail
		if err := writeJSON(deps.Out, out); err != nil {
			return err
		}
	} else {
		printDrift(deps, drift, reportPath)
		printComplianceTrail(deps.Out, trail)
	}
	if drift.HasDrift() {
		return silentExit(ExitChanges)
	}
	return nil
}

// liveComplianceTrail judges trail delivery on the resources as AWS reports
// them: the recorded ones with the drift applied (nil without compliance
// monitoring). It does not change the exit code: a deleted, stopped or
// rerouted trail is drift already.
func liveComplianceTrail(deps *Deps, p *product, eng Engine, drift *engine.DriftReport) (*trailcheck.Finding, error) {
	if !watchesCompliance(p) {
		return nil, nil
	}
	state, err := eng.Describe(deps.Context, p.names.StackName)
	if err != nil {
		return nil, err
	}
	return complianceTrail(p, trailcheck.SeenAWS, asLive(state.Resources, drift)), nil
}

// notDeployed is the error of an action that needs a deployed product.
func notDeployed(p *product, eng Engine) error {
	return notDeployedStack(p.names.StackName, eng)
}

func notDeployedStack(stack string, eng Engine) error {
	return fmt.Errorf("no deployed product %s in %s (run deploy-product --force first)", stack, eng.Backend())
}

// sortSecurityFirst puts security-relevant resources (and, within each,
// security-relevant properties) first, keeping the engine's order otherwise.
func sortSecurityFirst(resources []engine.DriftedResource) {
	sort.SliceStable(resources, func(i, j int) bool {
		return resources[i].SecurityRelevant() && !resources[j].SecurityRelevant()
	})
	for _, r := range resources {
		sort.SliceStable(r.Properties, func(i, j int) bool {
			return r.Properties[i].Security != "" && r.Properties[j].Security == ""
		})
	}
}

func printDrift(deps *Deps, d *engine.DriftReport, reportPath string) {
	for _, r := range d.Resources {
		if r.Kind == engine.DriftDeleted {
			fmt.Fprintf(deps.Out, "  [SECURITY: resource deleted] %s (%s): deleted outside mlprov\n", r.Name, r.Type)
			continue
		}
		for _, prop := range r.Properties {
			mark := ""
			if prop.Security != "" {
				mark = fmt.Sprintf("[SECURITY: %s] ", prop.Security)
			}
			fmt.Fprintf(deps.Out, "  %s%s (%s) %s: %s → %s\n", mark, r.Name, r.Type, prop.Property, outputString(prop.Recorded), outputString(prop.Live))
		}
	}
	status := "no drift"
	if d.HasDrift() {
		status = fmt.Sprintf("%d drifted resource(s)", len(d.Resources))
	}
	fmt.Fprintf(deps.Out, "check-drift %s: %s in %d resources checked\n", d.Stack, status, d.Checked)
	fmt.Fprintf(deps.Out, "drift report: %s\n", reportPath)
}
