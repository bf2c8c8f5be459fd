package provider

import (
	"encoding/json"
	"fmt"

	"github.com/mlprov/mlprov/internal/iampolicy"
	"github.com/mlprov/mlprov/internal/policydoc"
	"github.com/mlprov/mlprov/test/fakeaws/cloudstate"
)

// PolicyAuthorizerKind selects PolicyAuthorizer in authorizer.json.
const PolicyAuthorizerKind = "deployer-policy"

// PolicySpec is the Policy field of a deployer-policy authorizer.json: the
// identity policy documents of the caller (mlprov's generated deployer
// policy) and request context the caller always carries (for example
// aws:MultiFactorAuthPresent).
type PolicySpec struct {
	Documents []policydoc.Document `json:"documents"`
	Context   map[string][]string  `json:"context,omitempty"`
}

// NewPolicyAuthorizerConfig is the authorizer.json that makes the plugins
// enforce docs (control.SetAuthorizer writes it).
func NewPolicyAuthorizerConfig(docs []policydoc.Document, context map[string][]string) (cloudstate.AuthorizerConfig, error) {
	raw, err := json.Marshal(PolicySpec{Documents: docs, Context: context})
	return cloudstate.AuthorizerConfig{Kind: PolicyAuthorizerKind, Policy: raw}, err
}

func parsePolicySpec(cfg cloudstate.AuthorizerConfig) (PolicySpec, error) {
	var spec PolicySpec
	if err := json.Unmarshal(cfg.Policy, &spec); err != nil {
		return spec, fmt.Errorf("fakeaws: %s: policy of kind %s: %w", cloudstate.AuthorizerFile, PolicyAuthorizerKind, err)
	}
	if len(spec.Documents) == 0 {
		return spec, fmt.Errorf("fakeaws: %s: kind %s needs policy.documents", cloudstate.AuthorizerFile, PolicyAuthorizerKind)
	}
	return spec, nil
}

func denialReason(d iampolicy.Decision) string {
	if d == iampolicy.ExplicitDeny {
		return "an explicit deny in an identity-based policy applies"
	}
	return "no identity-based policy allows the action"
}

func mergeContext(layers ...map[string][]string) map[string][]string {
	out := map[string][]string{}
	for _, l := range layers {
		for k, v := range l {
			out[k] = v
		}
	}
	return out
}

// loadPolicyAuthorizer opens the state directory the plugin serves.
func loadPolicyAuthorizer(cfg cloudstate.AuthorizerConfig) (Authorizer, error) {
	if _, err := parsePolicySpec(cfg); err != nil {
		return nil, err
	}
	store, err := cloudstate.OpenFromEnv()
	if err != nil {
		return nil, fmt.Errorf("fakeaws: %s authorizer: %w", PolicyAuthorizerKind, err)
	}
	return NewModelAuthorizer(cfg, store)
}
