// Package netpath decides, as AWS would, whether a CodeBuild project running
// in a VPC can make one AWS call without internet access: from its subnet,
// through its security groups' egress, to the VPC endpoint of the service
// (private DNS for an interface endpoint, a route for the S3 gateway), past
// the endpoint's security group and its endpoint policy. It reads only the
// fake cloud: the resources the engine created and the seeded VPC.
package netpath

import (
	"encoding/json"
	"fmt"
	"net"
	"slices"
	"strings"

	"github.com/mlprov/mlprov/internal/awstypes"
	"github.com/mlprov/mlprov/internal/iampolicy"
	"github.com/mlprov/mlprov/internal/policydoc"
	"github.com/mlprov/mlprov/test/fakeaws/cloudstate"
)

// Call is one request a build sends.
type Call struct {
	// Service is the endpoint service: "s3", "logs", "sts", "sagemaker.api"…
	Service  string
	Action   string
	Resource string
	// PrincipalAccount is the caller's account ("" for an unsigned call).
	PrincipalAccount string
}

// Cloud is what the check reads.
type Cloud struct {
	Resources []cloudstate.Resource
	VPCs      []cloudstate.SeededVPC
	Region    string
}

// https is the port every AWS API endpoint listens on.
const https = 443

// Reach returns nil when the build project can make the call, else what
// stops it.
func (c Cloud) Reach(project string, call Call) error {
	build, ok := c.find(awstypes.CodeBuildProject, func(r cloudstate.Resource) bool { return r.Name == project })
	if !ok {
		return fmt.Errorf("no CodeBuild project %s", project)
	}
	vc, _ := build.Inputs["vpcConfig"].(map[string]any)
	vpcID, _ := vc["vpcId"].(string)
	subnets, groups := strs(vc["subnets"]), strs(vc["securityGroupIds"])
	if vpcID == "" || len(subnets) == 0 || len(groups) == 0 {
		return fmt.Errorf("project %s does not run in a VPC (vpcConfig %v)", project, vc)
	}
	vpc, ok := c.vpc(vpcID)
	if !ok {
		return fmt.Errorf("project %s: VPC %s does not exist", project, vpcID)
	}
	service := "com.amazonaws." + c.Region + "." + call.Service
	for _, subnet := range subnets {
		if !slices.Contains(vpc.SubnetIDs, subnet) {
			return fmt.Errorf("project %s: subnet %s is not in VPC %s", project, subnet, vpcID)
		}
		ep, err := c.endpointFor(vpc, subnet, service)
		if err != nil {
			return fmt.Errorf("project %s in %s: %w", project, subnet, err)
		}
		if err := c.egressAllows(groups, vpc, ep); err != nil {
			return fmt.Errorf("project %s to %s: %w", project, ep.ID, err)
		}
		if err := c.endpointAccepts(ep, vpc, groups); err != nil {
			return fmt.Errorf("project %s to %s: %w", project, ep.ID, err)
		}
		if err := policyAllows(ep, call); err != nil {
			return fmt.Errorf("project %s through %s: %w", project, ep.ID, err)
		}
	}
	return nil
}

// endpointFor finds the endpoint a call from subnet to service takes.
// Gateway: "you add it as a target in your route table" — only subnets whose
// route table has the endpoint's route reach it
// (https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html#gateway-endpoint-routing).
// Interface: the SDKs call the service's public name, which resolves to the
// endpoint only with private DNS on and the VPC's DNS support and hostnames
// on (https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html#interface-endpoint-private-dns);
// otherwise the name resolves to public addresses a private subnet cannot reach.
func (c Cloud) endpointFor(vpc cloudstate.SeededVPC, subnet, service string) (cloudstate.Resource, error) {
	table := vpc.RouteTableOf(subnet)
	ep, ok := c.find(awstypes.VPCEndpoint, func(r cloudstate.Resource) bool {
		if r.Inputs["vpcId"] != vpc.ID || r.Inputs["serviceName"] != service {
			return false
		}
		if r.Inputs["vpcEndpointType"] == "Gateway" {
			return slices.Contains(strs(r.Inputs["routeTableIds"]), table)
		}
		return r.Inputs["privateDnsEnabled"] == true && !vpc.DNSSupportDisabled && !vpc.DNSHostnamesDisabled
	})
	if !ok {
		return ep, fmt.Errorf("no endpoint for %s reachable (route table %s, VPC DNS support %v, hostnames %v)",
			service, table, !vpc.DNSSupportDisabled, !vpc.DNSHostnamesDisabled)
	}
	return ep, nil
}

