package rules

func sg001() Rule {
	return Rule{
		ID:          "MLP-SG-001",
		Name:        "security-group-described-and-closed",
		Description: "Security groups and their rules are described, and no ingress is open to 0.0.0.0/0 or ::/0.",
		Severity:    SeverityHigh,
		Enforcement: Mandatory,
		Remediation: "Describe the group and every rule, and allow ingress only from the VPC CIDR or named security groups.",
		Peers:       Peers{Checkov: []string{"CKV_AWS_23", "CKV_AWS_277"}, SecurityHub: []string{"EC2.18"}},
		Applies:     ofTypes(securityGroupTypes...),
		Check: func(r Resource, _ Stack) Result {
			var p problems
			if r.Type == typeSecurityGroup {
				d := r.Props.Get("description")
				if d.Unknown() {
					return CannotJudge("description")
				}
				if d.String() == "" || d.String() == pulumiDefaultDescription {
					p.add("the group has no description of its own")
				}
			}
			sgRules, unknown := sgRulesOf(r)
			if unknown != "" {
				return CannotJudge(unknown)
			}
			for _, rule := range sgRules {
				if rule.description == "" {
					p.add("%s has no description", rule.where)
				}
				if rule.ingress && rule.openToWorld() {
					p.add("%s allows ingress from anywhere (%v)", rule.where, rule.cidrs)
				}
			}
			return p.result()
		},
	}
}
