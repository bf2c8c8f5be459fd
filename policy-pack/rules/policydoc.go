package rules

import (
	"encoding/json"
	"path"
	"strings"
)

// PolicyDocument is an IAM-style policy (identity, trust, key, bucket, topic
// or endpoint policy) normalised from a JSON string or an object.
type PolicyDocument struct {
	Statements []Statement
}

// Statement is one normalised policy statement.
type Statement struct {
	Sid          string
	Effect       string
	Actions      []string
	NotActions   []string
	Resources    []string
	NotResources []string
	Principal    Principal
	NotPrincipal bool
	Condition    map[string]any
}

// Principal is a statement's principal: "*" or principals by kind
// (AWS, Service, Federated, CanonicalUser).
type Principal struct {
	Any    bool
	ByKind map[string][]string
}

// Public reports whether the principal is everyone ("*" or AWS "*").
func (p Principal) Public() bool {
	if p.Any {
		return true
	}
	for _, id := range p.ByKind["AWS"] {
		if id == "*" {
			return true
		}
	}
	return false
}

// Allows reports whether the statement is an Allow.
func (s Statement) Allows() bool { return strings.EqualFold(s.Effect, "Allow") }

// Conditional reports whether the statement has conditions.
func (s Statement) Conditional() bool { return len(s.Condition) > 0 }

// AllowsAction reports whether the statement allows an action matching
// action (an exact "service:Name"), honouring wildcards and NotAction.
func (s Statement) AllowsAction(action string) bool {
	if !s.Allows() {
		return false
	}
	if len(s.NotActions) > 0 {
		return !anyActionMatches(s.NotActions, action)
	}
	return anyActionMatches(s.Actions, action)
}

// ConditionKey returns the values of a condition key under any operator
// (keys compare case-insensitively, as IAM does).
func (s Statement) ConditionKey(key string) ([]string, bool) {
	for _, byKey := range s.Condition {
		m, ok := byKey.(map[string]any)
		if !ok {
			continue
		}
		for k, v := range m {
			if strings.EqualFold(k, key) {
				return Value{raw: v, present: true}.Strings(), true
			}
		}
	}
	return nil, false
}

// policyState says what was found where a policy document was expected.
type policyState int

const (
	policyAbsent policyState = iota
	policyUnknown
	policyInvalid
	policyOK
)

// parsePolicy reads a policy document from a JSON string or an object.
func parsePolicy(v Value) (PolicyDocument, policyState) {
	if v.ContainsUnknown() {
		return PolicyDocument{}, policyUnknown
	}
	var raw map[string]any
	switch t := v.Raw().(type) {
	case nil:
		return PolicyDocument{}, policyAbsent
	case string:
		if strings.TrimSpace(t) == "" {
			return PolicyDocument{}, policyAbsent
		}
		if strings.Contains(t, UnknownMarker) {
			return PolicyDocument{}, policyUnknown
		}
		if err := json.Unmarshal([]byte(t), &raw); err != nil {
			return PolicyDocument{}, policyInvalid
		}
	default:
		raw = v.Object()
		if raw == nil {
			return PolicyDocument{}, policyInvalid
		}
	}
	doc := Props(raw)
	var out PolicyDocument
	for _, st := range doc.Get("Statement").List() {
		o := st.Object()
		if o == nil {
			return PolicyDocument{}, policyInvalid
		}
		s := Statement{
			Sid:          o.String("Sid"),
			Effect:       o.String("Effect"),
			Actions:      o.Strings("Action"),
			NotActions:   o.Strings("NotAction"),
			Resources:    o.Strings("Resource"),
			NotResources: o.Strings("NotResource"),
			NotPrincipal: o.Has("NotPrincipal"),
			Principal:    parsePrincipal(o.Get("Principal")),
		}
		if c := o.Get("Condition").Object(); c != nil {
			s.Condition = c
		}
		out.Statements = append(out.Statements, s)
	}
	return out, policyOK
}

func parsePrincipal(v Value) Principal {
	if v.String() == "*" {
		return Principal{Any: true}
	}
	p := Principal{ByKind: map[string][]string{}}
	for kind, ids := range v.Object() {
		p.ByKind[kind] = Value{raw: ids, present: true}.Strings()
	}
	return p
}

// policyResult turns a non-OK parse state into the rule's answer; ok=false
// means the caller stops with res.
func policyResult(state policyState, what string, required bool) (res Result, ok bool) {
	switch state {
	case policyUnknown:
		return CannotJudge(what), false
	case policyInvalid:
		return Violation("%s is not a valid policy document", what), false
	case policyAbsent:
		if required {
			return Violation("%s is missing", what), false
		}
		return Pass(), false
	}
	return Pass(), true
}

// anyActionMatches reports whether any IAM action pattern matches action.
func anyActionMatches(patterns []string, action string) bool {
	for _, p := range patterns {
		if actionMatches(p, action) {
			return true
		}
	}
	return false
}

// actionMatches compares an IAM action pattern (with * and ?) to an action,
// case-insensitively as IAM does.
func actionMatches(pattern, action string) bool {
	ok, err := path.Match(strings.ToLower(pattern), strings.ToLower(action))
	return err == nil && ok
}

// isServiceWildcard reports "*" or "service:*".
func isServiceWildcard(action string) bool {
	return action == "*" || strings.HasSuffix(action, ":*")
}
