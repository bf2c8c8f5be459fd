// Package network is the product's private access to AWS: VPC endpoints with
// restrictive policies, and (standalone mode) the endpoints' security group.
package network

import (
	"strings"

	"github.com/mlprov/mlprov/components/policydoc"
	"github.com/mlprov/mlprov/internal/naming"
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
)

// InterfaceServices are the interface endpoints always created, in order.
var InterfaceServices = []string{SageMakerAPI, SageMakerRuntime, STS}

// NewSecurityGroup asks for a security group allowing HTTPS from the VPC.
type NewSecurityGroup struct {
	Name    string
	VpcCIDR pulumi.StringInput
}

// Args configures the endpoints.
type Args struct {
	VpcID     pulumi.StringInput
	SubnetIDs pulumi.StringArrayInput
	// RouteTableIDs get the S3 gateway endpoint's routes.
	RouteTableIDs []string
	// Exactly one of CreateSecurityGroup and SecurityGroupID is set.
	CreateSecurityGroup *NewSecurityGroup
	SecurityGroupID     pulumi.StringInput
	// ExtraEndpoints are further interface endpoint services ("logs", "ecr.api").
	ExtraEndpoints []string
	ARNs           naming.ARNs
	Tags           map[string]string
}

// PrivateEndpoints are the endpoints and the group they use.
type PrivateEndpoints struct {
	pulumi.ResourceState

	SecurityGroupID pulumi.StringOutput
	// EndpointIDs by service name (sagemaker.api, sagemaker.runtime, sts, s3, extras).
	EndpointIDs map[string]pulumi.StringOutput
}

// New creates the endpoints (and the security group in standalone mode).
func New(ctx *pulumi.Context, name string, args Args, opts ...pulumi.ResourceOption) (*PrivateEndpoints, error) {
	c := &PrivateEndpoints{EndpointIDs: map[string]pulumi.StringOutput{}}
	if err := ctx.RegisterComponentResource(Type, name, c, opts...); err != nil {
		return nil, err
	}
	s3, err := ec2.NewVpcEndpoint(ctx, name+"-s3", &ec2.VpcEndpointArgs{
		VpcId:           args.VpcID,
		ServiceName:     pulumi.String(args.ARNs.EndpointService(S3)),
		VpcEndpointType: pulumi.String("Gateway"),
		RouteTableIds:   pulumi.ToStringArray(args.RouteTableIDs),
		Policy:          pulumi.String(EndpointPolicy(args.ARNs, S3).JSON()),
		Tags:            pulumi.ToStringMap(args.Tags),
	}, pulumi.Parent(c))
	if err != nil {
		return nil, err
	}
	c.EndpointIDs[S3] = s3.ID().ToStringOutput()

	if sg := args.CreateSecurityGroup; sg != nil {
		group, err := ec2.NewSecurityGroup(ctx, name+"-endpoints-sg", &ec2.SecurityGroupArgs{
			Name:        pulumi.String(sg.Name),
			Description: pulumi.String("HTTPS from the VPC to the ML product VPC endpoints"),
			VpcId:       args.VpcID,
			Ingress: ec2.SecurityGroupIngressArray{ec2.SecurityGroupIngressArgs{
				Description: pulumi.String("HTTPS from inside the VPC"),
				Protocol:    pulumi.String("tcp"),
				FromPort:    pulumi.Int(443),
				ToPort:      pulumi.Int(443),
				CidrBlocks:  pulumi.StringArray{sg.VpcCIDR},
			}},
			// Builds run in this group too: they reach the interface endpoints
			// in the VPC and S3 through the gateway endpoint, nothing else.
			Egress: ec2.SecurityGroupEgressArray{
				ec2.SecurityGroupEgressArgs{
					Description: pulumi.String("HTTPS to the interface endpoints in the VPC"),
					Protocol:    pulumi.String("tcp"),
					FromPort:    pulumi.Int(443),
					ToPort:      pulumi.Int(443),
					CidrBlocks:  pulumi.StringArray{sg.VpcCIDR},
				},
				ec2.SecurityGroupEgressArgs{
					Description:   pulumi.String("HTTPS to S3 through the gateway endpoint"),
					Protocol:      pulumi.String("tcp"),
					FromPort:      pulumi.Int(443),
					ToPort:        pulumi.Int(443),
					PrefixListIds: pulumi.StringArray{s3.PrefixListId},
				},
			},
			Tags: pulumi.ToStringMap(args.Tags),
		}, pulumi.Parent(c))
		if err != nil {
			return nil, err
		}
		c.SecurityGroupID = group.ID().ToStringOutput()
	} else {
		c.SecurityGroupID = args.SecurityGroupID.ToStringOutput()
	}

	for _, service := range append(append([]string{}, InterfaceServices...), args.ExtraEndpoints...) {
		ep, err := ec2.NewVpcEndpoint(ctx, name+"-"+logicalSuffix(service), &ec2.VpcEndpointArgs{
			VpcId:             args.VpcID,
			ServiceName:       pulumi.String(args.ARNs.EndpointService(service)),
			VpcEndpointType:   pulumi.String("Interface"),
			PrivateDnsEnabled: pulumi.Bool(true),
			SubnetIds:         args.SubnetIDs,
			SecurityGroupIds:  pulumi.StringArray{c.SecurityGroupID},
			Policy:            pulumi.String(EndpointPolicy(args.ARNs, service).JSON()),
			Tags:              pulumi.ToStringMap(args.Tags),
		}, pulumi.Parent(c))
		if err != nil {
			return nil, err
		}
		c.EndpointIDs[service] = ep.ID().ToStringOutput()
	}

	outs := pulumi.Map{"securityGroupId": c.SecurityGroupID}
	for service, id := range c.EndpointIDs {
		outs["endpoint-"+logicalSuffix(service)] = id
	}
	return c, ctx.RegisterResourceOutputs(c, outs)
}

