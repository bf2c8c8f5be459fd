package rules

import (
	"encoding/json"
	"strings"
)

// approvedModelPattern judges an EventBridge pattern that starts a deploy:
// SageMaker model package state changes, status exactly Approved, in named
// model package groups (those of the stack, when it has any).
func approvedModelPattern(pattern Value, groups map[string]bool) Result {
	if pattern.ContainsUnknown() || strings.Contains(pattern.String(), UnknownMarker) {
		return CannotJudge("eventPattern")
	}
	var raw map[string]any
	if err := json.Unmarshal([]byte(pattern.String()), &raw); err != nil {
		if raw = pattern.Object(); raw == nil {
			return Violation("eventPattern is not a JSON event pattern")
		}
	}
	doc := Props(raw)
	var p problems
	if !contains(doc.Strings("source"), "aws.sagemaker") {
		p.add("the pattern does not filter on source aws.sagemaker")
	}
	status := doc.Get("detail.ModelApprovalStatus")
	if sts := status.Strings(); len(sts) != 1 || sts[0] != "Approved" || len(status.List()) != 1 {
		p.add("the pattern does not filter on detail.ModelApprovalStatus = [\"Approved\"]")
	}
	group := doc.Get("detail.ModelPackageGroupName")
	names := group.Strings()
	if len(names) == 0 || len(names) != len(group.List()) {
		p.add("the pattern does not name the model package group(s) in detail.ModelPackageGroupName")
	}
	if len(groups) > 0 {
		for _, n := range names {
			if !groups[n] {
				p.add("the pattern names model package group %q, which is not this product's", n)
			}
		}
	}
	return p.result()
}

// buildOnlyPipeline: the stack holds the pipeline of arn and none of its
// stages deploys (a source-change rule may start a build pipeline). A
// pipeline the stack does not hold counts as a deploy pipeline.
func buildOnlyPipeline(s Stack, arn string) bool {
	name := arn[strings.LastIndex(arn, ":")+1:]
	for _, pl := range s.OfType(typePipeline) {
		if pl.Props.String("name") != name {
			continue
		}
		if _, unknown := pl.Props.UnknownAt("stages"); unknown {
			return false
		}
		for _, st := range pl.Props.List("stages") {
			if isDeployStage(st.Object()) {
				return false
			}
		}
		return true
	}
	return false
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

func evt001() Rule {
	return Rule{
		ID:          "MLP-EVT-001",
		Name:        "deploy-trigger-approved-models-only",
		Description: "An EventBridge rule that starts a deploy pipeline fires only for models Approved in the product's model package group (rules starting a pipeline without a deploy stage are not judged).",
		Severity:    SeverityHigh,
		Enforcement: Mandatory,
		Remediation: "Filter the event pattern on source aws.sagemaker, detail.ModelApprovalStatus [\"Approved\"] and detail.ModelPackageGroupName [<this product's group>].",
		Applies:     ofTypes(typeEventRule),
		Check: func(r Resource, s Stack) Result {
			groups := map[string]bool{}
			for _, g := range s.OfType(typeModelPkgGroup, typeNativeModelPkg) {
				if n := g.Props.String("modelPackageGroupName"); n != "" {
					groups[n] = true
				}
			}
			verdict := approvedModelPattern(r.Props.Get("eventPattern"), groups)
			if verdict.Status != StatusViolation {
				return verdict
			}
			// The pattern is not a safe deploy trigger: it matters only if
			// the rule starts a pipeline.
			if s.Partial {
				return CannotJudge("the rule's targets (judged with the whole stack)")
			}
			refs := []string{r.Props.String("name"), r.Props.String("id"), r.Name, r.URN}
			for _, t := range s.OfType(typeEventTarget) {
				rule, arn := t.Props.Get("rule"), t.Props.Get("arn")
				if rule.Unknown() {
					return CannotJudge("eventTarget.rule")
				}
				if !contains(refs, rule.String()) {
					continue
				}
				if arn.Unknown() {
					return CannotJudge("eventTarget.arn")
				}
				if strings.Contains(arn.String(), ":codepipeline:") && !buildOnlyPipeline(s, arn.String()) {
					return verdict
				}
			}
			return Pass()
		},
	}
}
