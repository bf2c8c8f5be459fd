package network

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// vpcMocks answers getVpc with the given DNS attributes (the fields of
// DescribeVpcAttribute that the provider's aws_vpc data source returns).
type vpcMocks struct{ dnsSupport, dnsHostnames bool }

func (m vpcMocks) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	return args.Name + "-id", args.Inputs, nil
}

func (m vpcMocks) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	return resource.NewPropertyMapFromMap(map[string]any{
		"id": args.Args["id"].StringValue(), "cidrBlock": "10.0.0.0/16",
		"enableDnsSupport": m.dnsSupport, "enableDnsHostnames": m.dnsHostnames,
	}), nil
}

// TestVpcWithoutDNSFailsThePreview: a resource in the VPC cannot be
// registered when the VPC lacks DNS support or hostnames, and the error says
// how to turn them on.
func TestVpcWithoutDNSFailsThePreview(t *testing.T) {
	for _, c := range []struct {
		mocks   vpcMocks
		wantErr string
	}{
		{vpcMocks{true, true}, ""},
		{vpcMocks{true, false}, "--enable-dns-hostnames"},
		{vpcMocks{false, true}, "--enable-dns-support"},
	} {
		err := pulumi.RunErr(func(ctx *pulumi.Context) error {
			where := Resolve(ctx, Placement{VpcID: "vpc-1", SubnetIDs: []string{"subnet-1"}})
			_, err := ec2.NewSecurityGroup(ctx, "sg", &ec2.SecurityGroupArgs{VpcId: where.VpcID})
			return err
		}, pulumi.WithMocks("p", "s", c.mocks))
		switch {
		case c.wantErr == "" && err != nil:
			t.Errorf("%+v: unexpected error %v", c.mocks, err)
		case c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr) || !strings.Contains(err.Error(), "vpc-1")):
			t.Errorf("%+v: error %v, want one naming vpc-1 and %s", c.mocks, err, c.wantErr)
		}
	}
}
