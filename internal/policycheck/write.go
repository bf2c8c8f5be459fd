package policycheck

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/mlprov/mlprov/policy-pack/rules"
)

// section is one group of the text report, in report order.
type section struct {
	title string
	keep  func(rules.Finding) bool
}

var textSections = []section{
	{"Mandatory violations", rules.Finding.Blocking},
	{"Advisory violations", func(f rules.Finding) bool { return f.Status == rules.StatusViolation && !f.Blocking() }},
	{"Cannot judge yet (computed values)", func(f rules.Finding) bool { return f.Status == rules.StatusUnknown }},
	{"Waived", func(f rules.Finding) bool { return f.Status == rules.StatusWaived }},
}

// WriteText writes a human report: structural problems, then findings
// grouped mandatory first, then a one-line summary.
func WriteText(w io.Writer, r Result) error {
	ew := &errWriter{w: w}
	if len(r.Structural) > 0 {
		ew.printf("Template structure (%d)\n", len(r.Structural))
		for _, s := range r.Structural {
			ew.printf("  - %s\n", s)
		}
		ew.printf("\n")
	}
	for _, sec := range textSections {
		var group []rules.Finding
		for _, f := range r.Findings {
			if sec.keep(f) {
				group = append(group, f)
			}
		}
		if len(group) == 0 {
			continue
		}
		ew.printf("%s (%d)\n", sec.title, len(group))
		for _, f := range group {
			ew.printf("  %s  %s (%s) [%s]\n      %s\n", f.RuleID, f.LogicalName, f.Type, f.Severity, f.Message)
			switch f.Status {
			case rules.StatusWaived:
				ew.printf("      waived: %s\n", f.WaivedBy)
			case rules.StatusViolation:
				ew.printf("      fix: %s\n", f.Remediation)
			}
		}
		ew.printf("\n")
	}
	ew.printf("%s\n", Summary(r))
	return ew.err
}

// Summary is the one-line verdict.
func Summary(r Result) string {
	verdict := "PASSED"
	if !r.Passed() {
		verdict = "FAILED"
	}
	return fmt.Sprintf("policy check %s: %d mandatory (incl. %d structural), %d advisory, %d cannot judge yet, %d waived",
		verdict, r.Mandatory, len(r.Structural), r.Advisory, r.Unknown, r.Waived)
}

// WriteJSON writes the result as indented JSON.
func WriteJSON(w io.Writer, r Result) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// errWriter keeps the first write error so the report reads straight.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}
