package rules

func vpc001() Rule {
	return Rule{
		ID:          "MLP-VPC-001",
		Name:        "interface-endpoint-private-dns-and-sg",
		Description: "Interface VPC endpoints have private DNS on and a security group.",
		Severity:    SeverityMedium,
		Enforcement: Mandatory,
		Remediation: "Set privateDnsEnabled: true and securityGroupIds on the interface endpoint.",
		Applies:     ofTypes(typeVPCEndpoint),
		Check: func(r Resource, _ Stack) Result {
			if p, unknown := r.Props.UnknownAt("vpcEndpointType", "privateDnsEnabled"); unknown {
				return CannotJudge(p)
			}
			if r.Props.String("vpcEndpointType") != "Interface" {
				return Pass()
			}
			var p problems
			if !r.Props.Bool("privateDnsEnabled") {
				p.add("private DNS is off")
			}
			if groups := r.Props.Get("securityGroupIds"); !groups.Unknown() && len(groups.List()) == 0 {
				p.add("no security group")
			}
			return p.result()
		},
	}
}
