package provider

import (
	"fmt"

	"github.com/mlprov/mlprov/test/fakeaws/cloudstate"
)

// AuthorizationRequest describes one call the double is about to serve, in
// the terms an IAM policy check needs.
type AuthorizationRequest struct {
	Provider string // "aws" or "aws-native"
	Op       string // cloudstate.OpCreate, OpRead, OpUpdate, OpDelete, OpInvoke
	Type     string // resource type token or function token
	ID       string // "" before create
	Name     string // physical name, "" when none
	Account  string
	Region   string
	Inputs   map[string]any
}

// Authorizer decides whether the caller may make a call. It is consulted
// before every create, read, update, delete and invoke; a non-nil error fails
// the call with that message (as AWS's AccessDenied would) and persists nothing.
//
// The hook exists so that a test can enforce the deployer IAM policy mlprov
// generates: add a Kind to LoadAuthorizer that maps each request to IAM
// actions and resource ARNs and evaluates AuthorizerConfig.Policy.
type Authorizer interface {
	Authorize(AuthorizationRequest) error
}

// AllowAll permits every call; it is the default.
type AllowAll struct{}

// Authorize implements Authorizer.
func (AllowAll) Authorize(AuthorizationRequest) error { return nil }

// LoadAuthorizer builds the Authorizer that cfg (the state directory's
// authorizer.json) selects.
func LoadAuthorizer(cfg cloudstate.AuthorizerConfig) (Authorizer, error) {
	switch cfg.Kind {
	case "", "allow-all":
		return AllowAll{}, nil
	case PolicyAuthorizerKind:
		return loadPolicyAuthorizer(cfg)
	default:
		return nil, fmt.Errorf("fakeaws: %s: unknown authorizer kind %q (implemented: allow-all, %s)", cloudstate.AuthorizerFile, cfg.Kind, PolicyAuthorizerKind)
	}
}
