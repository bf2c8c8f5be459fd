package rules

func iam001() Rule {
	return Rule{
		ID:          "MLP-IAM-001",
		Name:        "iam-no-wildcard-actions",
		Description: "No identity policy statement allows every action (*) or every action of a service (service:*).",
		Severity:    SeverityCritical,
		Enforcement: Mandatory,
		Remediation: "List the specific actions the role needs instead of * or service:*; avoid Allow with NotAction.",
		Peers:       Peers{Checkov: []string{"CKV_AWS_62", "CKV_AWS_63"}, CDKNag: []string{"AwsSolutions-IAM5"}, SecurityHub: []string{"IAM.1", "IAM.21"}},
		Applies:     ofTypes(identityPolicyTypes...),
		Check: func(r Resource, _ Stack) Result {
			return checkStatements(r, func(s Statement, p *problems, where string) {
				if !s.Allows() {
					return
				}
				if len(s.NotActions) > 0 {
					p.add("%s allows everything except %v (Allow with NotAction)", where, s.NotActions)
				}
				for _, a := range s.Actions {
					if isServiceWildcard(a) {
						p.add("%s allows %q", where, a)
					}
				}
			})
		},
	}
}
