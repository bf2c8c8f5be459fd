package rules

func cw001() Rule {
	return Rule{
		ID:          "MLP-CW-001",
		Name:        "alarm-has-actions",
		Description: "Alarms notify someone: they have an alarm action and actions are enabled.",
		Severity:    SeverityMedium,
		Enforcement: Mandatory,
		Remediation: "Set alarmActions to the security-alerts topic ARN and leave actionsEnabled true.",
		Peers:       Peers{Checkov: []string{"CKV_AWS_319"}},
		Applies:     ofTypes(typeMetricAlarm),
		Check: func(r Resource, _ Stack) Result {
			if p, unknown := r.Props.UnknownAt("actionsEnabled"); unknown {
				return CannotJudge(p)
			}
			actions := r.Props.Get("alarmActions")
			var p problems
			if !actions.Unknown() && len(actions.List()) == 0 {
				p.add("the alarm has no alarmActions")
			}
			if enabled := r.Props.Get("actionsEnabled"); enabled.Present() && !enabled.Bool() {
				p.add("actionsEnabled is false")
			}
			return p.result()
		},
	}
}
