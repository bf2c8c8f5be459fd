package rules

import (
	"strings"

	"github.com/mlprov/mlprov/internal/tags"
)

// isDeployStage reports whether a pipeline stage deploys: it is named so or
// holds a Deploy-category action.
func isDeployStage(stage Props) bool {
	if strings.Contains(strings.ToLower(stage.String("name")), "deploy") {
		return true
	}
	for _, a := range stage.List("actions") {
		if a.Object().String("category") == "Deploy" {
			return true
		}
	}
	return false
}

func isManualApproval(stage Props) bool {
	for _, a := range stage.List("actions") {
		if a.Object().String("category") == "Approval" && a.Object().String("provider") == "Manual" {
			return true
		}
	}
	return false
}

// stackEnv is the environment most resources of the stack are tagged with
// (used for pipelines without their own env tag).
func stackEnv(s Stack) string {
	for _, r := range s.Resources {
		if r.Tag(tags.ManagedBy) != "" && r.Env() != "" {
			return r.Env()
		}
	}
	return ""
}

func cp003() Rule {
	return Rule{
		ID:          "MLP-CP-003",
		Name:        "deploy-needs-manual-approval",
		Description: "In staging and prod, a deploy pipeline has a manual approval stage before its deploy stage.",
		Severity:    SeverityHigh,
		Enforcement: Mandatory,
		Remediation: "Add a stage with a Manual Approval action before the deploy stage (approval.manual_before_deploy: true).",
		CheckStack: func(s Stack) []Judgement {
			var out []Judgement
			fallbackEnv := stackEnv(s)
			for _, pl := range s.OfType(typePipeline) {
				judge := func(res Result) { out = append(out, Judgement{Resource: &pl, Result: res}) }
				env := pl.Env()
				if env == "" {
					env = fallbackEnv
				}
				if !needsManualApproval(env) {
					continue
				}
				if p, unknown := pl.Props.UnknownAt("stages"); unknown {
					judge(CannotJudge(p))
					continue
				}
				approved := false
				for i, st := range pl.Props.List("stages") {
					stage := st.Object()
					if i > 0 && isDeployStage(stage) {
						if !approved {
							judge(Violation("%s pipeline: stage %q deploys with no manual approval before it", env, stage.String("name")))
						}
						break
					}
					approved = approved || isManualApproval(stage)
				}
			}
			return out
		},
	}
}
