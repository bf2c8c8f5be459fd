package network

import (
	"fmt"
	"slices"
	"strings"

	"github.com/mlprov/mlprov/internal/naming"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ssm"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Placement says where the product's VPC and subnets are: given directly, or
// (when VPCIDParameter is set) read from SSM parameters a network provisioner
// published.
type Placement struct {
	VpcID     string
	SubnetIDs []string
	// VPCIDParameter and SubnetIDsParameter (a comma-separated StringList)
	// replace VpcID and SubnetIDs when set.
	VPCIDParameter, SubnetIDsParameter string
	// SecurityGroupParameter is read when the group is not created here.
	SecurityGroupParameter string
	// RouteTableIDs, when given, are the S3 gateway endpoint's route tables;
	// otherwise the private subnets' route tables are looked up.
	RouteTableIDs []string
}

// Resolved is the VPC the product goes into and what the VPC already has.
// Every value is plain: the lookups run in the preview, so a missing VPC, a
// VPC without DNS or an ambiguous endpoint stops it before anything changes.
type Resolved struct {
	VpcID     string
	SubnetIDs []string
	VpcCIDR   string
	// SecurityGroupID is set when Placement.SecurityGroupParameter is.
	SecurityGroupID string
	// RouteTableIDs are the private subnets' route tables (or the given ones).
	RouteTableIDs []string
	// Existing are the endpoints already in the VPC, by service.
	Existing map[string]ExistingEndpoint
	// OwnGroupID is the endpoints' security group this product created in an
	// earlier run (kept when the product was deleted), "" when none.
	OwnGroupID string
}

// ExistingEndpoint is an endpoint found in the VPC.
type ExistingEndpoint struct {
	ID               string
	SecurityGroupIDs []string
	// PrefixListID is the service's prefix list (the S3 gateway's routes).
	PrefixListID string
	// RouteTableIDs are a gateway endpoint's route tables.
	RouteTableIDs []string
	Tags          map[string]string
}

// Needs is what the product needs from the VPC.
type Needs struct {
	// Services are the endpoint services (interface and the S3 gateway).
	Services []string
	// EndpointsGroupName is the endpoints' security group this product
	// creates in standalone mode ("" in sgprov mode).
	EndpointsGroupName string
	ARNs               naming.ARNs
}

// Resolve reads what the placement leaves to AWS and what the VPC already
// has (invokes, no resources).
func Resolve(ctx *pulumi.Context, p Placement, needs Needs, opts ...pulumi.InvokeOption) (Resolved, error) {
	r := Resolved{VpcID: p.VpcID, SubnetIDs: p.SubnetIDs, Existing: map[string]ExistingEndpoint{}}
	var err error
	if p.VPCIDParameter != "" {
		if r.VpcID, err = parameter(ctx, p.VPCIDParameter, opts); err != nil {
			return r, err
		}
		subnets, err := parameter(ctx, p.SubnetIDsParameter, opts)
		if err != nil {
			return r, err
		}
		r.SubnetIDs = splitList(subnets)
	}
	vpc, err := ec2.LookupVpc(ctx, &ec2.LookupVpcArgs{Id: &r.VpcID}, opts...)
	if err != nil {
		return r, fmt.Errorf("looking up VPC %s: %w", r.VpcID, err)
	}
	if err := CheckVpcDNS(*vpc); err != nil {
		return r, err
	}
	r.VpcCIDR = vpc.CidrBlock
	if p.SecurityGroupParameter != "" {
		if r.SecurityGroupID, err = parameter(ctx, p.SecurityGroupParameter, opts); err != nil {
			return r, err
		}
	}
	if r.RouteTableIDs = p.RouteTableIDs; len(r.RouteTableIDs) == 0 {
		if r.RouteTableIDs, err = subnetRouteTables(ctx, r.VpcID, r.SubnetIDs, opts); err != nil {
			return r, err
		}
	}
	for _, service := range needs.Services {
		found, ok, err := existingEndpoint(ctx, r.VpcID, needs.ARNs.EndpointService(service), opts)
		if err != nil {
			return r, err
		}
		if ok {
			r.Existing[service] = found
		}
	}
	if needs.EndpointsGroupName != "" {
		r.OwnGroupID, err = keptEndpointsGroup(ctx, r.VpcID, needs.EndpointsGroupName, opts)
	}
	return r, err
}

func parameter(ctx *pulumi.Context, name string, opts []pulumi.InvokeOption) (string, error) {
	p, err := ssm.LookupParameter(ctx, &ssm.LookupParameterArgs{Name: name}, opts...)
	if err != nil {
		return "", fmt.Errorf("reading SSM parameter %s: %w", name, err)
	}
	return p.Value, nil
}

// splitList splits an SSM StringList value.
func splitList(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// subnetRouteTables finds the route table of each subnet: the one explicitly
// associated with it, else the VPC's main route table, which AWS uses for
// every subnet without an explicit association
// (https://docs.aws.amazon.com/vpc/latest/userguide/RouteTables.html#subnet-route-tables).
func subnetRouteTables(ctx *pulumi.Context, vpcID string, subnets []string, opts []pulumi.InvokeOption) ([]string, error) {
	var tables []string
	add := func(ids []string) {
		for _, id := range ids {
			if !slices.Contains(tables, id) {
				tables = append(tables, id)
			}
		}
	}
	usesMain := false
	for _, subnet := range subnets {
		found, err := routeTables(ctx, vpcID, "association.subnet-id", subnet, opts)
		if err != nil {
			return nil, err
		}
		if len(found) == 0 {
			usesMain = true
		}
		add(found)
	}
	if usesMain {
		main, err := routeTables(ctx, vpcID, "association.main", "true", opts)
		if err != nil {
			return nil, err
		}
		add(main)
	}
	return tables, nil
}

func routeTables(ctx *pulumi.Context, vpcID, filter, value string, opts []pulumi.InvokeOption) ([]string, error) {
	res, err := ec2.GetRouteTables(ctx, &ec2.GetRouteTablesArgs{
		VpcId:   &vpcID,
		Filters: []ec2.GetRouteTablesFilter{{Name: filter, Values: []string{value}}},
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("looking up the route tables of VPC %s (%s=%s): %w", vpcID, filter, value, err)
	}
	return res.Ids, nil
}

// The provider's singular data sources fail when nothing or more than one
// thing matches (terraform-provider-aws internal/tfresource/not_found_error.go,
// SingularDataSourceFindError); "nothing" is an answer here, not an error.
const (
	noMatch       = "no matching "
	multipleMatch = "multiple "
)

// existingEndpoint finds the endpoint for a service in the VPC, if any.
func existingEndpoint(ctx *pulumi.Context, vpcID, serviceName string, opts []pulumi.InvokeOption) (ExistingEndpoint, bool, error) {
	res, err := ec2.LookupVpcEndpoint(ctx, &ec2.LookupVpcEndpointArgs{
		VpcId:       &vpcID,
		ServiceName: &serviceName,
		// An endpoint being created or accepted counts; deleted, failed or
		// rejected ones do not (DescribeVpcEndpoints filter vpc-endpoint-state).
		Filters: []ec2.GetVpcEndpointFilter{{Name: "vpc-endpoint-state", Values: []string{"available", "pending", "pendingAcceptance"}}},
	}, opts...)
	switch {
	case err != nil && strings.Contains(err.Error(), noMatch):
		return ExistingEndpoint{}, false, nil
	case err != nil && strings.Contains(err.Error(), multipleMatch):
		return ExistingEndpoint{}, false, fmt.Errorf("VPC %s has several endpoints for %s: mlprov shares one endpoint per service and VPC; remove the extra ones or keep one (aws ec2 describe-vpc-endpoints --filters Name=vpc-id,Values=%s Name=service-name,Values=%s)", vpcID, serviceName, vpcID, serviceName)
	case err != nil:
		return ExistingEndpoint{}, false, fmt.Errorf("looking up the %s endpoint of VPC %s: %w", serviceName, vpcID, err)
	}
	return ExistingEndpoint{ID: res.Id, SecurityGroupIDs: res.SecurityGroupIds, PrefixListID: res.PrefixListId, RouteTableIDs: res.RouteTableIds, Tags: res.Tags}, true, nil
}

// keptEndpointsGroup finds the endpoints' security group this product
// created earlier (it stays with the endpoints when the product is deleted).
// Group names are unique in a VPC, and the product's is its own.
func keptEndpointsGroup(ctx *pulumi.Context, vpcID, name string, opts []pulumi.InvokeOption) (string, error) {
	res, err := ec2.LookupSecurityGroup(ctx, &ec2.LookupSecurityGroupArgs{VpcId: &vpcID, Name: &name}, opts...)
	switch {
	case err != nil && strings.Contains(err.Error(), noMatch):
		return "", nil
	case err != nil:
		return "", fmt.Errorf("looking up the endpoints' security group in VPC %s: %w", vpcID, err)
	}
	return res.Id, nil
}

// CheckVpcDNS: interface endpoints with private DNS need the VPC's DNS
// support and DNS hostnames, or AWS refuses them and builds resolve the
// public service names (https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-access-aws-services.html#interface-endpoint-private-dns).
func CheckVpcDNS(v ec2.LookupVpcResult) error {
	var off []string
	if !v.EnableDnsSupport {
		off = append(off, "enableDnsSupport")
	}
	if !v.EnableDnsHostnames {
		off = append(off, "enableDnsHostnames")
	}
	if len(off) == 0 {
		return nil
	}
	cmd := ""
	for _, attr := range off {
		cmd += fmt.Sprintf(" aws ec2 modify-vpc-attribute --vpc-id %s --%s '{\"Value\":true}';", v.Id, kebab(attr))
	}
	return fmt.Errorf("VPC %s has %s off: private endpoints need both DNS support and DNS hostnames; turn them on with:%s",
		v.Id, strings.Join(off, " and "), cmd)
}

// kebab turns enableDnsSupport into enable-dns-support (the CLI option).
func kebab(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= 'A' && r <= 'Z' {
			b.WriteByte('-')
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}
