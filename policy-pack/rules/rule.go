// Package rules is mlprov's policy rule engine: every rule is a pure function
// over a resource (type token + properties) or over a whole stack. The same
// rules run offline over a rendered template (internal/policycheck) and inside
// the Pulumi engine as a CrossGuard analyzer (policy-pack/main.go). Rules judge
// what a resource is, so the pack works on any stack using these types.
package rules

import (
	"fmt"
	"strings"
	"time"
)

// Severity ranks how bad a violation is.
type Severity string

// Severities, lowest first.
const (
	SeverityLow      Severity = "low"
	SeverityMedium   Severity = "medium"
	SeverityHigh     Severity = "high"
	SeverityCritical Severity = "critical"
)

// Enforcement says whether a violation blocks a deployment.
type Enforcement string

// Enforcement levels.
const (
	Mandatory Enforcement = "mandatory"
	Advisory  Enforcement = "advisory"
)

// Status is the outcome of one judgement.
type Status string

// Statuses. Only violation, unknown and waived become findings.
const (
	StatusPass      Status = "pass"
	StatusViolation Status = "violation"
	// StatusUnknown means "cannot judge yet": a value the rule needs is
	// computed during preview; the rule is re-run after apply.
	StatusUnknown Status = "unknown"
	StatusWaived  Status = "waived"
)

// Peers are the equivalent checks in other tools, shown in reports.
type Peers struct {
	Checkov     []string `json:"checkov,omitempty"`
	Trivy       []string `json:"trivy,omitempty"`
	CDKNag      []string `json:"cdkNag,omitempty"`
	SecurityHub []string `json:"securityHub,omitempty"`
}

// All returns the peer IDs in one list (checkov, trivy, cdk-nag, Security Hub).
func (p Peers) All() []string {
	var out []string
	for _, ids := range [][]string{p.Checkov, p.Trivy, p.CDKNag, p.SecurityHub} {
		out = append(out, ids...)
	}
	return out
}

// Result is a rule's judgement of one resource (or of the stack).
type Result struct {
	Status  Status
	Message string
	// Advisory downgrades a violation of a mandatory rule to advisory (the
	// rule's softer threshold, e.g. a log retention under 365 days).
	Advisory bool
}

// Pass is a clean judgement (also used when a rule does not apply).
func Pass() Result { return Result{Status: StatusPass} }

// Violation is a failed judgement at the rule's enforcement level.
func Violation(format string, args ...any) Result {
	return Result{Status: StatusViolation, Message: fmt.Sprintf(format, args...)}
}

// AdvisoryViolation is a failed judgement that never blocks.
func AdvisoryViolation(format string, args ...any) Result {
	r := Violation(format, args...)
	r.Advisory = true
	return r
}

// CannotJudge is the answer when a property the rule needs is still unknown.
func CannotJudge(paths ...string) Result {
	return Result{Status: StatusUnknown, Message: "cannot judge yet: " + strings.Join(paths, ", ") + " is computed during preview; re-checked after apply"}
}

// problems collects the reasons of a multi-part rule into one result.
type problems []string

func (p *problems) add(format string, args ...any) { *p = append(*p, fmt.Sprintf(format, args...)) }

// result is a violation listing every problem, or a pass.
func (p problems) result() Result {
	if len(p) == 0 {
		return Pass()
	}
	return Violation("%s", strings.Join(p, "; "))
}

// Judgement is a stack rule's verdict on one resource (nil: the stack).
type Judgement struct {
	Resource *Resource
	Result   Result
}

// Rule is one policy with its metadata and judgement. Exactly one of Check,
// CheckStack or checkWaiver is set.
type Rule struct {
	ID          string
	Name        string
	Description string
	Severity    Severity
	Enforcement Enforcement
	Remediation string
	Peers       Peers
	// Applies selects the resources Check judges.
	Applies func(r Resource) bool
	// Check judges one resource; s gives access to its peers (companion
	// resources such as a bucket's encryption configuration).
	Check func(r Resource, s Stack) Result
	// CheckStack judges the stack as a whole; it is skipped on a partial stack.
	CheckStack func(s Stack) []Judgement
	// checkWaiver judges a waiver itself (MLP-WVR-*).
	checkWaiver func(w Waiver, known func(id string) bool, now time.Time) Result
}

// IsStackRule reports whether the rule needs the whole stack.
func (r Rule) IsStackRule() bool { return r.CheckStack != nil }

// IsWaiverRule reports whether the rule judges waivers rather than resources.
func (r Rule) IsWaiverRule() bool { return r.checkWaiver != nil }

// ofTypes is an Applies for a fixed set of type tokens.
func ofTypes(types ...string) func(Resource) bool {
	return func(r Resource) bool {
		for _, t := range types {
			if r.Type == t {
				return true
			}
		}
		return false
	}
}
