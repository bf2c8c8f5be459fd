package engine

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Operations a Result describes.
const (
	OpPreview = "preview"
	OpUp      = "up"
	OpDestroy = "destroy"
	OpDrift   = "refresh-preview"
)

// Change is one resource step of an operation.
type Change struct {
	URN  string `json:"urn"`
	Type string `json:"type"`
	Name string `json:"name"`
	// Op is the engine's step: create, update, replace, delete, same, …
	Op string `json:"op"`
	// Diffs are the top-level properties that differ (update/replace).
	Diffs []string `json:"diffs,omitempty"`
}

// PolicyViolation is one policy pack finding reported by the engine.
type PolicyViolation struct {
	Policy      string `json:"policy"`
	Enforcement string `json:"enforcement"`
	URN         string `json:"urn,omitempty"`
	Message     string `json:"message"`
}

func (v PolicyViolation) String() string {
	where := "stack"
	if v.URN != "" {
		where = nameOf(v.URN)
	}
	return fmt.Sprintf("[%s] %s on %s: %s", v.Enforcement, v.Policy, where, firstLine(v.Message))
}

// Result is the typed outcome of a preview, up or destroy.
type Result struct {
	Stack     string `json:"stack"`
	Operation string `json:"operation"`
	// Changes lists every resource step other than "same", in event order.
	Changes []Change `json:"changes"`
	// Summary counts steps by op, "same" included.
	Summary map[string]int `json:"summary"`
	// Outputs are the stack outputs after an up.
	Outputs map[string]any `json:"outputs,omitempty"`
	// NotDeployed: a preview of a product with no stack in the backend (every
	// change is a create; nothing was created to preview it).
	NotDeployed bool `json:"notDeployed,omitempty"`
	// Advisory policy findings (mandatory ones fail the operation).
	Policy []PolicyViolation `json:"policy,omitempty"`
	// Warnings are the program's warnings to the user (a check at preview
	// that does not stop the deploy, e.g. S3 source events off).
	Warnings []string      `json:"warnings,omitempty"`
	Duration time.Duration `json:"durationNs"`
	// State is what the stack holds after an up, also a failed one (nil
	// when it could not be read): read in the up's own workspace from the
	// export that also gave Outputs, so the report needs no CLI call.
	State *Deployment `json:"-"`
}

// ChangeCount is the number of resources that would change or changed.
func (r *Result) ChangeCount() int {
	n := 0
	for op, c := range r.Summary {
		if op != "same" {
			n += c
		}
	}
	return n
}

// SummaryLine is "3 to create, 1 to update, 40 unchanged" style text.
func (r *Result) SummaryLine() string {
	ops := make([]string, 0, len(r.Summary))
	for op := range r.Summary {
		ops = append(ops, op)
	}
	sort.Strings(ops)
	parts := make([]string, 0, len(ops))
	for _, op := range ops {
		parts = append(parts, fmt.Sprintf("%d %s", r.Summary[op], op))
	}
	if len(parts) == 0 {
		return "no resources"
	}
	return strings.Join(parts, ", ")
}

// nameOf is the logical name at the end of a URN.
func nameOf(urn string) string {
	if i := strings.LastIndex(urn, "::"); i >= 0 {
		return urn[i+2:]
	}
	return urn
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
