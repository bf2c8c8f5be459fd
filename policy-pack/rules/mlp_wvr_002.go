package rules

import "time"

func wvr002() Rule {
	return Rule{
		ID:          "MLP-WVR-002",
		Name:        "waiver-not-expired",
		Description: "A waiver is in force: its expiry date is today or later. An expired waiver fails the gate.",
		Severity:    SeverityHigh,
		Enforcement: Mandatory,
		Remediation: "Fix the waived finding, or renew the suppression with a new expiry date after review.",
		checkWaiver: func(w Waiver, _ func(string) bool, now time.Time) Result {
			if w.Expired(now) {
				return Violation("%s has expired (or its date is not YYYY-MM-DD); the finding it covered is reported again", w)
			}
			return Pass()
		},
	}
}
