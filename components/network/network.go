// Package network is the product's private access to AWS: VPC endpoints with
// restrictive policies, and (standalone mode) the endpoints' security group.
package network

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/mlprov/mlprov/internal/naming"
	"github.com/mlprov/mlprov/internal/policydoc"
	mltags "github.com/mlprov/mlprov/internal/tags"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Type is the component's type token.
const Type = "mlprov:network:PrivateEndpoints"

// Endpoint services every private network gets.
const (
	SageMakerAPI     = "sagemaker.api"
	SageMakerRuntime = "sagemaker.runtime"
	STS              = "sts"
	S3               = "s3"
	Logs             = "logs"
)

// InterfaceServices are the interface endpoints always created, in order:
// what a build in a private subnet calls (README, "Private network").
var InterfaceServices = []string{SageMakerAPI, SageMakerRuntime, STS, Logs}

// NewSecurityGroup asks for a security group allowing HTTPS from the VPC.
type NewSecurityGroup struct {
	Name    string
	VpcCIDR string
	// KeptID is the group's id when an earlier run of this product created
	// it and it was kept (the group is adopted instead of created again).
	KeptID string
}

// Args configures the endpoints.
type Args struct {
	VpcID     string
	SubnetIDs []string
	// RouteTableIDs get the S3 gateway endpoint's routes.
	RouteTableIDs []string
	// Existing are the endpoints already in the VPC, by service.
	Existing map[string]ExistingEndpoint
	// Owner tells which existing endpoints this product created.
	Owner Owner
	// Exactly one of CreateSecurityGroup and SecurityGroupID is set.
	CreateSecurityGroup *NewSecurityGroup
	SecurityGroupID     string
	// BuildSecurityGroup, when set, is created for the builds (and the
	// SageMaker jobs they start): HTTPS out to the endpoints and S3, nothing in.
	BuildSecurityGroup *NewSecurityGroup
	// ExtraEndpoints are further interface endpoint services ("kms", "ecr.api").
	ExtraEndpoints []string
	ARNs           naming.ARNs
	Tags           map[string]string
}

// Owner identifies the product by the tags it puts on what it creates.
type Owner struct{ MLName, TestID string }

// Owns reports whether tags mark a resource this product created (a test
// copy's resources are not the product's, nor the other way round).
func (o Owner) Owns(tags map[string]string) bool {
	return tags[mltags.MLName] == o.MLName && tags[mltags.TestID] == o.TestID
}

// PrivateEndpoints are the endpoints and the group they use.
type PrivateEndpoints struct {
	pulumi.ResourceState

	SecurityGroupID pulumi.StringOutput
	// BuildSecurityGroupID is the builds' group (when BuildSecurityGroup is set).
	BuildSecurityGroupID pulumi.StringOutput
	// EndpointIDs by service name (sagemaker.api, sagemaker.runtime, sts, s3, extras).
	EndpointIDs map[string]pulumi.StringOutput
	// Reused are the services whose endpoint another product or team created.
	Reused []string
}

// The sharing model (README, "Shared VPC endpoints"): an endpoint serves
// every workload in the VPC (private DNS sends the whole VPC's calls to it,
// and AWS allows one private-DNS endpoint per service and VPC), so it is VPC
// infrastructure, not part of one product:
//   - an endpoint the VPC already has is used, not created again;
//   - what a product creates carries the Shared tag and is kept when the
//     product is deleted (retainOnDelete), with its security group, since no
//     product can know who else resolves the service through it;
//   - a later run of the same product adopts what it created before (the
//     import option: a no-op while the endpoint is in the stack's state).
func (c *PrivateEndpoints) endpoint(ctx *pulumi.Context, name, service string, args Args, in *ec2.VpcEndpointArgs) (*ec2.VpcEndpoint, error) {
	if found, ok := args.reused(service); ok {
		if service == S3 {
			if err := coversRoutes(args, found); err != nil {
				return nil, err
			}
		}
		c.Reused = append(c.Reused, service)
		c.EndpointIDs[service] = pulumi.String(found.ID).ToStringOutput()
		return nil, nil
	}
	in.VpcId = pulumi.String(args.VpcID)
	in.ServiceName = pulumi.String(args.ARNs.EndpointService(service))
	in.Policy = pulumi.String(EndpointPolicy(args.ARNs, service).JSON())
	in.Tags = pulumi.ToStringMap(sharedTags(args.Tags))
	ep, err := ec2.NewVpcEndpoint(ctx, name, in, keptOptions(c, args.Existing[service].ID)...)
	if err != nil {
		return nil, err
	}
	c.EndpointIDs[service] = ep.ID().ToStringOutput()
	return ep, nil
}

