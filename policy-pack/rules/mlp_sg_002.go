package rules

func sg002() Rule {
	return Rule{
		ID:          "MLP-SG-002",
		Name:        "endpoint-group-https-only",
		Description: "A security group guarding VPC endpoints admits only TCP 443.",
		Severity:    SeverityMedium,
		Enforcement: Mandatory,
		Remediation: "Limit the endpoint group's ingress to protocol tcp, ports 443-443, from the VPC CIDR.",
		Applies:     ofTypes(typeSecurityGroup, typeSGRule, typeSGIngressRule),
		Check: func(r Resource, s Stack) Result {
			group := r
			if r.Type != typeSecurityGroup {
				g, ok := groupOf(r, s)
				if !ok {
					return Pass()
				}
				group = g
			}
			if !isEndpointGroup(group, s) {
				return Pass()
			}
			sgRules, unknown := sgRulesOf(r)
			if unknown != "" {
				return CannotJudge(unknown)
			}
			var p problems
			for _, rule := range sgRules {
				if rule.ingress && !rule.httpsOnly() {
					p.add("%s admits %s %d-%d, not only tcp 443", rule.where, rule.protocol, rule.fromPort, rule.toPort)
				}
			}
			return p.result()
		},
	}
}
