package iampolicy

import (
	"strings"

	"github.com/mlprov/mlprov/internal/naming"
	"github.com/mlprov/mlprov/internal/tags"
)

// Op is a provider operation on a resource, or an invoke of a data source.
type Op string

const (
	Create Op = "create"
	Read   Op = "read"
	Update Op = "update"
	Delete Op = "delete"
	Invoke Op = "invoke"
)

// Target is one resource (or data-source call) as a permission sees it. The
// same grant table answers two questions about it: which policy statements
// a product needs (policy mode: ids AWS generates are not known yet), and
// which requests one provider call makes (request mode).
type Target struct {
	// Type is the resource type token or the function token of an invoke.
	Type string
	// Name is the physical name ("" for resources without one).
	Name string
	// ID is the provider id; "" before create. Ignored in policy mode.
	ID string
	// Inputs are the resource inputs or the invoke arguments.
	Inputs map[string]any
	ARNs   naming.ARNs
	// Related returns the inputs of another resource of this product by
	// type and id (or ARN); nil when unknown. It lets a grant on a
	// referenced resource (the key an alias names) read that resource's tags.
	Related func(typ, id string) map[string]any
	// policy is true while generating the policy, for the product named
	// product (its ml_name).
	policy  bool
	product string
}

// generated is a generated id in an ARN: "*" in policy mode (AWS has not
// made it yet), the real id in request mode ("new" before create).
func (t Target) generated(id string) string {
	switch {
	case t.policy:
		return "*"
	case id == "":
		return "new"
	}
	return id
}

func (t Target) input(key string) string {
	s, _ := t.Inputs[key].(string)
	return s
}

// inputList reads a list of strings input.
func (t Target) inputList(key string) []string {
	var out []string
	if list, ok := t.Inputs[key].([]any); ok {
		for _, v := range list {
			if s, ok := v.(string); ok {
				out = append(out, s)
			}
		}
	}
	if list, ok := t.Inputs[key].([]string); ok {
		out = append(out, list...)
	}
	return out
}

// Tags returns the resource tags of inputs (see tags.FromInputs).
func Tags(inputs map[string]any) map[string]string { return tags.FromInputs(inputs) }

// productTag is the tag every scoping condition compares: the product's ml_name.
const productTag = tags.MLName

// lastSegment is the id at the end of an ARN ("arn:…:key/abc" → "abc"), or
// the value itself when it is no ARN.
func lastSegment(v string) string {
	if !strings.HasPrefix(v, "arn:") {
		return v
	}
	return v[strings.LastIndexAny(v, "/:")+1:]
}
