package provider

import (
	"errors"
	"fmt"
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
					"arn":     c.arn("ec2", "vpc/"+v.ID),
					"default": false, "enableDnsHostnames": true, "enableDnsSupport": true,
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
