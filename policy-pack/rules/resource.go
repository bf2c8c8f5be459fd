package rules

import (
	"strings"

	"github.com/mlprov/mlprov/internal/environments"
	"github.com/mlprov/mlprov/internal/tags"
	"github.com/mlprov/mlprov/internal/tiers"
)

// Resource is one resource as a rule sees it.
type Resource struct {
	URN  string `json:"urn"`
	Type string `json:"type"`
	// Name is the logical (Pulumi) name.
	Name  string `json:"name"`
	Props Props  `json:"props"`
	// Protect is the resource option (deletion protection in the engine).
	Protect bool `json:"protect,omitempty"`
}

// Stack is the set of resources judged together.
type Stack struct {
	Resources []Resource `json:"resources"`
	// Partial marks a stack holding only the resource under analysis (the
	// engine's per-resource Analyze): companion lookups answer "cannot judge
	// yet" instead of "missing", and stack rules are skipped.
	Partial bool `json:"partial,omitempty"`
}

// OfType returns the stack's resources of the given types.
func (s Stack) OfType(types ...string) []Resource {
	var out []Resource
	for _, r := range s.Resources {
		for _, t := range types {
			if r.Type == t {
				out = append(out, r)
				break
			}
		}
	}
	return out
}

// Tags returns the resource's tags (pulumi-aws map or aws-native key/value
// list, falling back to tagsAll) and whether they are still unknown.
func (r Resource) Tags() (map[string]string, bool) {
	for _, key := range []string{"tags", "tagsAll"} {
		v := r.Props.Get(key)
		if v.Unknown() {
			return nil, true
		}
		if !v.Present() {
			continue
		}
		out := map[string]string{}
		if obj := v.Object(); obj != nil {
			for k, e := range obj {
				if IsUnknown(e) {
					return nil, true
				}
				s, _ := e.(string)
				out[k] = s
			}
			return out, false
		}
		for _, e := range v.List() {
			if e.ContainsUnknown() {
				return nil, true
			}
			kv := e.Object()
			out[kv.String("key")] = kv.String("value")
		}
		return out, false
	}
	return nil, false
}

// Tag returns one tag value ("" when absent or unknown).
func (r Resource) Tag(key string) string {
	t, _ := r.Tags()
	return t[key]
}

// Tier is the resource's mlprov tier tag, lower-case.
func (r Resource) Tier() string { return strings.ToLower(r.Tag(tags.Tier)) }

// Env is the resource's mlprov environment tag, lower-case.
func (r Resource) Env() string { return strings.ToLower(r.Tag(tags.Env)) }

// TierEnterprise is the tier value enterprise-only rules apply to.
const TierEnterprise = tiers.Enterprise

// capabilities are what the resource's tier tag promises (internal/tiers);
// none for an untagged resource of a foreign stack.
func (r Resource) capabilities() tiers.Capabilities {
	c, _ := tiers.Of(r.Tier())
	return c
}

// environment is what the resource's environment tag asks for
// (internal/environments); the least strict for an untagged resource.
func (r Resource) environment() environments.Properties {
	p, _ := environments.Of(r.Env())
	return p
}

// tierGate answers for rules that hold only on tiers with a capability
// (customer managed key, boundary, private network): ok=false means stop
// and return res (a pass for other tiers, unknown when the tags are unknown).
func tierGate(r Resource, has func(tiers.Capabilities) bool) (res Result, ok bool) {
	if _, unknown := r.Tags(); unknown {
		return CannotJudge("tags"), false
	}
	if !has(r.capabilities()) {
		return Pass(), false
	}
	return Pass(), true
}

// Capability selectors of the tier-gated rules.
func customerManagedKey(c tiers.Capabilities) bool { return c.CustomerManagedKey }

// needsManualApproval reports whether an environment's deploys wait for a
// manual approval.
func needsManualApproval(env string) bool {
	p, _ := environments.Of(env)
	return p.ManualApproval
}

// enterpriseRequires judges an enterprise-only requirement that a property
// be set; missing is the violation message.
func enterpriseRequires(r Resource, has func(tiers.Capabilities) bool, path, missing string) Result {
	if res, ok := tierGate(r, has); !ok {
		return res
	}
	v := r.Props.Get(path)
	if v.Unknown() {
		return CannotJudge(path)
	}
	if v.String() == "" {
		return Violation("%s", missing)
	}
	return Pass()
}
