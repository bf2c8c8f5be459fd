// Package awsrules makes the fakeaws test double answer as AWS does: before
// it persists a create, update or delete, the call's inputs are checked
// against the constraints of the real AWS API models (api.go, from
// aws-sdk-go's api-2.json via a hand-reviewed member map), the Terraform AWS
// provider's own argument validation, and AWS's documented rules the models
// do not carry (documented.go). A violation fails the call with AWS's error
// code and message shape. Every rule applied is returned, and the server
// records them in the call log, so a test can show which rules a lifecycle
// exercised. Test infrastructure only.
package awsrules

import (
	"fmt"
	"sort"
	"strings"

	"github.com/mlprov/mlprov/test/fakeaws/cloudstate"
)

// Request is one call the double is about to serve.
type Request struct {
	Op   string // cloudstate.OpCreate, OpUpdate or OpDelete
	Type string
	ID   string // "" before create
	// Inputs are the new inputs (create, update) or the engine's state of the
	// resource (delete: what the real provider reads, e.g. forceDestroy).
	Inputs  map[string]any
	Account string
	Region  string
	// Cloud is what else the account holds.
	Cloud Cloud
}

// Cloud is the read-only view of the fake cloud that cross-resource rules need.
type Cloud interface {
	Resources() ([]cloudstate.Resource, error)
	VPCs() ([]cloudstate.SeededVPC, error)
	GetResource(typ, id string) (cloudstate.Resource, error)
}

// Error is an AWS API error as the provider reports it.
type Error struct {
	Service, Operation string
	Status             int
	Code, Message      string
	// Rule names the rule that failed.
	Rule string
}

func (e *Error) Error() string {
	return fmt.Sprintf("operation error %s: %s, https response error StatusCode: %d, api error %s: %s (fakeaws rule %s)",
		e.Service, e.Operation, e.Status, e.Code, e.Message, e.Rule)
}

// rule is one named AWS behaviour.
type rule struct {
	name string
	// types and ops the rule applies to.
	types []string
	ops   []string
	check func(Request) *Error
}

func (r rule) applies(req Request) bool {
	return contains(r.types, req.Type) && contains(r.ops, req.Op)
}

// Check applies every rule to req and returns the names of the rules applied
// (in a stable order) and the first violation, if any: a documented rule's
// before a model constraint's, as its message is the more specific.
func Check(req Request) ([]string, error) {
	var applied []string
	add := func(name string) { applied = append(applied, name) }
	var first *Error
	for _, r := range documentedRules {
		if !r.applies(req) {
			continue
		}
		add(r.name)
		if err := r.check(req); err != nil && first == nil {
			err.Rule = r.name
			first = err
		}
	}
	if req.Op == cloudstate.OpCreate || req.Op == cloudstate.OpUpdate {
		for _, res := range checkAPIMembers(req.Type, req.Inputs) {
			add(res.rule)
			if res.err != nil && first == nil {
				first = res.err
			}
		}
	}
	sort.Strings(applied)
	applied = dedupe(applied)
	if first != nil {
		return applied, first
	}
	return applied, nil
}

// MappedTypes lists the resource types whose inputs are mapped to API members.
func MappedTypes() []string {
	out := make([]string, 0, len(memberMap))
	for t := range memberMap {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// RuleNames lists every documented rule (the model-derived checks are named
// api:<service>/<Operation>/<member>).
func RuleNames() []string {
	var out []string
	for _, r := range documentedRules {
		out = append(out, r.name)
	}
	sort.Strings(out)
	return out
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func dedupe(sorted []string) []string {
	out := sorted[:0]
	for i, s := range sorted {
		if i == 0 || s != sorted[i-1] {
			out = append(out, s)
		}
	}
	return out
}

// unknown reports values the double cannot judge: engine unknowns in a
// preview and the offline render's marked placeholders.
func unknown(s string) bool {
	return strings.Contains(s, "04da6b54-80e4-46f7-96ec-b56ff0331ba9") || strings.Contains(s, "offline-placeholder:") || s == "[unknown]" || s == "[secret]"
}
