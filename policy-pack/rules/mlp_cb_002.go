package rules

func cb002() Rule {
	return Rule{
		ID:          "MLP-CB-002",
		Name:        "codebuild-logging",
		Description: "CodeBuild projects send build logs to CloudWatch Logs or S3.",
		Severity:    SeverityMedium,
		Enforcement: Mandatory,
		Remediation: "Set logsConfig.cloudwatchLogs (status ENABLED, groupName) or logsConfig.s3Logs (status ENABLED).",
		Peers:       Peers{Checkov: []string{"CKV_AWS_314"}, SecurityHub: []string{"CodeBuild.4"}},
		Applies:     ofTypes(typeCodeBuild),
		Check: func(r Resource, _ Stack) Result {
			if p, unknown := r.Props.UnknownAt("logsConfig"); unknown {
				return CannotJudge(p)
			}
			if !r.Props.Has("logsConfig") {
				return Violation("logsConfig is not set")
			}
			cloudwatch := r.Props.Has("logsConfig.cloudwatchLogs") && r.Props.String("logsConfig.cloudwatchLogs.status") != "DISABLED"
			s3 := r.Props.String("logsConfig.s3Logs.status") == "ENABLED"
			if !cloudwatch && !s3 {
				return Violation("neither CloudWatch Logs nor S3 logging is enabled")
			}
			return Pass()
		},
	}
}