// egressAllows: a security group's egress must allow the traffic (groups
// are stateful, so the reply needs nothing). A gateway endpoint's
// destination is the service's prefix list
// (https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html: "You can reference the
// ID of the prefix list for Amazon S3 in security group rules"); an
// interface endpoint's is its network interfaces in the VPC.
func (c Cloud) egressAllows(groups []string, vpc cloudstate.SeededVPC, ep cloudstate.Resource) error {
	prefixList, _ := ep.Outputs["prefixListId"].(string)
	for _, id := range groups {
		g, ok := c.find(awstypes.SecurityGroup, func(r cloudstate.Resource) bool { return r.ID == id })
		if !ok {
			continue
		}
		for _, rule := range maps(g.Inputs["egress"]) {
			if !allowsHTTPS(rule) {
				continue
			}
			if ep.Inputs["vpcEndpointType"] == "Gateway" && (prefixList != "" && slices.Contains(strs(rule["prefixListIds"]), prefixList) || anyCIDRCovers(rule, "0.0.0.0/0")) {
				return nil
			}
			if ep.Inputs["vpcEndpointType"] != "Gateway" && anyCIDRCovers(rule, vpc.CidrBlock) {
				return nil
			}
		}
	}
	return fmt.Errorf("no egress rule of groups %v allows HTTPS to it", groups)
}

// endpointAccepts: "The security group associated with an interface
// endpoint must allow communication between the endpoint network interface
// and the resources in your VPC" — inbound HTTPS from the callers
// (https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html#create-interface-endpoint-aws).
// A gateway endpoint has no security group.
func (c Cloud) endpointAccepts(ep cloudstate.Resource, vpc cloudstate.SeededVPC, callerGroups []string) error {
	if ep.Inputs["vpcEndpointType"] == "Gateway" {
		return nil
	}
	for _, id := range strs(ep.Inputs["securityGroupIds"]) {
		g, ok := c.find(awstypes.SecurityGroup, func(r cloudstate.Resource) bool { return r.ID == id })
		if !ok {
			continue
		}
		for _, rule := range maps(g.Inputs["ingress"]) {
			if allowsHTTPS(rule) && (anyCIDRCovers(rule, vpc.CidrBlock) || slices.ContainsFunc(strs(rule["securityGroups"]), func(s string) bool { return slices.Contains(callerGroups, s) })) {
				return nil
			}
		}
	}
	return fmt.Errorf("its security groups %v accept no HTTPS from the build", ep.Inputs["securityGroupIds"])
}

// policyAllows evaluates the endpoint policy: a request through the
// endpoint must be allowed by it (no policy: AWS's default full access)
// (https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html).
// Statements for Principal * apply to every caller; others name principals
// this check does not model and are left out (they cannot widen access to
// a build of this account beyond its own grants).
func policyAllows(ep cloudstate.Resource, call Call) error {
	raw, _ := ep.Inputs["policy"].(string)
	if raw == "" {
		return nil
	}
	var doc policydoc.Document
	if err := json.Unmarshal([]byte(raw), &doc); err != nil {
		return fmt.Errorf("endpoint policy: %w", err)
	}
	var everyone []policydoc.Statement
	for _, s := range doc.Statement {
		if s.Principal != nil && slices.Equal(s.Principal.AWS, []string{"*"}) && len(s.Principal.Service) == 0 {
			s.Principal = nil
			everyone = append(everyone, s)
		}
	}
	ctx := map[string][]string{}
	if call.PrincipalAccount != "" {
		ctx["aws:PrincipalAccount"] = []string{call.PrincipalAccount}
	}
	decision, err := iampolicy.Evaluate([]policydoc.Document{policydoc.New(everyone...)},
		iampolicy.Request{Action: call.Action, Resource: call.Resource, Context: ctx})
	if err != nil {
		return err
	}
	if decision != iampolicy.Allowed {
		return fmt.Errorf("the endpoint policy refuses %s on %s (%s)", call.Action, call.Resource, decision)
	}
	return nil
}

func allowsHTTPS(rule map[string]any) bool {
	protocol, _ := rule["protocol"].(string)
	if protocol == "-1" || strings.EqualFold(protocol, "all") {
		return true
	}
	from, _ := rule["fromPort"].(float64)
	to, _ := rule["toPort"].(float64)
	return (protocol == "tcp" || protocol == "6") && from <= https && https <= to
}

// anyCIDRCovers: one of the rule's IPv4 ranges holds all of want.
func anyCIDRCovers(rule map[string]any, want string) bool {
	_, w, err := net.ParseCIDR(want)
	if err != nil {
		return false
	}
	wantBits, _ := w.Mask.Size()
	for _, cidr := range strs(rule["cidrBlocks"]) {
		_, n, err := net.ParseCIDR(cidr)
		if err != nil {
			continue
		}
		bits, _ := n.Mask.Size()
		if bits <= wantBits && n.Contains(w.IP) {
			return true
		}
	}
	return false
}

func (c Cloud) find(typ string, match func(cloudstate.Resource) bool) (cloudstate.Resource, bool) {
	for _, r := range c.Resources {
		if r.Type == typ && match(r) {
			return r, true
		}
	}
	return cloudstate.Resource{}, false
}

func (c Cloud) vpc(id string) (cloudstate.SeededVPC, bool) {
	for _, v := range c.VPCs {
		if v.ID == id {
			return v, true
		}
	}
	return cloudstate.SeededVPC{}, false
}

func strs(v any) []string {
	var out []string
	list, _ := v.([]any)
	for _, e := range list {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func maps(v any) []map[string]any {
	var out []map[string]any
	list, _ := v.([]any)
	for _, e := range list {
		if m, ok := e.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}
