package rules

import (
	"fmt"
	"strings"
)

// sgRule is one security group rule, inline or standalone, in one shape.
type sgRule struct {
	where       string
	ingress     bool
	description string
	protocol    string
	fromPort    int
	toPort      int
	cidrs       []string
}

// openToWorld reports whether an ingress rule admits any address.
func (r sgRule) openToWorld() bool {
	for _, c := range r.cidrs {
		if c == "0.0.0.0/0" || c == "::/0" {
			return true
		}
	}
	return false
}

// httpsOnly reports whether the rule admits only TCP 443.
func (r sgRule) httpsOnly() bool {
	p := strings.ToLower(r.protocol)
	return (p == "tcp" || p == "6") && r.fromPort == 443 && r.toPort == 443
}

// pulumiDefaultDescription is what pulumi-aws fills in when none is given.
const pulumiDefaultDescription = "Managed by Pulumi"

func readSGRule(where string, ingress bool, p Props) sgRule {
	from, _ := p.Int("fromPort")
	to, _ := p.Int("toPort")
	protocol := p.String("protocol")
	if protocol == "" {
		protocol = p.String("ipProtocol")
	}
	cidrs := append(p.Strings("cidrBlocks"), p.Strings("ipv6CidrBlocks")...)
	for _, path := range []string{"cidrIpv4", "cidrIpv6"} {
		if c := p.String(path); c != "" {
			cidrs = append(cidrs, c)
		}
	}
	return sgRule{where: where, ingress: ingress, description: p.String("description"), protocol: protocol, fromPort: from, toPort: to, cidrs: cidrs}
}

// sgRulesOf returns the rules a security group or standalone rule resource
// declares; a non-empty unknown names a property still computed.
func sgRulesOf(r Resource) (rules []sgRule, unknown string) {
	switch r.Type {
	case typeSecurityGroup:
		if p, u := r.Props.UnknownAt("ingress", "egress"); u {
			return nil, p
		}
		for _, dir := range []string{"ingress", "egress"} {
			for i, v := range r.Props.List(dir) {
				rules = append(rules, readSGRule(fmt.Sprintf("%s[%d]", dir, i), dir == "ingress", v.Object()))
			}
		}
	case typeSGRule:
		if p, u := r.Props.UnknownAt("type", "cidrBlocks", "ipv6CidrBlocks", "description", "fromPort", "toPort", "protocol"); u {
			return nil, p
		}
		rules = append(rules, readSGRule("rule", r.Props.String("type") == "ingress", r.Props))
	case typeSGIngressRule, typeSGEgressRule:
		if p, u := r.Props.UnknownAt("cidrIpv4", "cidrIpv6", "description", "fromPort", "toPort", "ipProtocol"); u {
			return nil, p
		}
		rules = append(rules, readSGRule("rule", r.Type == typeSGIngressRule, r.Props))
	}
	return rules, ""
}

// refersToGroup reports whether ref (a security group id, name, logical
// name or URN) names g; after apply the id also shows as the ARN's suffix.
func refersToGroup(ref string, g Resource) bool {
	if ref == "" {
		return false
	}
	if arn := g.Props.String("arn"); arn != "" && strings.HasSuffix(arn, "/"+ref) {
		return true
	}
	return contains([]string{g.Props.String("id"), g.Props.String("name"), g.Name, g.URN}, ref)
}

// isEndpointGroup reports whether a security group guards VPC endpoints: an
// endpoint in the stack uses it, or its name or description says so.
func isEndpointGroup(g Resource, s Stack) bool {
	text := strings.ToLower(g.Name + " " + g.Props.String("name") + " " + g.Props.String("description"))
	if strings.Contains(text, "endpoint") {
		return true
	}
	for _, e := range s.OfType(typeVPCEndpoint) {
		for _, id := range e.Props.Strings("securityGroupIds") {
			if refersToGroup(id, g) {
				return true
			}
		}
	}
	return false
}

// groupOf returns the security group a standalone rule belongs to.
func groupOf(rule Resource, s Stack) (Resource, bool) {
	ref := rule.Props.String("securityGroupId")
	for _, g := range s.OfType(typeSecurityGroup) {
		if refersToGroup(ref, g) {
			return g, true
		}
	}
	return Resource{}, false
}

var securityGroupTypes = []string{typeSecurityGroup, typeSGRule, typeSGIngressRule, typeSGEgressRule}
