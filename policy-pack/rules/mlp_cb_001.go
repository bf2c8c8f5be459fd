package rules

func cb001() Rule {
	return Rule{
		ID:          "MLP-CB-001",
		Name:        "codebuild-not-privileged",
		Description: "CodeBuild projects do not run in privileged (Docker daemon) mode.",
		Severity:    SeverityHigh,
		Enforcement: Mandatory,
		Remediation: "Set environment.privilegedMode to false.",
		Peers:       Peers{Checkov: []string{"CKV_AWS_316"}, SecurityHub: []string{"CodeBuild.5"}},
		Applies:     ofTypes(typeCodeBuild),
		Check: func(r Resource, _ Stack) Result {
			const path = "environment.privilegedMode"
			if p, unknown := r.Props.UnknownAt(path); unknown {
				return CannotJudge(p)
			}
			if r.Props.Bool(path) {
				return Violation("the build environment runs in privileged mode")
			}
			return Pass()
		},
	}
}
