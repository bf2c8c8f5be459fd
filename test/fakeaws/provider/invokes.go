package provider

import (
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/mlprov/mlprov/internal/awstypes"
	"github.com/mlprov/mlprov/test/fakeaws/cloudstate"
)

// invokeFunc serves one function token from the configuration and the fake
// cloud's state.
type invokeFunc func(s *Server, c *attrContext, args map[string]any) (map[string]any, error)

// invokes lists every data source the double serves; anything else fails
// with a message saying where to add it.
var invokes = map[string]invokeFunc{
	awstypes.GetCallerIdentity: func(s *Server, c *attrContext, _ map[string]any) (map[string]any, error) {
		return map[string]any{
			"id":        c.account,
			"accountId": c.account,
			"arn":       c.globalArn("iam", "user/fakeaws-test-double"),
			"userId":    "AIDAFAKEAWSTESTDOUBLE",
		}, nil
	},
	awstypes.GetRegion: func(_ *Server, c *attrContext, _ map[string]any) (map[string]any, error) {
		return map[string]any{
			"id": c.region, "name": c.region, "region": c.region,
			"endpoint":    "ec2." + c.region + ".amazonaws.com",
			"description": "fakeaws region " + c.region,
		}, nil
	},
	awstypes.GetPartition: func(_ *Server, c *attrContext, _ map[string]any) (map[string]any, error) {
		return map[string]any{"id": c.partition, "partition": c.partition, "dnsSuffix": "amazonaws.com", "reverseDnsPrefix": "com.amazonaws"}, nil
	},
	awstypes.GetSSMParameter: func(s *Server, c *attrContext, args map[string]any) (map[string]any, error) {
		name, _ := args["name"].(string)
		p, version, err := s.parameter(name)
		if err != nil {
			return nil, err
		}
		return map[string]any{
			"id": p.Name, "name": p.Name, "type": p.Type, "value": p.Value, "insecureValue": p.Value,
			"version": version, "withDecryption": args["withDecryption"],
			"arn": parameterARN(c, p.Name),
		}, nil
	},
	awstypes.GetVPC: func(s *Server, c *attrContext, args map[string]any) (map[string]any, error) {
		want := requestedIDs(args, "vpc-id")
		vpcs, err := s.store.VPCs()
		if err != nil {
			return nil, err
		}
		for _, v := range vpcs {
			if slices.Contains(want, v.ID) {
				return map[string]any{
					"id": v.ID, "cidrBlock": v.CidrBlock, "ownerId": c.account, "state": "available",
					"arn": c.arn("ec2", "vpc/"+v.ID),
					// DescribeVpcAttribute enableDnsHostnames / enableDnsSupport.
					"default": false, "enableDnsHostnames": !v.DNSHostnamesDisabled, "enableDnsSupport": !v.DNSSupportDisabled,
					"instanceTenancy": "default", "tags": map[string]any{},
				}, nil
			}
		}
		return nil, fmt.Errorf("fakeaws: no matching EC2 VPC found (looked for %v)", want)
	},
	awstypes.GetSubnet: func(s *Server, c *attrContext, args map[string]any) (map[string]any, error) {
		want := requestedIDs(args, "subnet-id")
		vpcs, err := s.store.VPCs()
		if err != nil {
			return nil, err
		}
		for _, v := range vpcs {
			for i, subnet := range v.SubnetIDs {
				if slices.Contains(want, subnet) {
					return map[string]any{
						"id": subnet, "vpcId": v.ID, "ownerId": c.account, "state": "available",
						"availabilityZone": c.region + string(rune('a'+i%6)),
						"arn":              c.arn("ec2", "subnet/"+subnet),
						"tags":             map[string]any{},
					}, nil
				}
			}
		}
		return nil, fmt.Errorf("fakeaws: no matching EC2 Subnet found (looked for %v)", want)
	},
	awstypes.GetSubnets: func(s *Server, c *attrContext, args map[string]any) (map[string]any, error) {
		vpcIDs := filterValues(args, "vpc-id")
		vpcs, err := s.store.VPCs()
		if err != nil {
			return nil, err
		}
		ids := []any{}
		for _, v := range vpcs {
			if len(vpcIDs) == 0 || slices.Contains(vpcIDs, v.ID) {
				for _, subnet := range v.SubnetIDs {
					ids = append(ids, subnet)
				}
			}
		}
		return map[string]any{"id": c.region, "ids": ids, "filters": args["filters"]}, nil
	},
	// DescribeRouteTables filters association.subnet-id (tables explicitly
	// associated with the subnet) and association.main (the main table)
	// (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeRouteTables.html);
	// the plural data source returns what matched, possibly nothing
	// (terraform-provider-aws ec2/vpc_route_tables_data_source.go).
	awstypes.GetRouteTables: func(s *Server, c *attrContext, args map[string]any) (map[string]any, error) {
		vpcs, err := s.store.VPCs()
		if err != nil {
			return nil, err
		}
		vpcID, _ := args["vpcId"].(string)
		subnets, main := filterValues(args, "association.subnet-id"), filterValues(args, "association.main")
		ids := []any{}
		for _, v := range vpcs {
			if vpcID != "" && v.ID != vpcID {
				continue
			}
			if slices.Contains(main, "true") {
				ids = append(ids, v.MainRouteTable())
			}
			for _, subnet := range subnets {
				if t, ok := v.SubnetRouteTables[subnet]; ok && !slices.Contains(ids, any(t)) {
					ids = append(ids, t)
				}
			}
		}
		return map[string]any{"id": c.region, "ids": ids}, nil
	},
	// DescribeVpcEndpoints by vpc-id, service-name, vpc-endpoint-state and
	// vpc-endpoint-type; the singular data source fails on none or several
	// (terraform-provider-aws ec2/vpc_endpoint_data_source.go,
	// tfresource.SingularDataSourceFindError). Endpoints in the double are
	// "available" once created (waitVPCEndpointAvailable in the provider).
	awstypes.GetVPCEndpoint: func(s *Server, _ *attrContext, args map[string]any) (map[string]any, error) {
		return s.singular(typeVPCEndpoint, "EC2 VPC Endpoint", func(r cloudstate.Resource) bool {
			return matches(args["id"], r.ID) && matches(args["vpcId"], r.Inputs["vpcId"]) &&
				matches(args["serviceName"], r.Inputs["serviceName"]) &&
				matchesFilter(args, "vpc-endpoint-state", "available") &&
				matchesFilter(args, "vpc-endpoint-type", r.Inputs["vpcEndpointType"])
		})
	},
	// DescribeSecurityGroups by id, group-name and vpc-id; singular as above
	// (terraform-provider-aws ec2/vpc_security_group_data_source.go).
	awstypes.GetSecurityGroup: func(s *Server, _ *attrContext, args map[string]any) (map[string]any, error) {
		return s.singular(typeSecurityGroup, "EC2 Security Group", func(r cloudstate.Resource) bool {
			return matches(args["id"], r.ID) && matches(args["name"], r.Inputs["name"]) &&
				matches(args["vpcId"], r.Inputs["vpcId"]) && matchesFilter(args, "group-name", r.Inputs["name"])
		})
	},
	awstypes.GetS3Bucket: func(s *Server, c *attrContext, args map[string]any) (map[string]any, error) {
		name, _ := args["bucket"].(string)
		r, err := s.store.GetResource(typeBucket, name)
		if errors.Is(err, cloudstate.ErrNotFound) {
			return nil, fmt.Errorf("fakeaws: NotFound: S3 bucket %q does not exist", name)
		}
		if err != nil {
			return nil, err
		}
		return r.Outputs, nil
	},
	awstypes.NativeGetAccountID: func(_ *Server, c *attrContext, _ map[string]any) (map[string]any, error) {
		return map[string]any{"accountId": c.account}, nil
	},
	awstypes.NativeGetRegion: func(_ *Server, c *attrContext, _ map[string]any) (map[string]any, error) {
		return map[string]any{"region": c.region}, nil
	},
	awstypes.NativeGetPartition: func(_ *Server, c *attrContext, _ map[string]any) (map[string]any, error) {
		return map[string]any{"partition": c.partition}, nil
	},
	awstypes.NativeGetURLSuffix: func(*Server, *attrContext, map[string]any) (map[string]any, error) {
		return map[string]any{"urlSuffix": "amazonaws.com"}, nil
	},
	awstypes.NativeGetSSMParameterString: func(s *Server, _ *attrContext, args map[string]any) (map[string]any, error) {
		name, _ := args["name"].(string)
		p, _, err := s.parameter(name)
		if err != nil {
			return nil, err
		}
		return map[string]any{"value": p.Value}, nil
	},
}

