package rules

func cp002() Rule {
	return Rule{
		ID:          "MLP-CP-002",
		Name:        "codepipeline-v2",
		Description: "Pipelines use pipeline type V2 (triggers, variables, per-execution pricing).",
		Severity:    SeverityLow,
		Enforcement: Mandatory,
		Remediation: "Set pipelineType: V2.",
		Applies:     ofTypes(typePipeline),
		Check: func(r Resource, _ Stack) Result {
			v := r.Props.Get("pipelineType")
			if v.Unknown() {
				return CannotJudge("pipelineType")
			}
			if v.String() != "V2" {
				return Violation("pipelineType is %q (V1 when unset), not V2", v.String())
			}
			return Pass()
		},
	}
}
