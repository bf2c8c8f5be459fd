package engine

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto/optrefresh"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
)

// Drift kinds.
const (
	DriftChanged = "changed" // properties differ from the recorded state
	DriftDeleted = "deleted" // the resource no longer exists
)

// DriftedProperty is one property whose live value differs from the state.
type DriftedProperty struct {
	Property string `json:"property"`
	Recorded any    `json:"recorded"`
	Live     any    `json:"live"`
	// Security names the security concern when the property is
	// security-relevant ("" otherwise).
	Security string `json:"security,omitempty"`
}

// DriftedResource is one resource that drifted.
type DriftedResource struct {
	URN        string            `json:"urn"`
	Type       string            `json:"type"`
	Name       string            `json:"name"`
	Kind       string            `json:"kind"`
	Properties []DriftedProperty `json:"properties,omitempty"`
}

// SecurityRelevant reports whether any of its drift touches security.
func (d DriftedResource) SecurityRelevant() bool {
	if d.Kind == DriftDeleted {
		return true
	}
	for _, p := range d.Properties {
		if p.Security != "" {
			return true
		}
	}
	return false
}

// DriftReport is the result of a read-only refresh preview.
type DriftReport struct {
	Stack     string            `json:"stack"`
	Resources []DriftedResource `json:"resources"`
	Checked   int               `json:"checked"`
	Duration  time.Duration     `json:"durationNs"`
}

// HasDrift reports whether anything drifted.
func (r *DriftReport) HasDrift() bool { return len(r.Resources) > 0 }

// securityProperties is the one table of security-relevant properties (by
// top-level property name, any resource type) and the concern each touches.
var securityProperties = map[string]string{
	"serverSideEncryptionConfiguration": "encryption",
	"rules":                             "encryption",
	"kmsKeyId":                          "encryption",
	"kmsMasterKeyId":                    "encryption",
	"encryptionKey":                     "encryption",
	"encryptionConfiguration":           "encryption",
	"encryptionKeyArn":                  "encryption",
	"sseAlgorithm":                      "encryption",
	"enableKeyRotation":                 "key rotation",
	"deletionWindowInDays":              "key deletion",
	"policy":                            "access policy",
	"keyPolicy":                         "access policy",
	"assumeRolePolicy":                  "access policy",
	"inlinePolicies":                    "access policy",
	"policyDocument":                    "access policy",
	"managedPolicyArns":                 "access policy",
	"permissionsBoundary":               "permission boundary",
	"ingress":                           "security group rules",
	"egress":                            "security group rules",
	"cidrBlocks":                        "security group rules",
	"fromPort":                          "security group rules",
	"toPort":                            "security group rules",
	"blockPublicAcls":                   "public access",
	"blockPublicPolicy":                 "public access",
	"ignorePublicAcls":                  "public access",
	"restrictPublicBuckets":             "public access",
	"objectOwnership":                   "public access",
	"privateDnsEnabled":                 "network exposure",
	"securityGroupIds":                  "network exposure",
	"subnetIds":                         "network exposure",
	"vpcConfig":                         "network exposure",
	"privilegedMode":                    "build privileges",
	"versioningConfiguration":           "data protection",
	"retentionInDays":                   "audit logging",
	"logsConfig":                        "audit logging",
	// The compliance trail: a stopped, single-region or rerouted trail leaves
	// the compliance alarms blind.
	"enableLogging":              "audit logging",
	"isMultiRegionTrail":         "audit logging",
	"includeGlobalServiceEvents": "audit logging",
	"cloudWatchLogsGroupArn":     "audit logging",
}

// SecurityConcern is the security concern of a property, "" when none.
func SecurityConcern(property string) string {
	if i := strings.IndexAny(property, ".["); i >= 0 {
		property = property[:i]
	}
	return securityProperties[property]
}

// Drift runs a refresh preview: it reads every resource from the cloud and
// compares it with the state, writing nothing.
func (e *Engine) Drift(ctx context.Context, t Target) (*DriftReport, error) {
	op, err := e.open(ctx, t, existingOnly)
	if err != nil {
		return nil, err
	}
	defer op.close()
	c := newCollector(nil)
	c.run()
	start := time.Now()
	_, err = op.stack.PreviewRefresh(ctx, optrefresh.EventStreams(c.ch))
	c.wait(err)
	if _, err := e.finish(ctx, op, c, OpDrift, start, err); err != nil {
		return nil, err
	}
	report := &DriftReport{Stack: op.stack.Name(), Resources: driftOf(c.outputs), Duration: time.Since(start)}
	for _, s := range c.steps {
		if !internalType(s.Type) {
			report.Checked++
		}
	}
	return report, nil
}

// driftOf turns the refresh's completed steps into drifted resources: a
// refresh step completes as "same", "update" (with the differing properties)
// or "delete" (gone from the cloud).
func driftOf(steps []apitype.StepEventMetadata) []DriftedResource {
	out := []DriftedResource{}
	for _, s := range steps {
		if internalType(s.Type) || s.Op == apitype.OpSame || s.Op == apitype.OpRefresh {
			continue
		}
		d := DriftedResource{URN: s.URN, Type: s.Type, Name: nameOf(s.URN), Kind: DriftChanged}
		if s.Op == apitype.OpDelete || s.Op == apitype.OpReadDiscard || s.Op == apitype.OpDiscardReplaced || (s.New == nil && s.Old != nil) {
			d.Kind = DriftDeleted
		} else {
			d.Properties = driftedProperties(s)
			if len(d.Properties) == 0 {
				continue
			}
		}
		out = append(out, d)
	}
	return out
}

func driftedProperties(s apitype.StepEventMetadata) []DriftedProperty {
	var recorded, live map[string]any
	if s.Old != nil {
		recorded = s.Old.Outputs
	}
	if s.New != nil {
		live = s.New.Outputs
	}
	keys := s.Diffs
	if len(keys) == 0 {
		for k := range s.DetailedDiff {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	props := make([]DriftedProperty, 0, len(keys))
	for _, k := range keys {
		if strings.HasPrefix(k, "__") {
			continue
		}
		props = append(props, DriftedProperty{Property: k, Recorded: recorded[k], Live: live[k], Security: SecurityConcern(k)})
	}
	return props
}
