package awsrules_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/mlprov/mlprov/test/fakeaws/awsrules"
	"github.com/mlprov/mlprov/test/fakeaws/cloudstate"
)

// memCloud is a fake cloud in memory.
type memCloud struct {
	resources []cloudstate.Resource
	vpcs      []cloudstate.SeededVPC
}

func (m memCloud) Resources() ([]cloudstate.Resource, error) { return m.resources, nil }
func (m memCloud) VPCs() ([]cloudstate.SeededVPC, error)     { return m.vpcs, nil }
func (m memCloud) GetResource(typ, id string) (cloudstate.Resource, error) {
	for _, r := range m.resources {
		if r.Type == typ && r.ID == id {
			return r, nil
		}
	}
	return cloudstate.Resource{}, cloudstate.ErrNotFound
}

const account = "123456789012"

func policyOf(n int) string {
	return `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"Resource":["arn:aws:s3:::` + strings.Repeat("b", n) + `"]}]}`
}

var rootKeyPolicy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::123456789012:root"]},"Action":["kms:*"],"Resource":["*"]}]}`

type ruleCase struct {
	name     string
	req      awsrules.Request
	wantCode string // "" when the call must pass
	wantRule string
}

func create(typ string, inputs map[string]any) awsrules.Request {
	return awsrules.Request{Op: cloudstate.OpCreate, Type: typ, Inputs: inputs, Account: account, Region: "us-east-1", Cloud: memCloud{}}
}

func withCloud(r awsrules.Request, c memCloud) awsrules.Request { r.Cloud = c; return r }

