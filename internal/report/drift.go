package report

import (
	"github.com/mlprov/mlprov/internal/trailcheck"
	"sort"
	"time"
)

// DriftInput is what check-drift hands the drift report. The engine maps its
// typed refresh-preview result onto it.
type DriftInput struct {
	Product   Summary
	CheckedAt time.Time
	Duration  time.Duration
	Drifts    []DriftedProperty
	// Checked is how many resources the refresh looked at.
	Checked int
	Now     time.Time
	Version string
	// ComplianceTrail is whether a trail delivers to the compliance log
	// group, as AWS reports it (nil for a product without one).
	ComplianceTrail *trailcheck.Finding
}

// DriftedProperty is one property that differs between state and cloud.
type DriftedProperty struct {
	URN         string `json:"urn"`
	Type        string `json:"type"`
	LogicalName string `json:"logicalName"`
	// Property is the path of the property ("" when the whole resource is gone).
	Property string `json:"property"`
	// Old is the value in the stack's state, New the value in the cloud
	// (any JSON value; nil when absent).
	Old any `json:"old"`
	New any `json:"new"`
	// Deleted marks a resource removed behind the engine's back.
	Deleted bool `json:"deleted,omitempty"`
	// SecurityRelevant marks encryption, access, network and IAM properties.
	SecurityRelevant bool `json:"securityRelevant"`
	// Concern says why it matters for security ("encryption", "network access").
	Concern string `json:"concern,omitempty"`
}

// Drift is the drift report and its JSON twin.
type Drift struct {
	Header
	CheckedAt        time.Time         `json:"checkedAt"`
	Duration         string            `json:"duration"`
	Checked          int               `json:"resourcesChecked"`
	DriftedResources int               `json:"driftedResources"`
	SecurityRelevant int               `json:"securityRelevant"`
	Drifts           []DriftedProperty `json:"drifts"`
	// ComplianceTrail: see DriftInput.
	ComplianceTrail *trailcheck.Finding `json:"complianceTrail,omitempty"`
}

// BuildDrift assembles the drift report, security-relevant drift first.
func BuildDrift(in DriftInput) Drift {
	d := Drift{
		Header: Header{Kind: KindDrift, Title: "Drift: " + in.Product.MLName, GeneratedAt: in.Now.UTC(),
			Generator: "mlprov " + in.Version, Product: in.Product},
		CheckedAt: in.CheckedAt.UTC(), Duration: in.Duration.Round(time.Millisecond).String(), Checked: in.Checked,
		Drifts: append([]DriftedProperty{}, in.Drifts...), ComplianceTrail: in.ComplianceTrail,
	}
	resources := map[string]bool{}
	for _, p := range d.Drifts {
		resources[p.URN] = true
		if p.SecurityRelevant {
			d.SecurityRelevant++
		}
	}
	d.DriftedResources = len(resources)
	sort.SliceStable(d.Drifts, func(i, j int) bool {
		a, b := d.Drifts[i], d.Drifts[j]
		if a.SecurityRelevant != b.SecurityRelevant {
			return a.SecurityRelevant
		}
		if a.LogicalName != b.LogicalName {
			return a.LogicalName < b.LogicalName
		}
		return a.Property < b.Property
	})
	return d
}

// WriteDrift builds the drift report and writes it to paths
// (PathsFor(workdir, names, KindDrift)).
func WriteDrift(paths Paths, in DriftInput) (Drift, error) {
	d := BuildDrift(in)
	return d, writeTwins(paths, KindDrift, d)
}
