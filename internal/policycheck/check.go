// Package policycheck judges a rendered provisioning template offline: the
// template's own structure, and every policy rule over its custom resources
// with the config's suppressions as waivers. It backs validate-prov-template.
package policycheck

import (
	"fmt"
	"strings"
	"time"

	"github.com/mlprov/mlprov/internal/naming"
	"github.com/mlprov/mlprov/internal/provtemplate"
	"github.com/mlprov/mlprov/policy-pack/rules"
)

// Result is the verdict on one template.
type Result struct {
	Findings []rules.Finding `json:"findings"`
	// Structural lists problems with the template itself.
	Structural []string `json:"structural"`
	// Mandatory counts blocking violations plus structural problems: a
	// command fails when it is > 0.
	Mandatory int `json:"mandatory"`
	Advisory  int `json:"advisory"`
	Unknown   int `json:"unknown"`
	Waived    int `json:"waived"`
}

// Passed reports whether nothing blocks.
func (r Result) Passed() bool { return r.Mandatory == 0 }

// Check runs the structural checks and every rule; now decides waiver expiry.
func Check(doc *provtemplate.Document, now time.Time) Result {
	res := Result{Structural: structural(doc)}
	res.Findings = rules.Evaluate(Stack(doc), Waivers(doc), now)
	res.Mandatory = len(res.Structural)
	for _, f := range res.Findings {
		switch {
		case f.Status == rules.StatusUnknown:
			res.Unknown++
		case f.Status == rules.StatusWaived:
			res.Waived++
		case f.Blocking():
			res.Mandatory++
		default:
			res.Advisory++
		}
	}
	return res
}

// Stack converts the template's custom resources into what rules judge.
func Stack(doc *provtemplate.Document) rules.Stack {
	var s rules.Stack
	for _, r := range doc.Custom() {
		s.Resources = append(s.Resources, rules.Resource{
			URN: r.URN, Type: r.Type, Name: r.LogicalName, Props: rules.NewProps(r.Inputs), Protect: r.Protect,
		})
	}
	return s
}

// Waivers are the template's suppressions.
func Waivers(doc *provtemplate.Document) []rules.Waiver {
	out := make([]rules.Waiver, 0, len(doc.Suppressions))
	for _, s := range doc.Suppressions {
		out = append(out, rules.Waiver{Rule: s.Rule, Resource: s.Resource, Reason: s.Reason, Owner: s.Owner, Expires: s.Expires})
	}
	return out
}

// stackType is the engine's root resource, a valid parent that templates
// may leave out.
const stackType = "pulumi:pulumi:Stack"

func structural(doc *provtemplate.Document) []string {
	var out []string
	add := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	if doc.FormatVersion != provtemplate.FormatVersion {
		add("format version %d, want %d: re-render the template with this mlprov", doc.FormatVersion, provtemplate.FormatVersion)
	}
	p := doc.Product
	for field, v := range map[string]string{"mlName": p.MLName, "tier": p.Tier, "env": p.Env, "region": p.Region, "accountId": p.AccountID, "scenario": p.Scenario, "stack": p.Stack, "project": p.Project} {
		if v == "" {
			add("product.%s is empty", field)
		}
	}
	urns := map[string]bool{}
	for _, r := range doc.Resources {
		if urns[r.URN] {
			add("URN %s appears more than once", r.URN)
		}
		urns[r.URN] = true
	}
	exists := func(urn string) bool { return urns[urn] || strings.Contains(urn, "::"+stackType+"::") }
	for _, r := range doc.Resources {
		if r.URN == "" {
			add("resource %q has no URN", r.LogicalName)
		}
		if r.Parent != "" && !exists(r.Parent) {
			add("%s: parent %s is not in the template", r.URN, r.Parent)
		}
		for _, d := range r.DependsOn {
			if !exists(d) {
				add("%s: dependency %s is not in the template", r.URN, d)
			}
		}
		if r.Custom && (r.Type == "" || r.Provider == "") {
			add("%s: custom resource needs a type and a provider (type %q, provider %q)", r.URN, r.Type, r.Provider)
		}
	}
	prefix := naming.SSMRoot + p.MLName + "/"
	for _, o := range doc.Outputs {
		if !strings.HasPrefix(o.Name, prefix) || len(o.Name) == len(prefix) {
			add("output %s: SSM parameter %q is not under %s", o.Key, o.Name, prefix)
		}
	}
	return out
}
