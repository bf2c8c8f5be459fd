package render

import (
	"strings"

	"github.com/mlprov/mlprov/internal/naming"
	"github.com/mlprov/mlprov/internal/provtemplate"
)

// Synthesize returns the id and the attributes AWS computes for a new
// resource (ARNs, ids, clone URLs), in AWS's formats. The offline render and
// the AWS test double share it so both answer like AWS does.
func Synthesize(arns naming.ARNs, token, logicalName, physical string, inputs map[string]any) (string, map[string]string) {
	attrs := map[string]string{}
	id := physical
	switch token {
	case "aws:s3/bucketV2:BucketV2", "aws:s3/bucket:Bucket":
		attrs["arn"] = arns.Bucket(physical)
		attrs["bucketDomainName"] = physical + ".s3.amazonaws.com"
		attrs["bucketRegionalDomainName"] = physical + ".s3." + arns.Region + ".amazonaws.com"
	case "aws:iam/role:Role":
		attrs["arn"] = arns.Role(physical)
		attrs["uniqueId"] = strings.ToUpper(fakeID("AROA", physical))
	case "aws:iam/policy:Policy":
		attrs["arn"] = arns.Policy(physical)
		id = attrs["arn"]
	case "aws:kms/key:Key":
		id = fakeID("mrk-", logicalName+arns.Account+arns.Region)
		attrs["keyId"] = id
		attrs["arn"] = arns.KMSKey(id)
	case "aws:kms/alias:Alias":
		attrs["arn"] = arns.KMSAlias(physical)
	case "aws:codecommit/repository:Repository":
		attrs["arn"] = arns.Repository(physical)
		attrs["repositoryId"] = fakeID("", physical)
		attrs["cloneUrlHttp"] = "https://git-codecommit." + arns.Region + ".amazonaws.com/v1/repos/" + physical
		attrs["cloneUrlSsh"] = "ssh://git-codecommit." + arns.Region + ".amazonaws.com/v1/repos/" + physical
	case "aws:codebuild/project:Project":
		attrs["arn"] = arns.BuildProject(physical)
	case "aws:codepipeline/pipeline:Pipeline":
		attrs["arn"] = arns.Pipeline(physical)
	case "aws:cloudwatch/eventRule:EventRule":
		attrs["arn"] = arns.EventRule(physical)
	case "aws:cloudwatch/logGroup:LogGroup":
		attrs["arn"] = arns.LogGroup(physical)
	case "aws:cloudwatch/metricAlarm:MetricAlarm":
		attrs["arn"] = arns.Alarm(physical)
	case "aws:cloudwatch/dashboard:Dashboard":
		attrs["dashboardArn"] = arns.Dashboard(physical)
	case "aws:sns/topic:Topic":
		attrs["arn"] = arns.Topic(physical)
		id = attrs["arn"]
	case "aws:sns/topicSubscription:TopicSubscription":
		id = fakeID("sub-", logicalName)
		attrs["arn"] = "pending confirmation"
		attrs["pendingConfirmation"] = "true"
	case "aws:ssm/parameter:Parameter":
		attrs["arn"] = arns.SSMParameter(physical)
	case "aws:ec2/securityGroup:SecurityGroup":
		id = fakeID("sg-", logicalName)
		attrs["arn"] = arns.SecurityGroup(id)
	case "aws:ec2/vpcEndpoint:VpcEndpoint":
		id = fakeID("vpce-", logicalName)
		attrs["arn"] = arns.VPCEndpoint(id)
	case "aws:codeconnections/connection:Connection", "aws:codestarconnections/connection:Connection":
		id = arns.Connection(fakeID("", physical))
		attrs["arn"] = id
		attrs["connectionStatus"] = "PENDING"
	case "aws-native:sagemaker:ModelPackageGroup":
		attrs["modelPackageGroupArn"] = arns.ModelPackageGroup(physical)
		id = physical
	}
	if id == "" {
		id = fakeID(strings.ReplaceAll(PackageOf(token), "-", "")+"-", logicalName)
	}
	attrs["id"] = id
	return id, attrs
}

// OfflineLookup answers an invoke offline. Values only AWS knows are marked
// with provtemplate.Placeholder so no reader mistakes them for real ones.
func OfflineLookup(opts Options, token string, args map[string]any) map[string]any {
	switch token {
	case "aws:index/getCallerIdentity:getCallerIdentity":
		return map[string]any{
			"accountId": provtemplate.Placeholder("caller-account"),
			"arn":       provtemplate.Placeholder("caller-arn"),
			"userId":    provtemplate.Placeholder("caller-user"),
			"id":        provtemplate.Placeholder("caller-account"),
		}
	case "aws:index/getRegion:getRegion":
		return map[string]any{"name": opts.Region, "id": opts.Region}
	case "aws:ssm/getParameter:getParameter":
		name, _ := args["name"].(string)
		value := provtemplate.Placeholder("ssm:" + name)
		if strings.HasSuffix(name, "Ids") {
			// StringList parameters hold comma-separated ids; keep two so
			// multi-subnet wiring is visible in the template.
			value = provtemplate.Placeholder("ssm:"+name+"#1") + "," + provtemplate.Placeholder("ssm:"+name+"#2")
		}
		return map[string]any{"name": name, "value": value, "type": "String", "id": name,
			"arn": naming.ARNsFor(opts.AccountID, opts.Region).SSMParameter(name)}
	case "aws:ec2/getVpc:getVpc":
		id, _ := args["id"].(string)
		// DNS is assumed on offline; the preview checks the real VPC.
		return map[string]any{"id": id, "cidrBlock": provtemplate.Placeholder("vpc-cidr:" + id),
			"enableDnsSupport": true, "enableDnsHostnames": true}
	}
	return map[string]any{"id": provtemplate.Placeholder(token)}
}