func logicalSuffix(service string) string { return strings.ReplaceAll(service, ".", "-") }

// endpointActions is what the product may do through each endpoint. A
// service not listed gets read-only access (Describe/Get/List).
var endpointActions = map[string][]string{
	SageMakerAPI: {"sagemaker:AddTags", "sagemaker:Create*", "sagemaker:Delete*", "sagemaker:Describe*",
		"sagemaker:List*", "sagemaker:Search", "sagemaker:Start*", "sagemaker:Stop*", "sagemaker:Update*"},
	SageMakerRuntime: {"sagemaker:InvokeEndpoint", "sagemaker:InvokeEndpointAsync",
		"sagemaker:InvokeEndpointWithResponseStream"},
	STS: {"sts:AssumeRole", "sts:GetCallerIdentity", "sts:TagSession"},
	S3: {"s3:GetBucketLocation", "s3:GetBucketVersioning", "s3:GetObject", "s3:GetObjectVersion",
		"s3:ListBucket", "s3:PutObject"},
	"logs": {"logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"},
	"kms": {"kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey", "kms:ReEncryptFrom",
		"kms:ReEncryptTo"},
	"ecr.api": {"ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetAuthorizationToken",
		"ecr:GetDownloadUrlForLayer"},
	"ecr.dkr": {"ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetAuthorizationToken",
		"ecr:GetDownloadUrlForLayer"},
}

// EndpointActions returns the actions allowed through one endpoint service.
func EndpointActions(service string) []string {
	if a, ok := endpointActions[service]; ok {
		return a
	}
	prefix, _, _ := strings.Cut(service, ".")
	return []string{prefix + ":Describe*", prefix + ":Get*", prefix + ":List*"}
}

// EndpointPolicy allows the service's product actions to principals of this
// account only.
func EndpointPolicy(arns naming.ARNs, service string) policydoc.Document {
	return policydoc.New(policydoc.Allow("AccountPrincipalsOnly", EndpointActions(service), []string{"*"}).
		For(policydoc.Principal{AWS: []string{"*"}}).
		When("StringEquals", "aws:PrincipalAccount", arns.Account))
}