func (s *Server) invoke(token string, args map[string]any) (map[string]any, error) {
	serve, ok := invokes[token]
	if !ok {
		return nil, fmt.Errorf("fakeaws: the test double does not serve %s; add it to test/fakeaws/provider/invokes.go", token)
	}
	return serve(s, s.attrContext(token, args, nil), args)
}

// parameter finds an SSM parameter the stack created, else a seeded one.
func (s *Server) parameter(name string) (cloudstate.SeededParameter, float64, error) {
	r, err := s.store.GetResource(typeSSMParameter, name)
	if err == nil {
		paramType, _ := r.Outputs["type"].(string)
		value, _ := r.Outputs["value"].(string)
		if value == "" {
			value, _ = r.Outputs["insecureValue"].(string)
		}
		version, _ := r.Outputs["version"].(float64)
		return cloudstate.SeededParameter{Name: name, Type: paramType, Value: value}, version, nil
	}
	if !errors.Is(err, cloudstate.ErrNotFound) {
		return cloudstate.SeededParameter{}, 0, err
	}
	p, err := s.store.Parameter(name)
	if errors.Is(err, cloudstate.ErrNotFound) {
		return p, 0, fmt.Errorf("fakeaws: ParameterNotFound: SSM parameter %q does not exist", name)
	}
	return p, 1, err
}

