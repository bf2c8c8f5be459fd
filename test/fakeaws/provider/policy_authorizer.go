package provider

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/mlprov/mlprov/components/policydoc"
	"github.com/mlprov/mlprov/internal/iampolicy"
	"github.com/mlprov/mlprov/internal/naming"
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

// PolicyAuthorizer evaluates every call as AWS would evaluate the caller's
// identity policy: the call is mapped to the IAM requests the real provider
// makes (iampolicy.Requests, the same table the policy is generated from),
// and any request not allowed fails the call with AccessDenied.
type PolicyAuthorizer struct {
	spec PolicySpec
	// resource returns a stored resource; reads and deletes carry no inputs,
	// and grants on referenced resources (an alias's key) need their tags.
	resource func(typ, id string) (cloudstate.Resource, error)
}

// NewPolicyAuthorizer builds the authorizer of cfg over the store's resources.
func NewPolicyAuthorizer(cfg cloudstate.AuthorizerConfig, store *cloudstate.Store) (*PolicyAuthorizer, error) {
	spec, err := parsePolicySpec(cfg)
	if err != nil {
		return nil, err
	}
	return &PolicyAuthorizer{spec: spec, resource: store.GetResource}, nil
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

// policyOps maps the double's operations to the provider operations of the table.
var policyOps = map[string]iampolicy.Op{
	cloudstate.OpCreate: iampolicy.Create, cloudstate.OpRead: iampolicy.Read,
	cloudstate.OpUpdate: iampolicy.Update, cloudstate.OpDelete: iampolicy.Delete,
	cloudstate.OpInvoke: iampolicy.Invoke,
}

// Authorize implements Authorizer.
func (a *PolicyAuthorizer) Authorize(req AuthorizationRequest) error {
	op, ok := policyOps[req.Op]
	if !ok {
		return nil // configure and other engine plumbing reach no AWS API
	}
	inputs := req.Inputs
	if inputs == nil && req.ID != "" {
		stored, err := a.resource(req.Type, req.ID)
		if err != nil && !errors.Is(err, cloudstate.ErrNotFound) {
			return err
		}
		inputs = stored.Inputs
	}
	target := iampolicy.Target{
		Type: req.Type, Name: req.Name, ID: req.ID, Inputs: inputs,
		ARNs: naming.ARNsFor(req.Account, req.Region),
		Related: func(typ, id string) map[string]any {
			r, err := a.resource(typ, id)
			if err != nil {
				return nil
			}
			return r.Inputs
		},
	}
	needs, err := iampolicy.Requests(target, op)
	if err != nil {
		return fmt.Errorf("fakeaws: AccessDenied: %w", err)
	}
	for _, n := range needs {
		r := n.Request
		r.Context = mergeContext(a.spec.Context, r.Context)
		decision, err := iampolicy.Evaluate(a.spec.Documents, r)
		if err != nil {
			return fmt.Errorf("fakeaws: cannot evaluate the deployer policy: %w", err)
		}
		if decision != iampolicy.Allowed {
			return fmt.Errorf("fakeaws: AccessDenied: User: arn:aws:iam::%s:user/deployer is not authorized to perform: %s on resource: %s because %s (%s %s)",
				req.Account, r.Action, r.Resource, denialReason(decision), req.Op, req.Type)
		}
	}
	return nil
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
	return NewPolicyAuthorizer(cfg, store)
}
