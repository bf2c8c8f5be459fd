package alarmflow

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
)

// request is one call the flow makes on the account's behalf: a service
// principal (resource policies) or an identity (service == "") asking for
// action on resource, with the request context AWS adds.
type request struct {
	service  string
	action   string
	resource string
	context  map[string]string
}

// allowed judges a request against one policy document the way IAM's
// evaluation logic does for a single policy: an explicit Deny wins, else an
// applicable Allow allows, else it is implicitly denied
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
// It reads Effect, Principal (Service and "*"), Action, Resource and the
// string and ARN condition operators
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html);
// any other element or operator is an error, so a policy this small reader
// cannot judge is never silently passed.
func allowed(policyJSON string, r request) (bool, error) {
	var doc struct {
		Statement []map[string]json.RawMessage
	}
	if err := json.Unmarshal([]byte(policyJSON), &doc); err != nil {
		return false, fmt.Errorf("policy document: %w", err)
	}
	allow := false
	for i, st := range doc.Statement {
		applies, err := statementApplies(st, r)
		if err != nil {
			return false, fmt.Errorf("statement %d: %w", i, err)
		}
		if !applies {
			continue
		}
		var effect string
		_ = json.Unmarshal(st["Effect"], &effect)
		if effect == "Deny" {
			return false, nil
		}
		allow = allow || effect == "Allow"
	}
	return allow, nil
}

func statementApplies(st map[string]json.RawMessage, r request) (bool, error) {
	for key := range st {
		switch key {
		case "Sid", "Effect", "Principal", "Action", "Resource", "Condition":
		default:
			return false, fmt.Errorf("element %s is not read by the test double", key)
		}
	}
	if r.service != "" && !principalNames(st["Principal"], r.service) {
		return false, nil
	}
	actions, err := stringOrList(st["Action"])
	if err != nil {
		return false, fmt.Errorf("Action: %w", err)
	}
	if !anyWildcard(actions, r.action, true) {
		return false, nil
	}
	resources, err := stringOrList(st["Resource"])
	if err != nil {
		return false, fmt.Errorf("Resource: %w", err)
	}
	// A trust policy has no Resource: a resource policy's statements
	// apply to the resource that holds it.
	implicit := r.service != "" && st["Resource"] == nil
	if !implicit && !anyWildcard(resources, r.resource, false) {
		return false, nil
	}
	return conditionsHold(st["Condition"], r.context)
}

// principalNames reports whether the Principal element names the service
// (or everyone).
func principalNames(raw json.RawMessage, service string) bool {
	var star string
	if json.Unmarshal(raw, &star) == nil {
		return star == "*"
	}
	var p map[string]json.RawMessage
	if json.Unmarshal(raw, &p) != nil {
		return false
	}
	services, _ := stringOrList(p["Service"])
	aws, _ := stringOrList(p["AWS"])
	for _, s := range services {
		if s == service {
			return true
		}
	}
	for _, a := range aws {
		if a == "*" {
			return true
		}
	}
	return false
}

func conditionsHold(raw json.RawMessage, context map[string]string) (bool, error) {
	if len(raw) == 0 {
		return true, nil
	}
	var ops map[string]map[string]json.RawMessage
	if err := json.Unmarshal(raw, &ops); err != nil {
		return false, fmt.Errorf("Condition: %w", err)
	}
	for op, keys := range ops {
		for key, rawValues := range keys {
			values, err := stringOrList(rawValues)
			if err != nil {
				return false, fmt.Errorf("Condition %s %s: %w", op, key, err)
			}
			got, present := context[key]
			if !present {
				return false, nil // a condition on a key the request lacks does not hold
			}
			var hold bool
			switch op {
			case "StringEquals", "ArnEquals":
				hold = anyEqual(values, got)
			case "StringLike", "ArnLike":
				hold = anyWildcard(values, got, false)
			default:
				return false, fmt.Errorf("condition operator %s is not read by the test double", op)
			}
			if !hold {
				return false, nil
			}
		}
	}
	return true, nil
}

func stringOrList(raw json.RawMessage) ([]string, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return []string{one}, nil
	}
	var many []string
	err := json.Unmarshal(raw, &many)
	return many, err
}

func anyEqual(values []string, s string) bool {
	for _, v := range values {
		if v == s {
			return true
		}
	}
	return false
}

// anyWildcard matches s against patterns where * is any run of characters
// and ? one character; actions compare case-insensitively.
func anyWildcard(patterns []string, s string, ignoreCase bool) bool {
	for _, p := range patterns {
		expr := "^" + strings.NewReplacer(`\*`, ".*", `\?`, ".").Replace(regexp.QuoteMeta(p)) + "$"
		if ignoreCase {
			expr = "(?i)" + expr
		}
		if regexp.MustCompile(expr).MatchString(s) {
			return true
		}
	}
	return false
}
