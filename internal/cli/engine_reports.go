package cli

import (
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"github.com/mlprov/mlprov/internal/awstypes"
	"github.com/mlprov/mlprov/internal/engine"
	"github.com/mlprov/mlprov/internal/report"
)

// State outputs that mean a person still has to act.
const (
	typeTopicSubscription = awstypes.SNSTopicSubscription
	typeConnection        = awstypes.CodeConnection
)

// pendingConfirmations reads the deployed state for what waits on a person:
// an email subscription AWS reports as pendingConfirmation, a connection
// still PENDING. show-product and the deployment report both list them.
func pendingConfirmations(state *engine.Deployment) []report.PendingConfirmation {
	var out []report.PendingConfirmation
	if state == nil {
		return out
	}
	for _, r := range state.Resources {
		switch {
		case r.Type == typeTopicSubscription && r.Outputs["pendingConfirmation"] == true:
			out = append(out, report.PendingConfirmation{What: "SNS email subscription " + r.Name,
				Detail: fmt.Sprintf("%v must click the link in AWS's confirmation email; alerts are not delivered until then.", r.Outputs["endpoint"])})
		case r.Type == typeConnection && r.Outputs["connectionStatus"] == "PENDING":
			out = append(out, report.PendingConfirmation{What: "CodeConnections handshake " + r.Name,
				Detail: "Complete it in the AWS console (Developer Tools → Settings → Connections → Update pending connection); the pipelines cannot pull source until then."})
		}
	}
	return out
}

// deploymentReportInput joins an up result (what changed, how long) with
// the state after it (every resource ID, the outputs).
func deploymentReportInput(deps *Deps, p *product, started time.Time, up *engine.Result, state *engine.Deployment, upErr error) report.DeploymentInput {
	in := report.DeploymentInput{
		Product: p.summary(), StartedAt: started, Duration: deps.Now().Sub(started), Succeeded: upErr == nil,
		Pending: pendingConfirmations(state), Now: deps.Now(), Version: deps.Version,
	}
	if upErr != nil {
		in.Error = upErr.Error()
	}
	changes := map[string]engine.Change{}
	if up != nil {
		in.Duration = up.Duration
		for _, c := range up.Changes {
			changes[c.URN] = c
		}
	}
	if state != nil {
		for _, r := range state.Resources {
			d := report.DeployedResource{URN: r.URN, Type: r.Type, LogicalName: r.Name, ID: r.ID, Op: report.OpSame}
			if c, ok := changes[r.URN]; ok {
				d.Op, d.ChangedProperties = c.Op, c.Diffs
				delete(changes, r.URN)
			}
			in.Resources = append(in.Resources, d)
		}
		keys := make([]string, 0, len(state.Outputs))
		for k := range state.Outputs {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			in.Outputs = append(in.Outputs, report.PublishedOutput{Key: k, Name: p.names.SSMPath(k), Value: outputString(state.Outputs[k])})
		}
	}
	// Deleted resources are no longer in the state; keep them in the report.
	for _, c := range changesInOrder(up, changes) {
		in.Resources = append(in.Resources, report.DeployedResource{URN: c.URN, Type: c.Type, LogicalName: c.Name, Op: c.Op, ChangedProperties: c.Diffs})
	}
	return in
}

func changesInOrder(up *engine.Result, left map[string]engine.Change) []engine.Change {
	var out []engine.Change
	if up == nil {
		return out
	}
	for _, c := range up.Changes {
		if _, ok := left[c.URN]; ok {
			out = append(out, c)
		}
	}
	return out
}

// outputString shows a stack output: strings as they are, the rest as JSON.
func outputString(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// driftReportInput flattens the engine's drift into one row per property.
func driftReportInput(deps *Deps, p *product, d *engine.DriftReport) report.DriftInput {
	in := report.DriftInput{Product: p.summary(), CheckedAt: deps.Now(), Duration: d.Duration, Checked: d.Checked, Now: deps.Now(), Version: deps.Version}
	for _, r := range d.Resources {
		if r.Kind == engine.DriftDeleted {
			in.Drifts = append(in.Drifts, report.DriftedProperty{URN: r.URN, Type: r.Type, LogicalName: r.Name, Deleted: true,
				SecurityRelevant: true, Concern: "resource deleted"})
			continue
		}
		for _, prop := range r.Properties {
			in.Drifts = append(in.Drifts, report.DriftedProperty{URN: r.URN, Type: r.Type, LogicalName: r.Name, Property: prop.Property,
				Old: prop.Recorded, New: prop.Live, SecurityRelevant: prop.Security != "", Concern: prop.Security})
		}
	}
	return in
}

// writeDeploymentReport writes the deployment report after deploy-product
// and returns its HTML path.
func writeDeploymentReport(g *GlobalOptions, p *product, in report.DeploymentInput) (string, error) {
	paths := report.PathsFor(g.Workdir, p.names, report.KindDeployment)
	if _, err := report.WriteDeployment(paths, in); err != nil {
		return "", err
	}
	g.audit.wrote(paths.HTML, paths.JSON)
	return paths.HTML, nil
}

// writeDriftReport writes the drift report after check-drift and returns
// its HTML path.
func writeDriftReport(g *GlobalOptions, p *product, in report.DriftInput) (string, error) {
	paths := report.PathsFor(g.Workdir, p.names, report.KindDrift)
	if _, err := report.WriteDrift(paths, in); err != nil {
		return "", err
	}
	g.audit.wrote(paths.HTML, paths.JSON)
	return paths.HTML, nil
}

// summary is the report header's product identification.
func (p *product) summary() report.Summary {
	n := p.names
	return report.Summary{
		MLName: n.MLName, CompanyName: p.cfg.Client.CompanyName, Tier: string(p.cfg.MLProduct.Tier), Scenario: n.Scenario,
		Env: p.cfg.Environment.Env, Region: p.cfg.Environment.Region, AccountID: p.cfg.Client.AccountID, Stack: n.StackName,
		SourceControl: string(p.cfg.MLProduct.SourceControl), ConfigFile: p.cfg.Path,
	}
}
