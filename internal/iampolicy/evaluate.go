package iampolicy

import (
	"fmt"
	"strings"

	"github.com/mlprov/mlprov/internal/policydoc"
)

// Request is one authorization AWS makes: an action on a resource ARN, with
// the condition keys the request carries.
type Request struct {
	Action   string
	Resource string
	// Context maps condition keys (aws:ResourceTag/k, iam:PassedToService…)
	// to their values; a missing key is absent from the request.
	Context map[string][]string
}

func (r Request) String() string { return r.Action + " on " + r.Resource }

// Decision is the outcome of evaluating identity policies.
type Decision int

const (
	ImplicitDeny Decision = iota // no statement allows
	Allowed
	ExplicitDeny // a Deny statement matches: it beats every Allow
)

func (d Decision) String() string {
	return [...]string{"implicit deny", "allowed", "explicit deny"}[d]
}

// Evaluate applies AWS's identity-policy logic to one request: an explicit
// Deny wins, then any Allow, otherwise the request is implicitly denied.
// It supports what the deployer policy emits (Action, Resource with * and ?
// wildcards, and the condition operators in conditionOperators); a statement
// using anything else is an error, not a silent mismatch.
func Evaluate(docs []policydoc.Document, req Request) (Decision, error) {
	decision := ImplicitDeny
	for _, d := range docs {
		for _, s := range d.Statement {
			matched, err := statementMatches(s, req)
			if err != nil {
				return ImplicitDeny, fmt.Errorf("statement %q: %w", s.Sid, err)
			}
			if !matched {
				continue
			}
			switch s.Effect {
			case "Deny":
				return ExplicitDeny, nil
			case "Allow":
				decision = Allowed
			default:
				return ImplicitDeny, fmt.Errorf("statement %q: effect %q is neither Allow nor Deny", s.Sid, s.Effect)
			}
		}
	}
	return decision, nil
}

func statementMatches(s policydoc.Statement, req Request) (bool, error) {
	if s.Principal != nil {
		return false, fmt.Errorf("identity policies have no Principal")
	}
	if !anyMatch(s.Action, req.Action, true) || !anyMatch(s.Resource, req.Resource, false) {
		return false, nil
	}
	for op, keys := range s.Condition {
		for key, values := range keys {
			ok, err := conditionHolds(op, key, values, req.Context)
			if err != nil || !ok {
				return false, err
			}
		}
	}
	return true, nil
}

func anyMatch(patterns []string, value string, foldCase bool) bool {
	for _, p := range patterns {
		if foldCase {
			if wildcardMatch(strings.ToLower(p), strings.ToLower(value)) {
				return true
			}
		} else if wildcardMatch(p, value) {
			return true
		}
	}
	return false
}

// wildcardMatch matches IAM wildcards: * is any run of characters (also
// none), ? exactly one character.
func wildcardMatch(pattern, value string) bool {
	p, v := 0, 0
	star, mark := -1, 0
	for v < len(value) {
		switch {
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == value[v]):
			p++
			v++
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, v
			p++
		case star >= 0:
			p = star + 1
			mark++
			v = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// conditionOperators are the operators the evaluator implements; each
// compares one request value with one policy value.
var conditionOperators = map[string]struct {
	compare func(policyValue, requestValue string) bool
	negated bool
}{
	"StringEquals":    {func(p, r string) bool { return p == r }, false},
	"StringNotEquals": {func(p, r string) bool { return p == r }, true},
	"StringLike":      {wildcardMatch, false},
	"StringNotLike":   {wildcardMatch, true},
	"ArnEquals":       {func(p, r string) bool { return p == r }, false},
	"ArnLike":         {wildcardMatch, false},
	"ArnNotEquals":    {func(p, r string) bool { return p == r }, true},
	"ArnNotLike":      {wildcardMatch, true},
	"Bool":            {strings.EqualFold, false},
}

// conditionHolds evaluates one operator/key pair: the request matches when
// any of its values matches any policy value (negated operators: none does).
// A key absent from the request fails a positive operator and satisfies a
// negated one; the IfExists suffix makes an absent key satisfy any operator.
func conditionHolds(op, key string, values []string, ctx map[string][]string) (bool, error) {
	name, ifExists := strings.CutSuffix(op, "IfExists")
	o, ok := conditionOperators[name]
	if !ok {
		return false, fmt.Errorf("condition operator %q is not supported by the evaluator", op)
	}
	got, present := ctx[key]
	if !present {
		return ifExists || o.negated, nil
	}
	for _, g := range got {
		for _, v := range values {
			if o.compare(v, g) {
				return !o.negated, nil
			}
		}
	}
	return o.negated, nil
}