// requestedIDs are the ids an EC2 lookup asks for: its id argument and the
// values of its filter named filterName.
func requestedIDs(args map[string]any, filterName string) []string {
	want := filterValues(args, filterName)
	if id, ok := args["id"].(string); ok && id != "" {
		want = append(want, id)
	}
	return want
}

// filterValues collects the values of the EC2 filters named name.
func filterValues(args map[string]any, name string) []string {
	var out []string
	filters, _ := args["filters"].([]any)
	for _, f := range filters {
		filter, _ := f.(map[string]any)
		if filter["name"] != name {
			continue
		}
		values, _ := filter["values"].([]any)
		for _, v := range values {
			if s, ok := v.(string); ok {
				out = append(out, s)
			}
		}
	}
	return out
}

// singular answers a singular data source from the resources of one type in
// the double: exactly one must match, as in the provider.
func (s *Server) singular(typ, what string, match func(cloudstate.Resource) bool) (map[string]any, error) {
	all, err := s.store.Resources()
	if err != nil {
		return nil, err
	}
	var found []cloudstate.Resource
	for _, r := range all {
		if r.Type == typ && match(r) {
			found = append(found, r)
		}
	}
	switch len(found) {
	case 0:
		return nil, fmt.Errorf("no matching %s found", what)
	case 1:
		out := maps.Clone(found[0].Outputs)
		out["id"] = found[0].ID
		return out, nil
	}
	return nil, fmt.Errorf("multiple %[1]ss matched; use additional constraints to reduce matches to a single %[1]s", what)
}

// matches: an argument the lookup did not give matches anything.
func matches(arg, value any) bool {
	want, _ := arg.(string)
	return want == "" || want == value
}

// matchesFilter: a filter the lookup did not give matches anything.
func matchesFilter(args map[string]any, name string, value any) bool {
	want := filterValues(args, name)
	got, _ := value.(string)
	return len(want) == 0 || slices.Contains(want, got)
}
