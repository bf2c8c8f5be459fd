package rules

func iam002() Rule {
	return Rule{
		ID:          "MLP-IAM-002",
		Name:        "iam-scoped-resources",
		Description: "Actions that support resource-level permissions are not granted on Resource \"*\".",
		Severity:    SeverityHigh,
		Enforcement: Mandatory,
		Remediation: "Name the product's resource ARNs in Resource; keep \"*\" only for actions AWS cannot scope (List*, Describe*, sts:GetCallerIdentity ...).",
		Peers:       Peers{Checkov: []string{"CKV_AWS_355"}, CDKNag: []string{"AwsSolutions-IAM5"}},
		Applies:     ofTypes(identityPolicyTypes...),
		Check: func(r Resource, _ Stack) Result {
			return checkStatements(r, func(s Statement, p *problems, where string) {
				if !s.Allows() {
					return
				}
				wildcard := len(s.NotResources) > 0
				for _, res := range s.Resources {
					wildcard = wildcard || res == "*"
				}
				if !wildcard {
					return
				}
				var scopable []string
				for _, a := range s.Actions {
					if needsResourceScope(a) {
						scopable = append(scopable, a)
					}
				}
				if len(scopable) > 0 || len(s.NotActions) > 0 {
					p.add("%s grants %v on every resource", where, append(scopable, s.NotActions...))
				}
			})
		},
	}
}
