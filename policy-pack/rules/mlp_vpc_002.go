package rules

func vpc002() Rule {
	return Rule{
		ID:          "MLP-VPC-002",
		Name:        "endpoint-policy-restrictive",
		Description: "VPC endpoints have an endpoint policy, and it does not allow Principal * without conditions.",
		Severity:    SeverityMedium,
		Enforcement: Mandatory,
		Remediation: "Attach an endpoint policy limited to this account's principals (e.g. a condition on aws:PrincipalAccount).",
		Applies:     ofTypes(typeVPCEndpoint),
		Check:       func(r Resource, _ Stack) Result { return judgeNotPublic(r, "policy", true) },
	}
}
