package render

import (
	"errors"
	"strings"

	"github.com/mlprov/mlprov/internal/awstypes"
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
	case awstypes.S3BucketV2, awstypes.S3Bucket:
		attrs["arn"] = arns.Bucket(physical)
		attrs["bucketDomainName"] = physical + ".s3.amazonaws.com"
		attrs["bucketRegionalDomainName"] = physical + ".s3." + arns.Region + ".amazonaws.com"
	case awstypes.IAMRole:
		attrs["arn"] = arns.Role(physical)
		attrs["uniqueId"] = strings.ToUpper(fakeID("AROA", physical))
	case awstypes.IAMPolicy:
		attrs["arn"] = arns.Policy(physical)
		id = attrs["arn"]
	case awstypes.KMSKey:
		// AWS picks key ids (UUIDs); offline the id is a marked placeholder,
		// so it never passes for a real key (or a multi-Region "mrk-" one).
		id = provtemplate.Placeholder("kms-key-id:" + logicalName)
		attrs["keyId"] = id
		attrs["arn"] = arns.KMSKey(id)
	case awstypes.KMSAlias:
		attrs["arn"] = arns.KMSAlias(physical)
	case awstypes.CodeCommitRepository:
		attrs["arn"] = arns.Repository(physical)
		attrs["repositoryId"] = fakeID("", physical)
		attrs["cloneUrlHttp"] = "https://git-codecommit." + arns.Region + ".amazonaws.com/v1/repos/" + physical
		attrs["cloneUrlSsh"] = "ssh://git-codecommit." + arns.Region + ".amazonaws.com/v1/repos/" + physical
	case awstypes.CodeBuildProject:
		attrs["arn"] = arns.BuildProject(physical)
	case awstypes.CodePipeline:
		attrs["arn"] = arns.Pipeline(physical)
	case awstypes.EventRule:
		attrs["arn"] = arns.EventRule(physical)
	case awstypes.LogGroup:
		attrs["arn"] = arns.LogGroup(physical)
	case awstypes.MetricAlarm:
		attrs["arn"] = arns.Alarm(physical)
	case awstypes.Dashboard:
		attrs["dashboardArn"] = arns.Dashboard(physical)
	case awstypes.SNSTopic:
		attrs["arn"] = arns.Topic(physical)
		id = attrs["arn"]
	case awstypes.SNSTopicSubscription:
		id = fakeID("sub-", logicalName)
		attrs["arn"] = "pending confirmation"
		attrs["pendingConfirmation"] = "true"
	case awstypes.SSMParameter:
		attrs["arn"] = arns.SSMParameter(physical)
	case awstypes.SecurityGroup:
		id = fakeID("sg-", logicalName)
		attrs["arn"] = arns.SecurityGroup(id)
	case awstypes.VPCEndpoint:
		id = fakeID("vpce-", logicalName)
		attrs["arn"] = arns.VPCEndpoint(id)
		// AWS reports the service's managed prefix list on an endpoint (what
		// the endpoint security group's S3 egress references).
		attrs["prefixListId"] = provtemplate.Placeholder("prefix-list-id:" + logicalName)
	case awstypes.CodeConnection, awstypes.CodeStarConnection:
		id = arns.Connection(fakeID("", physical))
		attrs["arn"] = id
		attrs["connectionStatus"] = "PENDING"
	case awstypes.NativeSageMakerModelPackageGroup:
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
// What only AWS can say exists (an endpoint or group already in the VPC) is
// assumed absent offline, answered with the provider's "no matching" error;
// the preview looks for the real ones.
func OfflineLookup(opts Options, token string, args map[string]any) (map[string]any, error) {
	switch token {
	case awstypes.GetVPCEndpoint:
		return nil, errors.New("no matching EC2 VPC Endpoint found (offline: the plan assumes the VPC has none)")
	case awstypes.GetSecurityGroup:
		return nil, errors.New("no matching EC2 Security Group found (offline: the plan assumes the VPC has none)")
	case awstypes.GetRouteTables:
		// Offline every subnet is taken to have its own route table.
		name, value := firstFilter(args)
		if name != "association.subnet-id" {
			return map[string]any{"ids": []any{}}, nil
		}
		return map[string]any{"ids": []any{provtemplate.Placeholder("route-table-of:" + value)}}, nil
	case awstypes.GetCallerIdentity:
		return map[string]any{
			"accountId": provtemplate.Placeholder("caller-account"),
			"arn":       provtemplate.Placeholder("caller-arn"),
			"userId":    provtemplate.Placeholder("caller-user"),
			"id":        provtemplate.Placeholder("caller-account"),
		}, nil
	case awstypes.GetRegion:
		return map[string]any{"name": opts.Region, "id": opts.Region}, nil
	case awstypes.NativeGetS3Bucket:
		// EventBridge notifications are assumed on offline; the preview
		// checks the real bucket and warns when they are off.
		return map[string]any{"bucketName": args["bucketName"],
			"notificationConfiguration": map[string]any{"eventBridgeConfiguration": map[string]any{"eventBridgeEnabled": true}}}, nil
	case awstypes.GetSSMParameter:
		name, _ := args["name"].(string)
		value := provtemplate.Placeholder("ssm:" + name)
		if strings.HasSuffix(name, "Ids") {
			// StringList parameters hold comma-separated ids; keep two so
			// multi-subnet wiring is visible in the template.
			value = provtemplate.Placeholder("ssm:"+name+"#1") + "," + provtemplate.Placeholder("ssm:"+name+"#2")
		}
		return map[string]any{"name": name, "value": value, "type": "String", "id": name,
			"arn": naming.ARNsFor(opts.AccountID, opts.Region).SSMParameter(name)}, nil
	case awstypes.GetVPC:
		id, _ := args["id"].(string)
		// DNS is assumed on offline; the preview checks the real VPC.
		return map[string]any{"id": id, "cidrBlock": provtemplate.Placeholder("vpc-cidr:" + id),
			"enableDnsSupport": true, "enableDnsHostnames": true}, nil
	}
	return map[string]any{"id": provtemplate.Placeholder(token)}, nil
}

// firstFilter is the name and first value of a data source's first filter.
func firstFilter(args map[string]any) (name, value string) {
	filters, _ := args["filters"].([]any)
	if len(filters) == 0 {
		return "", ""
	}
	f, _ := filters[0].(map[string]any)
	name, _ = f["name"].(string)
	if values, _ := f["values"].([]any); len(values) > 0 {
		value, _ = values[0].(string)
	}
	return name, value
}
