package rules

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
)

// WaiverConfigPolicy is the policy whose engine configuration carries the
// waivers: `--policy-pack-config` JSON of the form
// {"MLP-WVR-001": {"waivers": [Waiver...]}}.
const WaiverConfigPolicy = "MLP-WVR-001"

// PackConfig is the waiver policy's configuration.
type PackConfig struct {
	Waivers []Waiver `json:"waivers,omitempty"`
}

// PackName is the policy pack's name (PulumiPolicy.yaml and the analyzer).
const PackName = "mlprov-policy-pack"

// PackVersion is the pack's version reported to the engine.
const PackVersion = "0.2.0"

// IdentityFlag makes the analyzer print Identity and exit: the handshake
// mlprov runs before it hands an analyzer executable to the engine.
const IdentityFlag = "-mlprov-identity"

// Identity names the pack, its version and a fingerprint of the catalogue
// (every rule's ID, enforcement and severity). mlprov and its analyzer are
// built from the same rules, so an analyzer answering anything else is
// another program or a stale build.
func Identity() string {
	h := sha256.New()
	for _, r := range All() {
		fmt.Fprintf(h, "%s|%s|%s\n", r.ID, r.Enforcement, r.Severity)
	}
	return PackName + " " + PackVersion + " " + hex.EncodeToString(h.Sum(nil))[:16]
}

// Disabled is the enforcement level that switches a rule off. The engine's
// levels are mandatory, advisory, remediate and disabled; mlprov's rules
// remediate nothing, so remediate acts as mandatory (as the engine itself
// treats a violation that survives remediation).
const (
	Disabled  Enforcement = "disabled"
	Remediate Enforcement = "remediate"
)

// AllPolicies is the config key Pulumi applies to every policy of a pack.
const AllPolicies = "all"

// Overrides are per-rule enforcement levels set through the engine's policy
// pack config (`--policy-pack-config`, Pulumi Cloud policy groups).
type Overrides map[string]Enforcement

// unlowerable are the rules whose enforcement cannot be lowered: they judge
// the waivers themselves, so lowering them would let an expired or unowned
// waiver silence a violation.
var unlowerable = map[string]bool{"MLP-WVR-001": true, "MLP-WVR-002": true}

// NewOverrides checks the levels the engine configured. Decision (README,
// "Decisions"): any rule may be set advisory or disabled by whoever runs the
// engine — the org admin's policy group or the user's own config, exactly as
// Pulumi documents for policy packs — except the waiver rules, which stay
// mandatory. mlprov's own commands never pass overrides. Unknown rule names
// and unknown levels are errors naming them.
func NewOverrides(levels map[string]Enforcement) (Overrides, error) {
	out := Overrides{}
	var unknown, invalid, locked []string
	for name, level := range levels {
		if name == AllPolicies {
			continue // the engine has already applied it to every rule
		}
		rule, ok := Lookup(name)
		if !ok {
			unknown = append(unknown, name)
			continue
		}
		switch level {
		case "", Mandatory, Remediate:
			level = Mandatory
		case Advisory, Disabled:
		default:
			invalid = append(invalid, fmt.Sprintf("%s: %q", name, level))
			continue
		}
		if unlowerable[rule.ID] && level != Mandatory {
			locked = append(locked, name)
			continue
		}
		if level != rule.Enforcement {
			out[rule.ID] = level
		}
	}
	var problems []string
	if len(unknown) > 0 {
		sort.Strings(unknown)
		problems = append(problems, "unknown rule(s) "+strings.Join(unknown, ", ")+" (the catalogue is policy-pack/RULES.md)")
	}
	if len(invalid) > 0 {
		sort.Strings(invalid)
		problems = append(problems, "invalid enforcement level(s) "+strings.Join(invalid, ", ")+" (use mandatory, advisory or disabled)")
	}
	if len(locked) > 0 {
		sort.Strings(locked)
		problems = append(problems, strings.Join(locked, ", ")+" judge the waivers and stay mandatory (set them \"mandatory\" when \"all\" lowers the rest)")
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("policy pack config: %s", strings.Join(problems, "; "))
	}
	return out, nil
}

// Apply sets each finding's enforcement from the overrides and drops the
// findings of disabled rules. A rule's own advisory results stay advisory
// when the rule is raised.
func (o Overrides) Apply(findings []Finding) []Finding {
	if len(o) == 0 {
		return findings
	}
	out := findings[:0:0]
	for _, f := range findings {
		switch o[f.RuleID] {
		case Disabled:
			continue
		case Advisory:
			f.Enforcement = Advisory
		}
		out = append(out, f)
	}
	return out
}

// Level is a rule's enforcement after the overrides.
func (o Overrides) Level(r Rule) Enforcement {
	if l, ok := o[r.ID]; ok {
		return l
	}
	return r.Enforcement
}
