// Package network is the product's private access to AWS: VPC endpoints with
// restrictive policies, and (standalone mode) the endpoints' security group.
package network

import (
	"slices"
	"strings"

	"github.com/mlprov/mlprov/internal/naming"
	"github.com/mlprov/mlprov/internal/policydoc"
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
	// BuildSecurityGroup, when set, is created for the builds (and the
	// SageMaker jobs they start): HTTPS out to the endpoints and S3, nothing in.
	BuildSecurityGroup *NewSecurityGroup
	// ExtraEndpoints are further interface endpoint services ("logs", "ecr.api").
	ExtraEndpoints []string
	ARNs           naming.ARNs
	Tags           map[string]string
}

// PrivateEndpoints are the endpoints and the group they use.
type PrivateEndpoints struct {
	pulumi.ResourceState

	SecurityGroupID pulumi.StringOutput
	// BuildSecurityGroupID is the builds' group (when BuildSecurityGroup is set).
	BuildSecurityGroupID pulumi.StringOutput
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
			Egress: httpsOut(sg.VpcCIDR, s3.PrefixListId),
			Tags:   pulumi.ToStringMap(args.Tags),
		}, pulumi.Parent(c))
		if err != nil {
			return nil, err
		}
		c.SecurityGroupID = group.ID().ToStringOutput()
	} else {
		c.SecurityGroupID = args.SecurityGroupID.ToStringOutput()
	}

	if sg := args.BuildSecurityGroup; sg != nil {
		group, err := ec2.NewSecurityGroup(ctx, name+"-builds-sg", &ec2.SecurityGroupArgs{
			Name:        pulumi.String(sg.Name),
			Description: pulumi.String("ML product builds and jobs: HTTPS out to the VPC endpoints and S3 only"),
			VpcId:       args.VpcID,
			Egress:      httpsOut(sg.VpcCIDR, s3.PrefixListId),
			Tags:        pulumi.ToStringMap(args.Tags),
		}, pulumi.Parent(c))
		if err != nil {
			return nil, err
		}
		c.BuildSecurityGroupID = group.ID().ToStringOutput()
	}

	for _, service := range Services(args.ExtraEndpoints) {
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
	if args.BuildSecurityGroup != nil {
		outs["buildSecurityGroupId"] = c.BuildSecurityGroupID
	}
	for service, id := range c.EndpointIDs {
		outs["endpoint-"+logicalSuffix(service)] = id
	}
	return c, ctx.RegisterResourceOutputs(c, outs)
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
func httpsOut(vpcCIDR pulumi.StringInput, s3PrefixList pulumi.StringOutput) ec2.SecurityGroupEgressArray {
	return ec2.SecurityGroupEgressArray{
		ec2.SecurityGroupEgressArgs{
			Description: pulumi.String("HTTPS to the interface endpoints in the VPC"),
			Protocol:    pulumi.String("tcp"),
			FromPort:    pulumi.Int(443),
			ToPort:      pulumi.Int(443),
			CidrBlocks:  pulumi.StringArray{vpcCIDR},
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
