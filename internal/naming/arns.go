package naming

import "strings"

// ARNs builds the ARNs of a product's resources from their names, so IAM
// documents can be scoped to resources that do not exist yet (roles are
// created before the pipelines they may start) without dependency cycles.
type ARNs struct {
	Partition, Region, Account string
}

// ARNsFor returns the ARN builder of one account and region.
func ARNsFor(account, region string) ARNs {
	return ARNs{Partition: Partition(region), Region: region, Account: account}
}

// Partition is the AWS partition of a region.
func Partition(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	}
	return "aws"
}

// regional is arn:{partition}:{service}:{region}:{account}:{resource}.
func (a ARNs) regional(service, resource string) string {
	return "arn:" + a.Partition + ":" + service + ":" + a.Region + ":" + a.Account + ":" + resource
}

// global is arn:{partition}:{service}::{account}:{resource} (IAM).
func (a ARNs) global(service, resource string) string {
	return "arn:" + a.Partition + ":" + service + "::" + a.Account + ":" + resource
}

func (a ARNs) AccountRoot() string          { return a.global("iam", "root") }
func (a ARNs) Role(name string) string      { return a.global("iam", "role/"+name) }
func (a ARNs) Policy(name string) string    { return a.global("iam", "policy/"+name) }
func (a ARNs) Bucket(name string) string    { return "arn:" + a.Partition + ":s3:::" + name }
func (a ARNs) Object(key string) string     { return "arn:" + a.Partition + ":s3:::" + key }
func (a ARNs) Objects(bucket string) string { return a.Bucket(bucket) + "/*" }

func (a ARNs) ModelPackageGroup(name string) string {
	return a.regional("sagemaker", "model-package-group/"+name)
}

// ModelPackages matches every version registered in one group.
func (a ARNs) ModelPackages(group string) string {
	return a.regional("sagemaker", "model-package/"+group+"/*")
}

// SageMaker matches SageMaker resources of one type whose names start with prefix.
func (a ARNs) SageMaker(resourceType, prefix string) string {
	return a.regional("sagemaker", resourceType+"/"+prefix+"*")
}

func (a ARNs) Repository(name string) string   { return a.regional("codecommit", name) }
func (a ARNs) BuildProject(name string) string { return a.regional("codebuild", "project/"+name) }
func (a ARNs) ReportGroups(prefix string) string {
	return a.regional("codebuild", "report-group/"+prefix+"-*")
}
func (a ARNs) Pipeline(name string) string  { return a.regional("codepipeline", name) }
func (a ARNs) EventRule(name string) string { return a.regional("events", "rule/"+name) }
func (a ARNs) Topic(name string) string     { return a.regional("sns", name) }
func (a ARNs) LogGroup(name string) string  { return a.regional("logs", "log-group:"+name) }

// LogStreams matches every stream of one log group.
func (a ARNs) LogStreams(name string) string { return a.LogGroup(name) + ":log-stream:*" }

// Keys matches every KMS key of the account and region (narrowed by an alias condition).
func (a ARNs) Keys() string { return a.regional("kms", "key/*") }

// Connections matches every CodeConnections connection of the account and region.
func (a ARNs) Connections() string { return a.regional("codeconnections", "connection/*") }

// EC2 matches EC2 resources of one type in the account and region.
func (a ARNs) EC2(resourceType string) string { return a.regional("ec2", resourceType+"/*") }

// Trail is a CloudTrail trail's ARN.
func (a ARNs) Trail(name string) string { return a.regional("cloudtrail", "trail/"+name) }

// ConsoleURL is the AWS console home of a service in the region.
func (a ARNs) ConsoleURL(service string) string {
	domain := "console.aws.amazon.com"
	if a.Partition == "aws-cn" {
		domain = "console.amazonaws.cn"
	}
	return "https://" + a.Region + "." + domain + "/" + service + "/home?region=" + a.Region
}

// ServicePrincipal is {service}.amazonaws.com (every partition uses it for these services).
func ServicePrincipal(service string) string { return service + ".amazonaws.com" }

// RegionalServicePrincipal is {service}.{region}.amazonaws.com (CloudWatch Logs in key policies).
func (a ARNs) RegionalServicePrincipal(service string) string {
	return service + "." + a.Region + ".amazonaws.com"
}

// EndpointService is the VPC endpoint service name com.amazonaws.{region}.{service}.
func (a ARNs) EndpointService(service string) string {
	return "com.amazonaws." + a.Region + "." + service
}

// ECRRepositories matches image repositories of any account in the region
// (SageMaker's built-in images live in AWS-owned accounts).
func (a ARNs) ECRRepositories() string {
	return "arn:" + a.Partition + ":ecr:" + a.Region + ":*:repository/*"
}

func (a ARNs) KMSKey(id string) string         { return a.regional("kms", "key/"+id) }
func (a ARNs) KMSAlias(alias string) string    { return a.regional("kms", alias) }
func (a ARNs) Alarm(name string) string        { return a.regional("cloudwatch", "alarm:"+name) }
func (a ARNs) Dashboard(name string) string    { return a.global("cloudwatch", "dashboard/"+name) }
func (a ARNs) SSMParameter(path string) string { return a.regional("ssm", "parameter"+path) }
func (a ARNs) SecurityGroup(id string) string  { return a.regional("ec2", "security-group/"+id) }
func (a ARNs) VPCEndpoint(id string) string    { return a.regional("ec2", "vpc-endpoint/"+id) }
func (a ARNs) Connection(id string) string     { return a.regional("codeconnections", "connection/"+id) }

// EC2Resource is one EC2 resource of a type by id ("*" for all of the account and region).
func (a ARNs) EC2Resource(resourceType, id string) string {
	return a.regional("ec2", resourceType+"/"+id)
}

// LogGroupChildren matches what IAM evaluates inside one log group (its streams).
func (a ARNs) LogGroupChildren(name string) string { return a.LogGroup(name) + ":*" }
