package provider

import (
	"errors"
	"fmt"

	"github.com/mlprov/mlprov/internal/iampolicy"
	"github.com/mlprov/mlprov/internal/iampolicy/providercalls"
	"github.com/mlprov/mlprov/test/fakeaws/cloudstate"
)

// ModelAuthorizer evaluates every call as AWS would evaluate the caller's
// identity policy: the call is mapped to the AWS API calls the real provider
// makes, as the independent model says (internal/iampolicy/providercalls,
// written from the Terraform AWS provider source, never from the table the
// policy is generated from), and any request not allowed fails the call
// with AccessDenied. A call the model does not list fails too, so the model
// and the double cannot drift apart.
type ModelAuthorizer struct {
	spec  PolicySpec
	model *providercalls.Model
	store *cloudstate.Store
}

// NewModelAuthorizer builds the authorizer of cfg over the store's resources.
func NewModelAuthorizer(cfg cloudstate.AuthorizerConfig, store *cloudstate.Store) (*ModelAuthorizer, error) {
	spec, err := parsePolicySpec(cfg)
	if err != nil {
		return nil, err
	}
	m, err := providercalls.Load()
	if err != nil {
		return nil, err
	}
	return &ModelAuthorizer{spec: spec, model: m, store: store}, nil
}

// modelOps maps the double's operations to the model's.
var modelOps = map[string]providercalls.Op{
	cloudstate.OpCreate: providercalls.Create, cloudstate.OpRead: providercalls.Read,
	cloudstate.OpUpdate: providercalls.Update, cloudstate.OpDelete: providercalls.Delete,
	cloudstate.OpInvoke: providercalls.Invoke,
}

// Authorize implements Authorizer.
func (a *ModelAuthorizer) Authorize(req AuthorizationRequest) error {
	op, ok := modelOps[req.Op]
	if !ok {
		return nil // configure and other engine plumbing reach no AWS API
	}
	res := providercalls.Resource{
		Type: req.Type, Name: req.Name, ID: req.ID, Inputs: req.Inputs,
		Account: req.Account, Region: req.Region, Lookup: a.lookup(req.Account, req.Region),
	}
	var olds map[string]any
	if req.ID != "" {
		// Reads and deletes carry no inputs; an update's stored inputs are
		// the olds it changes from.
		stored, err := a.store.GetResource(req.Type, req.ID)
		if err != nil && !errors.Is(err, cloudstate.ErrNotFound) {
			return err
		}
		olds = stored.Inputs
		if res.Inputs == nil {
			res.Inputs = stored.Inputs
		}
	}
	requests, err := a.model.Requests(res, op, olds)
	if err != nil {
		return fmt.Errorf("fakeaws: no such call in the provider model: %w", err)
	}
	for _, q := range requests {
		r := iampolicy.Request{Action: q.Action, Resource: q.Resource, Context: mergeContext(a.spec.Context, q.Context)}
		decision, err := iampolicy.Evaluate(a.spec.Documents, r)
		if err != nil {
			return fmt.Errorf("fakeaws: cannot evaluate the deployer policy: %w", err)
		}
		if decision != iampolicy.Allowed {
			return fmt.Errorf("fakeaws: AccessDenied: %s is not authorized to perform: %s on resource: %s because %s (%s, %s %s)",
				caller(a.spec.Context, req.Account), r.Action, r.Resource, denialReason(decision), q.API, req.Op, req.Type)
		}
	}
	return nil
}

// lookup finds a stored resource's inputs by its ARN (an alias's key).
func (a *ModelAuthorizer) lookup(account, region string) func(arn string) map[string]any {
	return func(arn string) map[string]any {
		all, err := a.store.Resources()
		if err != nil {
			return nil
		}
		for _, r := range all {
			own := providercalls.Resource{Type: r.Type, Name: r.Name, ID: r.ID, Inputs: r.Inputs, Account: account, Region: region}
			if a.model.SelfARN(own) == arn {
				return r.Inputs
			}
		}
		return nil
	}
}

// caller is the principal of the session (aws:PrincipalArn), as AWS names it.
func caller(ctx map[string][]string, account string) string {
	if p := ctx["aws:PrincipalArn"]; len(p) > 0 {
		return p[0]
	}
	return "arn:aws:iam::" + account + ":user/deployer"
}