// coversRoutes: a gateway endpoint someone else created serves only the
// route tables it is on; the product's private subnets need theirs there,
// or builds cannot reach S3. mlprov does not change another's endpoint; it
// stops the preview with the command that does.
func coversRoutes(args Args, found ExistingEndpoint) error {
	var missing []string
	for _, table := range args.RouteTableIDs {
		if !slices.Contains(found.RouteTableIDs, table) {
			missing = append(missing, table)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return fmt.Errorf("the S3 gateway endpoint %s of VPC %s has no route in %s, the route table(s) of the product's private subnets, so builds could not reach S3; add them with: aws ec2 modify-vpc-endpoint --vpc-endpoint-id %s --add-route-table-ids %s",
		found.ID, args.VpcID, strings.Join(missing, ", "), found.ID, strings.Join(missing, " "))
}

// keptOptions are the options of a shared resource: kept on delete, and
// adopted when an earlier run created it (keptID).
func keptOptions(parent pulumi.Resource, keptID string) []pulumi.ResourceOption {
	opts := []pulumi.ResourceOption{pulumi.Parent(parent), pulumi.RetainOnDelete(true)}
	if keptID != "" {
		opts = append(opts, pulumi.Import(pulumi.ID(keptID)))
	}
	return opts
}

func sharedTags(product map[string]string) map[string]string {
	out := map[string]string{mltags.Shared: mltags.SharedVPCValue}
	maps.Copy(out, product)
	return out
}

// New creates what the VPC lacks (and the builds' security group).
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*PrivateEndpoints, error) {
	c := &PrivateEndpoints{EndpointIDs: map[string]pulumi.StringOutput{}}
	if err := ctx.RegisterComponentResource(Type, name, c, opts...); err != nil {
		return nil, err
	}
	s3, err := c.endpoint(ctx, name+"-s3", S3, args, &ec2.VpcEndpointArgs{
		VpcEndpointType: pulumi.String("Gateway"),
		RouteTableIds:   pulumi.ToStringArray(args.RouteTableIDs),
	})
	if err != nil {
		return nil, err
	}
	s3PrefixList := pulumi.String(args.Existing[S3].PrefixListID).ToStringOutput()
	if s3 != nil {
		s3PrefixList = s3.PrefixListId
	}

	services := Services(args.ExtraEndpoints)
	c.SecurityGroupID = pulumi.String(args.SecurityGroupID).ToStringOutput()
	if sg := args.CreateSecurityGroup; sg != nil {
		c.SecurityGroupID = pulumi.String(reusedGroup(args, services)).ToStringOutput()
		if createsAny(args, services) {
			group, err := ec2.NewSecurityGroup(ctx, name+"-endpoints-sg", &ec2.SecurityGroupArgs{
				Name:        pulumi.String(sg.Name),
				Description: pulumi.String("HTTPS from the VPC to the ML product VPC endpoints"),
				VpcId:       pulumi.String(args.VpcID),
				Ingress: ec2.SecurityGroupIngressArray{ec2.SecurityGroupIngressArgs{
					Description: pulumi.String("HTTPS from inside the VPC"),
					Protocol:    pulumi.String("tcp"),
					FromPort:    pulumi.Int(443),
					ToPort:      pulumi.Int(443),
					CidrBlocks:  pulumi.StringArray{pulumi.String(sg.VpcCIDR)},
				}},
				Egress: httpsOut(sg.VpcCIDR, s3PrefixList),
				Tags:   pulumi.ToStringMap(sharedTags(args.Tags)),
			}, keptOptions(c, sg.KeptID)...)
			if err != nil {
				return nil, err
			}
			c.SecurityGroupID = group.ID().ToStringOutput()
		}
	}

	if sg := args.BuildSecurityGroup; sg != nil {
		group, err := ec2.NewSecurityGroup(ctx, name+"-builds-sg", &ec2.SecurityGroupArgs{
			Name:        pulumi.String(sg.Name),
			Description: pulumi.String("ML product builds and jobs: HTTPS out to the VPC endpoints and S3 only"),
			VpcId:       pulumi.String(args.VpcID),
			Egress:      httpsOut(sg.VpcCIDR, s3PrefixList),
			Tags:        pulumi.ToStringMap(args.Tags),
		}, pulumi.Parent(c))
		if err != nil {
			return nil, err
		}
		c.BuildSecurityGroupID = group.ID().ToStringOutput()
	}

	for _, service := range services {
		_, err := c.endpoint(ctx, name+"-"+logicalSuffix(service), service, args, &ec2.VpcEndpointArgs{
			VpcEndpointType:   pulumi.String("Interface"),
			PrivateDnsEnabled: pulumi.Bool(true),
			SubnetIds:         pulumi.ToStringArray(args.SubnetIDs),
			SecurityGroupIds:  pulumi.StringArray{c.SecurityGroupID},
		})
		if err != nil {
			return nil, err
		}
	}

	outs := pulumi.Map{"securityGroupId": c.SecurityGroupID}
	if args.BuildSecurityGroup != nil {
		outs["buildSecurityGroupId"] = c.BuildSecurityGroupID
	}
	for service, id := range c.EndpointIDs {
		outs["endpoint-"+logicalSuffix(service)] = id
	}
	return c, ctx.RegisterResourceOutputs(c, outs)
}

// reused is the endpoint for service that someone else created, if any:
// the product uses it instead of creating one.
func (a Args) reused(service string) (ExistingEndpoint, bool) {
	found, ok := a.Existing[service]
	return found, ok && !a.Owner.Owns(found.Tags)
}

// createsAny reports whether this product creates an interface endpoint.
func createsAny(args Args, services []string) bool {
	for _, service := range services {
		if _, reused := args.reused(service); !reused {
			return true
		}
	}
	return false
}

// reusedGroup is the security group of the first reused interface endpoint:
// the endpoints' group when every endpoint is someone else's.
func reusedGroup(args Args, services []string) string {
	for _, service := range services {
		if found, ok := args.reused(service); ok && len(found.SecurityGroupIDs) > 0 {
			return found.SecurityGroupIDs[0]
		}
	}
	return ""
}

// Services are the interface endpoint services: the ones every private build
// needs, then the extras not already among them.
func Services(extra []string) []string {
	out := append([]string{}, InterfaceServices...)
	for _, e := range extra {
		if !slices.Contains(out, e) {
			out = append(out, e)
		}
	}
	return out
}

// httpsOut is the egress of a group whose members call AWS through the
// endpoints: 443 to the interface endpoints in the VPC and to S3 through the
// gateway endpoint (its prefix list), nothing else.
func httpsOut(vpcCIDR string, s3PrefixList pulumi.StringOutput) ec2.SecurityGroupEgressArray {
	return ec2.SecurityGroupEgressArray{
		ec2.SecurityGroupEgressArgs{
			Description: pulumi.String("HTTPS to the interface endpoints in the VPC"),
			Protocol:    pulumi.String("tcp"),
			FromPort:    pulumi.Int(443),
			ToPort:      pulumi.Int(443),
			CidrBlocks:  pulumi.StringArray{pulumi.String(vpcCIDR)},
		},
		ec2.SecurityGroupEgressArgs{
			Description:   pulumi.String("HTTPS to S3 through the gateway endpoint"),
			Protocol:      pulumi.String("tcp"),
			FromPort:      pulumi.Int(443),
			ToPort:        pulumi.Int(443),
			PrefixListIds: pulumi.StringArray{s3PrefixList},
		},
	}
}

func logicalSuffix(service string) string { return strings.ReplaceAll(service, ".", "-") }

// Endpoint policies. An endpoint mlprov creates serves every workload in the
// VPC, so its policy is a perimeter, not the product's least privilege (that
// lives in the role policies and the bucket policy): principals of this
// account may call the service for anything, and AWS's own access that does
// not come from this account's principals stays open. AWS's S3 gateway
// guidance: "Check whether you are using an AWS service that uses an S3
// bucket. If so, ensure that the endpoint policy allows full access to
// Amazon S3 (the default) or that it allows access to the buckets used by
// the AWS service" (https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html).

// awsOwnedBuckets are the AWS-owned buckets workloads in a private subnet
// read through the S3 gateway: ECR image layers
// (https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html#ecr-minimum-s3-perms)
// and the Amazon Linux 2 / 2023 package repositories
// (https://repost.aws/knowledge-center/ec2-al1-al2-update-yum-without-internet).
func awsOwnedBuckets(arns naming.ARNs) []string {
	var out []string
	for _, bucket := range []string{
		"prod-" + arns.Region + "-starport-layer-bucket",
		"amazonlinux-2-repos-" + arns.Region,
		"al2023-repos-" + arns.Region + "-de612dc2",
	} {
		out = append(out, "arn:"+arns.Partition+":s3:::"+bucket+"/*")
	}
	return out
}

// EndpointPolicy is the policy of the endpoint for a service.
func EndpointPolicy(arns naming.ARNs, service string) policydoc.Document {
	prefix, _, _ := strings.Cut(service, ".")
	statements := []policydoc.Statement{
		policydoc.Allow("AccountPrincipals", []string{prefix + ":*"}, []string{"*"}).
			For(policydoc.Principal{AWS: []string{"*"}}).
			When("StringEquals", "aws:PrincipalAccount", arns.Account),
	}
	switch service {
	case S3:
		// Presigned layer URLs of ECR and the package repositories are not
		// signed by this account's principals.
		statements = append(statements, policydoc.Allow("AWSOwnedBuckets", []string{"s3:GetObject"}, awsOwnedBuckets(arns)).
			For(policydoc.Principal{AWS: []string{"*"}}))
	case STS:
		// Web identity and SAML federation calls are unsigned: no principal
		// account to match. They stay open into this account's roles.
		// (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html:
		// "Calling AssumeRoleWithWebIdentity does not require the use of AWS security credentials")
		statements = append(statements, policydoc.Allow("Federation",
			[]string{"sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity"},
			[]string{"arn:" + arns.Partition + ":iam::" + arns.Account + ":role/*"}).
			For(policydoc.Principal{AWS: []string{"*"}}))
	}
	return policydoc.New(statements...)
}
