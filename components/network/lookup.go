package network

import (
	"fmt"
	"strings"

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
}

// Resolved is the VPC the endpoints go into.
type Resolved struct {
	VpcID     pulumi.StringOutput
	SubnetIDs pulumi.StringArrayOutput
	VpcCIDR   pulumi.StringOutput
	// SecurityGroupID is set when Placement.SecurityGroupParameter is.
	SecurityGroupID pulumi.StringOutput
}

// Resolve reads what the placement leaves to AWS (invokes, no resources).
func Resolve(ctx *pulumi.Context, p Placement, opts ...pulumi.InvokeOption) Resolved {
	var r Resolved
	if p.VPCIDParameter != "" {
		r.VpcID = parameter(ctx, p.VPCIDParameter, opts)
		r.SubnetIDs = parameter(ctx, p.SubnetIDsParameter, opts).ApplyT(splitList).(pulumi.StringArrayOutput)
	} else {
		r.VpcID = pulumi.String(p.VpcID).ToStringOutput()
		r.SubnetIDs = pulumi.ToStringArray(p.SubnetIDs).ToStringArrayOutput()
	}
	vpc := ec2.LookupVpcOutput(ctx, ec2.LookupVpcOutputArgs{Id: r.VpcID}, opts...)
	// Every resource in the VPC takes the checked id, so a VPC without DNS
	// fails the preview before anything is created.
	r.VpcID = vpc.ApplyT(func(v ec2.LookupVpcResult) (string, error) { return v.Id, CheckVpcDNS(v) }).(pulumi.StringOutput)
	r.VpcCIDR = vpc.CidrBlock()
	if p.SecurityGroupParameter != "" {
		r.SecurityGroupID = parameter(ctx, p.SecurityGroupParameter, opts)
	}
	return r
}

func parameter(ctx *pulumi.Context, name string, opts []pulumi.InvokeOption) pulumi.StringOutput {
	return ssm.LookupParameterOutput(ctx, ssm.LookupParameterOutputArgs{Name: pulumi.String(name)}, opts...).Value()
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
