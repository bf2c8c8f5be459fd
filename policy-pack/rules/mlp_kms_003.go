package rules

import (
	"github.com/mlprov/mlprov/internal/environments"
)

// Deletion windows in days: AWS's minimum we accept, and AWS's default.
// The environment's advice is internal/environments.
const (
	minKeyDeletionWindow = environments.MinKeyDeletionWindowDays
	defaultKeyDeletion   = 30
)

func kms003() Rule {
	return Rule{
		ID:          "MLP-KMS-003",
		Name:        "kms-key-description-and-deletion-window",
		Description: "A KMS key says what it protects and keeps a deletion window of at least 7 days (30 advised in prod).",
		Severity:    SeverityMedium,
		Enforcement: Mandatory,
		Remediation: "Give the key a description and a deletionWindowInDays of at least 7 (30 in prod).",
		Applies:     ofTypes(typeKMSKey, typeNativeKMSKey),
		Check: func(r Resource, _ Stack) Result {
			windowPath := "deletionWindowInDays"
			if r.Type == typeNativeKMSKey {
				windowPath = "pendingWindowInDays"
			}
			if p, unknown := r.Props.UnknownAt("description", windowPath); unknown {
				return CannotJudge(p)
			}
			window, set := r.Props.Int(windowPath)
			if !set {
				window = defaultKeyDeletion
			}
			var p problems
			if r.Props.String("description") == "" {
				p.add("the key has no description")
			}
			if window < minKeyDeletionWindow {
				p.add("%s is %d, below %d days", windowPath, window, minKeyDeletionWindow)
			}
			if len(p) > 0 {
				return p.result()
			}
			if advised := r.environment().KeyDeletionWindowDays; window < advised {
				return AdvisoryViolation("%s is %d; %d days is advised in %s", windowPath, window, advised, r.Env())
			}
			return Pass()
		},
	}
}