func cases() []ruleCase {
	endpoint := func(id string, dns bool, rtbs ...any) cloudstate.Resource {
		return cloudstate.Resource{Type: "aws:ec2/vpcEndpoint:VpcEndpoint", ID: id, Inputs: map[string]any{
			"vpcId": "vpc-1", "serviceName": "com.amazonaws.us-east-1.sts", "privateDnsEnabled": dns,
			"vpcEndpointType": "Interface", "routeTableIds": rtbs}}
	}
	gateway := cloudstate.Resource{Type: "aws:ec2/vpcEndpoint:VpcEndpoint", ID: "vpce-s3", Inputs: map[string]any{
		"vpcId": "vpc-1", "serviceName": "com.amazonaws.us-east-1.s3", "vpcEndpointType": "Gateway", "routeTableIds": []any{"rtb-1"}}}
	bucketWithVersions := cloudstate.Resource{Type: "aws:s3/bucketV2:BucketV2", ID: "b-1", ObjectVersions: 3}
	rolePolicy := cloudstate.Resource{Type: "aws:iam/rolePolicy:RolePolicy", ID: "r:p1", Inputs: map[string]any{"role": "r", "name": "p1", "policy": policyOf(6000)}}
	return []ruleCase{
		{"managed policy over 6,144", create("aws:iam/policy:Policy", map[string]any{"name": "p", "policy": policyOf(6100)}), "LimitExceeded", "iam-managed-policy-size"},
		{"managed policy fits", create("aws:iam/policy:Policy", map[string]any{"name": "p", "policy": policyOf(6000)}), "", "iam-managed-policy-size"},
		{"inline policies over 10,240 together", withCloud(create("aws:iam/rolePolicy:RolePolicy", map[string]any{"role": "r", "name": "p2", "policy": policyOf(4200)}), memCloud{resources: []cloudstate.Resource{rolePolicy}}), "LimitExceeded", "iam-role-inline-policies-size"},
		{"trust policy over 2,048", create("aws:iam/role:Role", map[string]any{"name": "r", "assumeRolePolicy": policyOf(2000)}), "LimitExceeded", "iam-trust-policy-size"},
		{"key policy over 32 KB", create("aws:kms/key:Key", map[string]any{"policy": rootKeyPolicy[:len(rootKeyPolicy)-2] + `,{"Effect":"Allow","Principal":{"AWS":["x"]},"Action":["kms:Decrypt"],"Resource":["` + strings.Repeat("k", 33000) + `"]}]}`}), "LimitExceededException", "kms-key-policy-size"},
		{"key policy locks the caller out", create("aws:kms/key:Key", map[string]any{"policy": `{"Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::123456789012:role/app"]},"Action":["kms:Decrypt"],"Resource":["*"]}]}`}), "MalformedPolicyDocumentException", "kms-key-policy-lockout"},
		{"key policy with kms:* for the root", create("aws:kms/key:Key", map[string]any{"policy": rootKeyPolicy, "deletionWindowInDays": 30.0}), "", "kms-key-policy-lockout"},
		{"deletion window of 5 days", create("aws:kms/key:Key", map[string]any{"policy": rootKeyPolicy, "deletionWindowInDays": 5.0}), "ValidationException", "kms-deletion-window"},
		{"bucket name with capitals", create("aws:s3/bucketV2:BucketV2", map[string]any{"bucket": "My-Bucket"}), "InvalidBucketName", "s3-bucket-name"},
		{"bucket name like an IP", create("aws:s3/bucketV2:BucketV2", map[string]any{"bucket": "192.168.5.4"}), "InvalidBucketName", "s3-bucket-name"},
		{"bucket name of 64 characters", create("aws:s3/bucketV2:BucketV2", map[string]any{"bucket": strings.Repeat("a", 64)}), "InvalidBucketName", "s3-bucket-name"},
		{"delete a bucket with object versions", awsrules.Request{Op: cloudstate.OpDelete, Type: "aws:s3/bucketV2:BucketV2", ID: "b-1", Inputs: map[string]any{"forceDestroy": false}, Cloud: memCloud{resources: []cloudstate.Resource{bucketWithVersions}}}, "BucketNotEmpty", "s3-delete-bucket-not-empty"},
		{"delete a bucket with object versions and forceDestroy", awsrules.Request{Op: cloudstate.OpDelete, Type: "aws:s3/bucketV2:BucketV2", ID: "b-1", Inputs: map[string]any{"forceDestroy": true}, Cloud: memCloud{resources: []cloudstate.Resource{bucketWithVersions}}}, "", "s3-delete-bucket-not-empty"},
		{"second private DNS endpoint for a service", withCloud(create("aws:ec2/vpcEndpoint:VpcEndpoint", endpoint("", true).Inputs), memCloud{resources: []cloudstate.Resource{endpoint("vpce-1", true)}}), "InvalidParameter", "vpc-endpoint-one-private-dns-per-service"},
		{"second S3 gateway on a route table", withCloud(create("aws:ec2/vpcEndpoint:VpcEndpoint", gateway.Inputs), memCloud{resources: []cloudstate.Resource{gateway}}), "RouteAlreadyExists", "vpc-s3-gateway-one-per-route-table"},
		{"delete the group of an endpoint", awsrules.Request{Op: cloudstate.OpDelete, Type: "aws:ec2/securityGroup:SecurityGroup", ID: "sg-1", Cloud: memCloud{resources: []cloudstate.Resource{{Type: "aws:ec2/vpcEndpoint:VpcEndpoint", ID: "vpce-1", Inputs: map[string]any{"securityGroupIds": []any{"sg-1"}}}}}}, "DependencyViolation", "ec2-delete-security-group-in-use"},
		{"delete a group nothing uses", awsrules.Request{Op: cloudstate.OpDelete, Type: "aws:ec2/securityGroup:SecurityGroup", ID: "sg-2", Cloud: memCloud{resources: []cloudstate.Resource{{Type: "aws:ec2/vpcEndpoint:VpcEndpoint", ID: "vpce-1", Inputs: map[string]any{"securityGroupIds": []any{"sg-1"}}}}}}, "", "ec2-delete-security-group-in-use"},
		{"private DNS without DNS hostnames", withCloud(create("aws:ec2/vpcEndpoint:VpcEndpoint", endpoint("", true).Inputs), memCloud{vpcs: []cloudstate.SeededVPC{{ID: "vpc-1", DNSHostnamesDisabled: true}}}), "InvalidParameter", "vpc-private-dns-needs-dns-attributes"},
		{"security group description with '", create("aws:ec2/securityGroup:SecurityGroup", map[string]any{"name": "g", "description": "the product's endpoints"}), "InvalidParameterValue", "ec2-security-group-description"},
		{"security group rule description with '", create("aws:ec2/securityGroup:SecurityGroup", map[string]any{"name": "g", "description": "g", "egress": []any{map[string]any{"description": "to the product's endpoints"}}}), "InvalidParameterValue", "provider-ec2-security-group-rule-description"},
		{"KMS alias under alias/aws/", create("aws:kms/alias:Alias", map[string]any{"name": "alias/aws/mine"}), "ValidationException", "provider-kms-alias-name"},
		{"KMS alias without alias/", create("aws:kms/alias:Alias", map[string]any{"name": "mine"}), "ValidationException", "provider-kms-alias-name"},
		{"log retention of 90", create("aws:cloudwatch/logGroup:LogGroup", map[string]any{"name": "/g", "retentionInDays": 90.0}), "", "logs-retention-values"},
		{"log retention of 100", create("aws:cloudwatch/logGroup:LogGroup", map[string]any{"name": "/g", "retentionInDays": 100.0}), "InvalidParameterException", "logs-retention-values"},
		{"rule name of 65 characters", create("aws:cloudwatch/eventRule:EventRule", map[string]any{"name": strings.Repeat("r", 65)}), "ValidationException", "events-rule-name"},
		{"parameter name with 16 levels", create("aws:ssm/parameter:Parameter", map[string]any{"name": strings.Repeat("/a", 16)}), "HierarchyLevelLimitExceededException", "ssm-parameter-name"},
		{"parameter name with a space", create("aws:ssm/parameter:Parameter", map[string]any{"name": "/ml/a b"}), "ValidationException", "ssm-parameter-name"},
		{"parameter name starting with aws", create("aws:ssm/parameter:Parameter", map[string]any{"name": "/aws/x"}), "ValidationException", "ssm-parameter-name"},
		{"parameter name too long with its ARN", create("aws:ssm/parameter:Parameter", map[string]any{"name": "/" + strings.Repeat("p", 990)}), "ValidationException", "ssm-parameter-name"},
		{"connection name of 33 characters", create("aws:codeconnections/connection:Connection", map[string]any{"name": strings.Repeat("c", 33), "providerType": "GitHub"}), "ValidationException", "codeconnections-connection"},
		{"GitHub Enterprise Server without a host", create("aws:codeconnections/connection:Connection", map[string]any{"name": "c", "providerType": "GitHubEnterpriseServer"}), "InvalidInputException", "codeconnections-connection"},
		{"topic name with a dot", create("aws:sns/topic:Topic", map[string]any{"name": "a.b"}), "InvalidParameter", "sns-topic-name"},
		// Constraints from the API models.
		{"role name of 65 characters", create("aws:iam/role:Role", map[string]any{"name": strings.Repeat("r", 65)}), "ValidationError", "api:iam/CreateRole/RoleName"},
		{"role name with a space", create("aws:iam/role:Role", map[string]any{"name": "a b"}), "ValidationError", "api:iam/CreateRole/RoleName"},
		{"CodeBuild project name starting with -", create("aws:codebuild/project:Project", map[string]any{"name": "-build"}), "ValidationException", "api:codebuild/CreateProject/name"},
		{"KMS alias of 257 characters", create("aws:kms/alias:Alias", map[string]any{"name": "alias/" + strings.Repeat("a", 251)}), "ValidationException", "api:kms/CreateAlias/AliasName"},
		{"log group class not in the enum", create("aws:cloudwatch/logGroup:LogGroup", map[string]any{"name": "/g", "logGroupClass": "CHEAP"}), "InvalidParameterException", "api:logs/CreateLogGroup/logGroupClass"},
		{"six alarm actions", create("aws:cloudwatch/metricAlarm:MetricAlarm", map[string]any{"name": "a", "alarmActions": []any{"1", "2", "3", "4", "5", "6"}}), "ValidationError", "api:monitoring/PutMetricAlarm/AlarmActions"},
		{"model package group name with _", create("aws-native:sagemaker:ModelPackageGroup", map[string]any{"modelPackageGroupName": "a_b"}), "ValidationException", "api:sagemaker/CreateModelPackageGroup/ModelPackageGroupName"},
		{"IAM tag value with a !", create("aws:iam/role:Role", map[string]any{"name": "r", "tags": map[string]any{"k": "v!"}}), "ValidationError", "api:iam/CreateRole/Tags.[].Value"},
		{"pipeline stage name with a space", create("aws:codepipeline/pipeline:Pipeline", map[string]any{"name": "p", "stages": []any{map[string]any{"name": "Build it"}}}), "ValidationException", "api:codepipeline/CreatePipeline/pipeline.stages.[].name"},
	}
}

func TestEveryRuleAnswersWithAWSsError(t *testing.T) {
	covered := map[string]bool{}
	for _, c := range cases() {
		t.Run(c.name, func(t *testing.T) {
			applied, err := awsrules.Check(c.req)
			if !contains(applied, c.wantRule) {
				t.Errorf("rule %s not applied (applied: %v)", c.wantRule, applied)
			}
			var awsErr *awsrules.Error
			switch {
			case c.wantCode == "" && err != nil:
				t.Fatalf("want success, got %v", err)
			case c.wantCode == "":
				return
			case !errors.As(err, &awsErr):
				t.Fatalf("want AWS error %s, got %v", c.wantCode, err)
			case awsErr.Code != c.wantCode || awsErr.Rule != c.wantRule:
				t.Fatalf("got %s from rule %s, want %s from %s: %v", awsErr.Code, awsErr.Rule, c.wantCode, c.wantRule, err)
			}
			if !strings.Contains(err.Error(), "api error "+c.wantCode+": ") {
				t.Errorf("message %q lacks AWS's shape", err)
			}
			covered[c.wantRule] = true
		})
	}
	for _, name := range awsrules.RuleNames() {
		if !covered[name] {
			t.Errorf("documented rule %s has no failing case", name)
		}
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
