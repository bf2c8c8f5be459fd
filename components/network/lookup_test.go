package network

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/mlprov/mlprov/internal/awstypes"
	"github.com/mlprov/mlprov/internal/naming"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// vpcMocks answers the lookups of Resolve the way the provider's data
// sources do: getVpc with the DNS attributes (DescribeVpcAttribute),
// getRouteTables by association filter, getVpcEndpoint failing with the
// provider's "no matching" error when the VPC has none
// (terraform-provider-aws internal/tfresource/not_found_error.go).
type vpcMocks struct {
	dnsSupport, dnsHostnames bool
	// explicit maps a subnet to its explicitly associated route table.
	explicit map[string]string
	// endpoints by service name.
	endpoints map[string]map[string]any
}

func (m vpcMocks) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	return args.Name + "-id", args.Inputs, nil
}

func (m vpcMocks) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	in := args.Args.Mappable()
	switch args.Token {
	case awstypes.GetVPC:
		return resource.NewPropertyMapFromMap(map[string]any{
			"id": in["id"], "cidrBlock": "10.0.0.0/16",
			"enableDnsSupport": m.dnsSupport, "enableDnsHostnames": m.dnsHostnames,
		}), nil
	case awstypes.GetRouteTables:
		filter := in["filters"].([]any)[0].(map[string]any)
		value := filter["values"].([]any)[0].(string)
		ids := []any{}
		switch filter["name"] {
		case "association.subnet-id":
			if t, ok := m.explicit[value]; ok {
				ids = append(ids, t)
			}
		case "association.main":
			ids = append(ids, "rtb-main")
		}
		return resource.NewPropertyMapFromMap(map[string]any{"ids": ids}), nil
	case awstypes.GetVPCEndpoint:
		if e, ok := m.endpoints[in["serviceName"].(string)]; ok {
			return resource.NewPropertyMapFromMap(e), nil
		}
		return nil, errors.New("no matching EC2 VPC Endpoint found")
	case awstypes.GetSecurityGroup:
		return nil, errors.New("no matching EC2 Security Group found")
	}
	return nil, errors.New("unexpected invoke " + args.Token)
}

var testARNs = naming.ARNs{Partition: "aws", Region: "eu-west-1", Account: "123456789012"}

func resolve(m vpcMocks, p Placement) (Resolved, error) {
	var r Resolved
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		var err error
		r, err = Resolve(ctx, p, Needs{Services: []string{S3, STS}, EndpointsGroupName: "eps", ARNs: testARNs})
		return err
	}, pulumi.WithMocks("p", "s", m))
	return r, err
}

var twoSubnets = Placement{VpcID: "vpc-1", SubnetIDs: []string{"subnet-1", "subnet-2"}}

// TestVpcWithoutDNSFailsThePreview: the lookup fails when the VPC lacks DNS
// support or hostnames, and the error says how to turn them on.
func TestVpcWithoutDNSFailsThePreview(t *testing.T) {
	for _, c := range []struct {
		mocks   vpcMocks
		wantErr string
	}{
		{vpcMocks{dnsSupport: true, dnsHostnames: true}, ""},
		{vpcMocks{dnsSupport: true}, "--enable-dns-hostnames"},
		{vpcMocks{dnsHostnames: true}, "--enable-dns-support"},
	} {
		_, err := resolve(c.mocks, twoSubnets)
		switch {
		case c.wantErr == "" && err != nil:
			t.Errorf("%+v: unexpected error %v", c.mocks, err)
		case c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr) || !strings.Contains(err.Error(), "vpc-1")):
			t.Errorf("%+v: error %v, want one naming vpc-1 and %s", c.mocks, err, c.wantErr)
		}
	}
}

// TestGatewayRouteTablesAreTheSubnets: without route_table_ids, the S3
// gateway goes on each subnet's explicit route table, or the main table for
// a subnet without one; given ids win.
func TestGatewayRouteTablesAreTheSubnets(t *testing.T) {
	dns := vpcMocks{dnsSupport: true, dnsHostnames: true}
	for _, c := range []struct {
		name     string
		explicit map[string]string
		given    []string
		want     []string
	}{
		{"both explicit", map[string]string{"subnet-1": "rtb-a", "subnet-2": "rtb-b"}, nil, []string{"rtb-a", "rtb-b"}},
		{"one shared table", map[string]string{"subnet-1": "rtb-a", "subnet-2": "rtb-a"}, nil, []string{"rtb-a"}},
		{"one on the main table", map[string]string{"subnet-1": "rtb-a"}, nil, []string{"rtb-a", "rtb-main"}},
		{"given", map[string]string{"subnet-1": "rtb-a"}, []string{"rtb-given"}, []string{"rtb-given"}},
	} {
		m := dns
		m.explicit = c.explicit
		p := twoSubnets
		p.RouteTableIDs = c.given
		r, err := resolve(m, p)
		if err != nil || !slices.Equal(r.RouteTableIDs, c.want) {
			t.Errorf("%s: route tables %v (%v), want %v", c.name, r.RouteTableIDs, err, c.want)
		}
	}
}

// TestExistingEndpointsAreFound: an endpoint the VPC has is reported with
// its id, groups and tags; a service without one is absent (not an error).
func TestExistingEndpointsAreFound(t *testing.T) {
	m := vpcMocks{dnsSupport: true, dnsHostnames: true, endpoints: map[string]map[string]any{
		testARNs.EndpointService(STS): {"id": "vpce-sts", "securityGroupIds": []any{"sg-other"}, "tags": map[string]any{"team": "net"}},
	}}
	r, err := resolve(m, twoSubnets)
	if err != nil {
		t.Fatal(err)
	}
	sts, ok := r.Existing[STS]
	if !ok || sts.ID != "vpce-sts" || !slices.Equal(sts.SecurityGroupIDs, []string{"sg-other"}) || sts.Tags["team"] != "net" {
		t.Errorf("sts endpoint: %+v (%v)", sts, ok)
	}
	if _, ok := r.Existing[S3]; ok {
		t.Errorf("s3: found an endpoint the VPC does not have: %+v", r.Existing[S3])
	}
}
