package rules

// Log retention thresholds in days.
const (
	minLogRetention      = 90
	advisedLogRetention  = 365
	logRetentionProperty = "retentionInDays"
)

func log001() Rule {
	return Rule{
		ID:          "MLP-LOG-001",
		Name:        "log-retention",
		Description: "Log groups keep logs for a set period of at least 90 days (365 advised).",
		Severity:    SeverityMedium,
		Enforcement: Mandatory,
		Remediation: "Set retentionInDays to 90 or more (365 advised) — a CloudWatch-accepted value.",
		Peers:       Peers{Checkov: []string{"CKV_AWS_66", "CKV_AWS_338"}},
		Applies:     ofTypes(logGroupTypes...),
		Check: func(r Resource, _ Stack) Result {
			if p, unknown := r.Props.UnknownAt(logRetentionProperty); unknown {
				return CannotJudge(p)
			}
			days, _ := r.Props.Int(logRetentionProperty)
			switch {
			case days <= 0:
				return Violation("no retention set: logs are kept forever with no lifecycle")
			case days < minLogRetention:
				return Violation("retention is %d days, below %d", days, minLogRetention)
			case days < advisedLogRetention:
				return AdvisoryViolation("retention is %d days; %d is advised", days, advisedLogRetention)
			}
			return Pass()
		},
	}
}
