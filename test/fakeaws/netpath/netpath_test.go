package netpath

import (
	"strings"
	"testing"

	"github.com/mlprov/mlprov/internal/awstypes"
	"github.com/mlprov/mlprov/test/fakeaws/cloudstate"
)

const region = "eu-west-1"

func httpsRule(target string, cidrs []any, prefixLists []any) map[string]any {
	return map[string]any{"protocol": "tcp", "fromPort": 443.0, "toPort": 443.0, "cidrBlocks": cidrs, "prefixListIds": prefixLists, "description": target}
}

// privateBuild is a build in a private subnet with what it needs: a builds'
// group with HTTPS out to the VPC and the S3 prefix list, an interface sts
// endpoint with private DNS whose group accepts HTTPS from the VPC, an S3
// gateway on the subnet's (main) route table; policies for the account.
func privateBuild() Cloud {
	vpc := cloudstate.SeededVPC{ID: "vpc-1", CidrBlock: "10.1.0.0/16", SubnetIDs: []string{"subnet-1"}}
	policy := `{"Statement":[{"Effect":"Allow","Principal":{"AWS":["*"]},"Action":["*"],"Resource":["*"],"Condition":{"StringEquals":{"aws:PrincipalAccount":["111122223333"]}}}]}`
	return Cloud{Region: region, VPCs: []cloudstate.SeededVPC{vpc}, Resources: []cloudstate.Resource{
		{Type: awstypes.CodeBuildProject, ID: "build", Name: "build", Inputs: map[string]any{"vpcConfig": map[string]any{
			"vpcId": "vpc-1", "subnets": []any{"subnet-1"}, "securityGroupIds": []any{"sg-builds"}}}},
		{Type: awstypes.SecurityGroup, ID: "sg-builds", Inputs: map[string]any{"egress": []any{
			httpsRule("vpc", []any{"10.1.0.0/16"}, nil), httpsRule("s3", nil, []any{"pl-s3"})}}},
		{Type: awstypes.SecurityGroup, ID: "sg-endpoints", Inputs: map[string]any{"ingress": []any{httpsRule("vpc", []any{"10.1.0.0/16"}, nil)}}},
		{Type: awstypes.VPCEndpoint, ID: "vpce-sts", Inputs: map[string]any{"vpcId": "vpc-1", "serviceName": "com.amazonaws." + region + ".sts",
			"vpcEndpointType": "Interface", "privateDnsEnabled": true, "securityGroupIds": []any{"sg-endpoints"}, "policy": policy}},
		{Type: awstypes.VPCEndpoint, ID: "vpce-s3", Inputs: map[string]any{"vpcId": "vpc-1", "serviceName": "com.amazonaws." + region + ".s3",
			"vpcEndpointType": "Gateway", "routeTableIds": []any{vpc.MainRouteTable()}, "policy": policy},
			Outputs: map[string]any{"prefixListId": "pl-s3"}},
	}}
}

var (
	stsCall = Call{Service: "sts", Action: "sts:GetCallerIdentity", Resource: "*", PrincipalAccount: "111122223333"}
	s3Call  = Call{Service: "s3", Action: "s3:GetObject", Resource: "arn:aws:s3:::artifacts/x", PrincipalAccount: "111122223333"}
)

func TestAPrivateBuildReachesItsEndpoints(t *testing.T) {
	c := privateBuild()
	for _, call := range []Call{stsCall, s3Call} {
		if err := c.Reach("build", call); err != nil {
			t.Errorf("%s: %v", call.Service, err)
		}
	}
}

// Each broken link of the path stops the call, and the error says which.
func TestEachBrokenLinkStopsTheCall(t *testing.T) {
	for _, c := range []struct {
		name    string
		call    Call
		breakIt func(*Cloud)
		want    string
	}{
		{"no endpoint for the service", Call{Service: "logs", Action: "logs:PutLogEvents", Resource: "*", PrincipalAccount: "111122223333"}, func(*Cloud) {}, "no endpoint"},
		{"gateway not on the subnet's route table", s3Call, func(c *Cloud) {
			c.Resources[4].Inputs["routeTableIds"] = []any{"rtb-other"}
		}, "no endpoint"},
		{"private DNS off", stsCall, func(c *Cloud) { c.Resources[3].Inputs["privateDnsEnabled"] = false }, "no endpoint"},
		{"VPC DNS hostnames off", stsCall, func(c *Cloud) { c.VPCs[0].DNSHostnamesDisabled = true }, "no endpoint"},
		{"egress only to the prefix list", stsCall, func(c *Cloud) {
			c.Resources[1].Inputs["egress"] = []any{httpsRule("s3", nil, []any{"pl-s3"})}
		}, "no egress rule"},
		{"egress to a narrower range than the VPC", stsCall, func(c *Cloud) {
			c.Resources[1].Inputs["egress"] = []any{httpsRule("half", []any{"10.1.0.0/17"}, nil)}
		}, "no egress rule"},
		{"endpoint group without HTTPS in", stsCall, func(c *Cloud) {
			c.Resources[2].Inputs["ingress"] = []any{map[string]any{"protocol": "tcp", "fromPort": 22.0, "toPort": 22.0, "cidrBlocks": []any{"10.1.0.0/16"}}}
		}, "accept no HTTPS"},
		{"another account's principal", Call{Service: "s3", Action: "s3:GetObject", Resource: "arn:aws:s3:::x/y", PrincipalAccount: "444455556666"}, func(*Cloud) {}, "endpoint policy refuses"},
		{"unsigned call", Call{Service: "sts", Action: "sts:AssumeRoleWithWebIdentity", Resource: "arn:aws:iam::111122223333:role/r"}, func(*Cloud) {}, "endpoint policy refuses"},
	} {
		cloud := privateBuild()
		c.breakIt(&cloud)
		err := cloud.Reach("build", c.call)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error with %q", c.name, err, c.want)
		}
	}
}
