package rules

// publicStatements lists the Allow statements open to everyone without
// conditions.
func publicStatements(doc PolicyDocument) []int {
	var out []int
	for i, s := range doc.Statements {
		if s.Allows() && (s.Principal.Public() || s.NotPrincipal) && !s.Conditional() {
			out = append(out, i)
		}
	}
	return out
}

// judgeNotPublic judges a resource policy at path: it must not allow
// everyone without conditions (required: it must also be present).
func judgeNotPublic(r Resource, path string, required bool) Result {
	doc, state := parsePolicy(r.Props.Get(path))
	if res, ok := policyResult(state, path, required); !ok {
		return res
	}
	if open := publicStatements(doc); len(open) > 0 {
		return Violation("%s statements %v allow Principal * without conditions", path, open)
	}
	return Pass()
}

func sns002() Rule {
	return Rule{
		ID:          "MLP-SNS-002",
		Name:        "sns-topic-policy-not-public",
		Description: "A topic policy grants nothing to everyone without conditions.",
		Severity:    SeverityHigh,
		Enforcement: Mandatory,
		Remediation: "Name the publishing principals (e.g. cloudwatch.amazonaws.com, codestar-notifications) or add aws:SourceAccount / aws:SourceArn conditions.",
		Peers:       Peers{Checkov: []string{"CKV_AWS_169"}, SecurityHub: []string{"SNS.4"}},
		Applies:     ofTypes(typeTopic, typeTopicPolicy),
		Check:       func(r Resource, _ Stack) Result { return judgeNotPublic(r, "policy", false) },
	}
}
