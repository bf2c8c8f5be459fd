package iampolicy

// UnscopableAction is an action the deployer policy grants on "*", and why.
type UnscopableAction struct {
	Action string
	Reason string
}

// Unscopable is the one documented table of actions granted on "*". Each
// has no resource type in AWS's Service Authorization Reference (a test
// checks that against the catalogue snapshot), so no ARN can narrow it. The
// generator refuses any other action on "*". Creates of resources whose id
// AWS generates are still narrowed by an aws:RequestTag condition.
var Unscopable = []UnscopableAction{
	{"sts:GetCallerIdentity", "no resource type; both providers call it when they start, and mlprov checks the account"},
	{"ec2:DescribeVpcs", "EC2 Describe* calls support no resource-level permissions (VPC lookup)"},
	{"ec2:DescribeRouteTables", "EC2 Describe* calls support no resource-level permissions (the VPC lookup reads the main route table)"},
	{"ec2:DescribeSubnets", "EC2 Describe* calls support no resource-level permissions (subnet lookup)"},
	{"ec2:DescribeSecurityGroups", "EC2 Describe* calls support no resource-level permissions (reading the endpoint group)"},
	{"ec2:DescribeSecurityGroupRules", "EC2 Describe* calls support no resource-level permissions (reading the group's rules)"},
	{"ec2:DescribeNetworkInterfaces", "EC2 Describe* calls support no resource-level permissions (endpoint subnet configurations; waiting for a group to be free before delete)"},
	{"ec2:DescribeVpcEndpoints", "EC2 Describe* calls support no resource-level permissions (reading the endpoints)"},
	{"ec2:DescribePrefixLists", "EC2 Describe* calls support no resource-level permissions (S3 gateway endpoint prefix list)"},
	{"kms:CreateKey", "the key does not exist yet, so there is no ARN; narrowed by aws:RequestTag/mlprov:ml-name"},
	{"kms:ListAliases", "no resource type; the provider reads an alias by listing"},
	{"logs:DescribeLogGroups", "no resource type; the provider reads a log group by prefix listing"},
	{"cloudtrail:DescribeTrails", "no resource type; the provider reads the compliance trail by listing"},
	{"ssm:DescribeParameters", "no resource type; the provider reads a parameter's metadata by listing"},
	{"codeconnections:CreateConnection", "the connection does not exist yet, so there is no ARN; narrowed by aws:RequestTag/mlprov:ml-name"},
	{"cloudformation:CreateResource", "Cloud Control (pulumi-aws-native) has no resource type; the SageMaker actions behind it are scoped"},
	{"cloudformation:GetResource", "Cloud Control (pulumi-aws-native) has no resource type; the SageMaker actions behind it are scoped"},
	{"cloudformation:UpdateResource", "Cloud Control (pulumi-aws-native) has no resource type; the SageMaker actions behind it are scoped"},
	{"cloudformation:DeleteResource", "Cloud Control (pulumi-aws-native) has no resource type; the SageMaker actions behind it are scoped"},
	{"cloudformation:GetResourceRequestStatus", "Cloud Control (pulumi-aws-native) has no resource type; polled while a request runs"},
}

func isUnscopable(action string) bool {
	for _, u := range Unscopable {
		if u.Action == action {
			return true
		}
	}
	return false
}

// NewResourceActions are granted on every key or connection of the account
// and region without the product tag: the provider calls them right after
// creating one, before its tags can authorize (KMS ABAC docs: up to five
// minutes). They read, enable rotation, or hand a connection to
// CodePipeline (only there: iam PassedToService); none weakens a resource.
var NewResourceActions = []string{
	"kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags", "kms:EnableKeyRotation",
	"codeconnections:GetConnection", "codeconnections:ListTagsForResource", "codeconnections:PassConnection",
}
