package rules

// WaiverConfigPolicy is the policy whose engine configuration carries the
// waivers: `--policy-pack-config` JSON of the form
// {"MLP-WVR-001": {"waivers": [Waiver...], "now": "RFC 3339, tests only"}}.
const WaiverConfigPolicy = "MLP-WVR-001"

// PackConfig is the analyzer configuration the engine passes to the pack.
type PackConfig struct {
	Waivers []Waiver `json:"waivers,omitempty"`
	// Now overrides the clock that decides waiver expiry (tests only).
	Now string `json:"now,omitempty"`
}

// PackName is the policy pack's name (PulumiPolicy.yaml and the analyzer).
const PackName = "mlprov-policy-pack"
