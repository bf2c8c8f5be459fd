package rules

import "time"

func wvr001() Rule {
	return Rule{
		ID:          "MLP-WVR-001",
		Name:        "waiver-valid",
		Description: "A waiver names a registered rule and a resource, and says why and who owns it.",
		Severity:    SeverityHigh,
		Enforcement: Mandatory,
		Remediation: "Fix the suppression: use a rule ID from the catalogue and fill resource, reason and owner.",
		checkWaiver: func(w Waiver, known func(string) bool, _ time.Time) Result {
			var p problems
			if !known(w.Rule) {
				p.add("%s names unknown rule %q", w, w.Rule)
			}
			if w.Resource == "" {
				p.add("%s names no resource", w)
			}
			if w.Reason == "" || w.Owner == "" {
				p.add("%s lacks a reason or an owner", w)
			}
			return p.result()
		},
	}
}
