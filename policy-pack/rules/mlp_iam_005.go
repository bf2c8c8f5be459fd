package rules

// passedToServiceKey is the condition key that limits which service a role
// can be passed to.
const passedToServiceKey = "iam:PassedToService"

func iam005() Rule {
	return Rule{
		ID:          "MLP-IAM-005",
		Name:        "iam-passrole-constrained",
		Description: "iam:PassRole is granted only on named roles and only to named services (iam:PassedToService).",
		Severity:    SeverityHigh,
		Enforcement: Mandatory,
		Remediation: "Scope iam:PassRole to the role ARNs and add a StringEquals condition on iam:PassedToService.",
		Peers:       Peers{Trivy: []string{"AVD-AWS-0342"}},
		Applies:     ofTypes(identityPolicyTypes...),
		Check: func(r Resource, _ Stack) Result {
			return checkStatements(r, func(s Statement, p *problems, where string) {
				if !s.AllowsAction("iam:PassRole") {
					return
				}
				for _, res := range s.Resources {
					if res == "*" {
						p.add("%s allows iam:PassRole on every role", where)
					}
				}
				if len(s.NotResources) > 0 {
					p.add("%s allows iam:PassRole with NotResource", where)
				}
				if _, ok := s.ConditionKey(passedToServiceKey); !ok {
					p.add("%s allows iam:PassRole without an %s condition", where, passedToServiceKey)
				}
			})
		},
	}
}
