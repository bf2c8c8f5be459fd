package cli

import (
	"fmt"
	"io"

	"github.com/mlprov/mlprov/internal/awstypes"
	"github.com/mlprov/mlprov/internal/engine"
	"github.com/mlprov/mlprov/internal/tiers"
	"github.com/mlprov/mlprov/internal/trailcheck"
)

// complianceTrail judges whether a trail delivers to the compliance log
// group, from the stack's resources (as recorded, or as AWS reports them);
// nil for a product without compliance monitoring.
func complianceTrail(p *product, seen string, resources []engine.DeployedResource) *trailcheck.Finding {
	if !watchesCompliance(p) {
		return nil
	}
	var trails []trailcheck.Trail
	for _, r := range resources {
		if r.Type != awstypes.CloudTrail {
			continue
		}
		name, _ := r.Outputs["name"].(string) // the trail's own name, not the logical one
		if name == "" {
			name = r.ID
		}
		trails = append(trails, trailcheck.Trail{Name: name, Properties: r.Outputs})
	}
	f := trailcheck.Check(p.names.ComplianceLogGroup, p.names.ComplianceTrail, seen, trails)
	return &f
}

func watchesCompliance(p *product) bool {
	caps, _ := tiers.Of(string(p.cfg.MLProduct.Tier))
	return caps.ComplianceMonitoring
}

// asLive applies a drift check to the recorded resources: a resource
// deleted outside mlprov is gone, a changed one has its live values.
func asLive(recorded []engine.DeployedResource, drift *engine.DriftReport) []engine.DeployedResource {
	byURN := map[string]engine.DriftedResource{}
	for _, d := range drift.Resources {
		byURN[d.URN] = d
	}
	var out []engine.DeployedResource
	for _, r := range recorded {
		d, drifted := byURN[r.URN]
		if drifted && d.Kind == engine.DriftDeleted {
			continue
		}
		if drifted {
			live := map[string]any{}
			for k, v := range r.Outputs {
				live[k] = v
			}
			for _, prop := range d.Properties {
				live[prop.Property] = prop.Live
			}
			r.Outputs = live
		}
		out = append(out, r)
	}
	return out
}

func printComplianceTrail(w io.Writer, f *trailcheck.Finding) {
	switch {
	case f == nil:
	case f.Delivering && len(f.Problems) == 0:
		fmt.Fprintf(w, "compliance trail (%s): %s delivers to %s\n", f.Seen, f.Trail, f.LogGroup)
	default:
		fmt.Fprintf(w, "WARNING compliance trail (%s):\n", f.Seen)
		for _, p := range f.Problems {
			fmt.Fprintf(w, "  %s\n", p)
		}
	}
}
