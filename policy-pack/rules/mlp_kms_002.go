package rules

func kms002() Rule {
	return Rule{
		ID:          "MLP-KMS-002",
		Name:        "kms-key-policy-not-public",
		Description: "A key policy grants nothing to a wildcard principal without conditions, and never bypasses the lockout safety check.",
		Severity:    SeverityCritical,
		Enforcement: Mandatory,
		Remediation: "Name specific principals (account root, product roles, service principals) in the key policy and drop bypassPolicyLockoutSafetyCheck.",
		Peers:       Peers{Checkov: []string{"CKV_AWS_33"}, SecurityHub: []string{"KMS.5"}},
		Applies:     ofTypes(typeKMSKey, typeNativeKMSKey, typeKMSKeyPolicy),
		Check: func(r Resource, _ Stack) Result {
			policyPath := kmsPolicyPath(r)
			if p, unknown := r.Props.UnknownAt("bypassPolicyLockoutSafetyCheck"); unknown {
				return CannotJudge(p)
			}
			var p problems
			if r.Props.Bool("bypassPolicyLockoutSafetyCheck") {
				p.add("bypassPolicyLockoutSafetyCheck is true")
			}
			doc, state := parsePolicy(r.Props.Get(policyPath))
			switch state {
			case policyUnknown:
				if len(p) == 0 {
					return CannotJudge(policyPath)
				}
			case policyInvalid:
				p.add("%s is not a valid policy document", policyPath)
			}
			for i, s := range doc.Statements {
				if s.Allows() && s.Principal.Public() && !s.Conditional() {
					p.add("statement %d %q allows principal * without conditions", i, s.Sid)
				}
			}
			return p.result()
		},
	}
}
