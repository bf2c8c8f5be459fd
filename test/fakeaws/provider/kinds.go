package provider

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"reflect"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"

	"github.com/mlprov/mlprov/internal/awstypes"
)

// kind is what the double knows about one resource type: its physical name,
// which changes replace it, how its id is made and which attributes AWS adds.
// This table is the one place for per-type behaviour; a type not listed here
// gets genericKind.
type kind struct {
	// nameProperty holds the physical name; a change to it replaces the resource.
	nameProperty string
	// replaceOn are further properties whose change forces a replacement.
	replaceOn []string
	// newID makes the id at create time; nil means the id is the physical name.
	newID func(c *attrContext) string
	// attributes are the outputs AWS computes, merged over the inputs.
	attributes func(c *attrContext) map[string]any
	// scopedBy names the input of the parent within which AWS keeps the
	// name unique (a metric filter's log group); the double stores such a
	// resource under parent:id while the provider's id stays the name.
	scopedBy string
}

// storeID is where the double keeps a resource of this kind with id.
func (k kind) storeID(id string, props map[string]any) string {
	if k.scopedBy == "" {
		return id
	}
	parent, _ := props[k.scopedBy].(string)
	return parent + ":" + id
}

// attrContext is what id and attribute functions may use.
type attrContext struct {
	partition, region, account string
	token                      string
	id, name                   string
	inputs                     map[string]any
	// previous is the stored outputs on update, nil on create.
	previous map[string]any
	// preview is set while the engine plans (Create/Update with preview).
	preview bool
}

// arn builds a regional ARN of service for resource.
func (c *attrContext) arn(service, resource string) string {
	return fmt.Sprintf("arn:%s:%s:%s:%s:%s", c.partition, service, c.region, c.account, resource)
}

// globalArn builds an ARN without a region (IAM, CloudWatch dashboards).
func (c *attrContext) globalArn(service, resource string) string {
	return fmt.Sprintf("arn:%s:%s::%s:%s", c.partition, service, c.account, resource)
}

func (c *attrContext) input(key string) string {
	s, _ := c.inputs[key].(string)
	return s
}

// kept returns the previously stored value of an attribute AWS never changes
// on update (generated ids, statuses), or fresh() on create.
func (c *attrContext) kept(key string, fresh func() string) any {
	if v, ok := c.previous[key]; ok {
		return v
	}
	return fresh()
}

// reported is an optional attribute the provider also computes: the input
// when the resource declares it, else what AWS reported before (update), else
// unknown while planning a create (the provider plans it as computed), else
// what AWS reports for a new resource.
func (c *attrContext) reported(key string, aws func() any) any {
	if v, ok := c.inputs[key]; ok {
		return v
	}
	if v, ok := c.previous[key]; ok {
		return v
	}
	if c.preview {
		return plugin.UnknownStringValue
	}
	return aws()
}

// parameterARN is the ARN of SSM parameter name ("/a/b" → "parameter/a/b").
func parameterARN(c *attrContext, name string) string {
	return c.arn("ssm", "parameter/"+strings.TrimPrefix(name, "/"))
}

func randomHex(n int) string {
	b := make([]byte, (n+1)/2)
	if _, err := rand.Read(b); err != nil {
		// crypto/rand.Read never fails on Linux; a constant still works for a test double.
		return strings.Repeat("0", n)
	}
	return hex.EncodeToString(b)[:n]
}

func randomUUID() string {
	h := randomHex(32)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// ec2ID makes an EC2-style id such as vpce-0123456789abcdef0.
func ec2ID(prefix string) func(*attrContext) string {
	return func(*attrContext) string { return prefix + "-0" + randomHex(16) }
}

// idFromInput makes the id from one input, as AWS does for sub-resources.
func idFromInput(key string) func(*attrContext) string {
	return func(c *attrContext) string { return c.input(key) }
}

func noAttributes(*attrContext) map[string]any { return map[string]any{} }

// Type tokens the program and the engine test use.
const (
	typeBucket                = awstypes.S3BucketV2
	typeSSMParameter          = awstypes.SSMParameter
	typeModelPackageGroup     = awstypes.NativeSageMakerModelPackageGroup
	typeCodeStarConnection    = awstypes.CodeStarConnection
	typeCodeConnection        = awstypes.CodeConnection
	typeTopicSubscription     = awstypes.SNSTopicSubscription
	typeCodeCommitRepository  = awstypes.CodeCommitRepository
	typeKMSKey                = awstypes.KMSKey
	typeVPCEndpoint           = awstypes.VPCEndpoint
	typeSecurityGroup         = awstypes.SecurityGroup
	typeSecurityGroupRuleIn   = awstypes.SecurityGroupIngressRule
	typeSecurityGroupRuleOut  = awstypes.SecurityGroupEgressRule
	typeSecurityGroupRuleEC2  = awstypes.SecurityGroupRule
	typeIAMRole               = awstypes.IAMRole
	typeIAMPolicy             = awstypes.IAMPolicy
	typeIAMRolePolicy         = awstypes.IAMRolePolicy
	typeIAMRolePolicyAttached = awstypes.IAMRolePolicyAttachment
)

// s3BucketSubresource is a bucket setting (versioning, encryption, policy…)
// whose id is the bucket name.
var s3BucketSubresource = kind{replaceOn: []string{"bucket"}, newID: idFromInput("bucket"), attributes: noAttributes}

// connectionKind is a CodeStar / CodeConnections connection: its id is its
// ARN, and it stays PENDING until someone completes the console handshake.
func connectionKind(service string) kind {
	return kind{
		nameProperty: "name",
		replaceOn:    []string{"providerType", "hostArn"},
		newID: func(c *attrContext) string {
			return c.arn(service, "connection/"+randomUUID())
		},
		attributes: func(c *attrContext) map[string]any {
			return map[string]any{
				"arn":              c.id,
				"connectionStatus": c.kept("connectionStatus", func() string { return "PENDING" }),
			}
		},
	}
}

// namedWithARN is a type identified by its "name" whose one computed
// attribute is the regional ARN arn:…:service:region:account:prefix+name.
func namedWithARN(service, prefix string, replaceOn ...string) kind {
	return kind{
		nameProperty: "name",
		replaceOn:    replaceOn,
		attributes: func(c *attrContext) map[string]any {
			return map[string]any{"arn": c.arn(service, prefix+c.name)}
		},
	}
}

func securityGroupRuleKind(prefix string) kind {
	return kind{
		replaceOn: []string{"securityGroupId"},
		newID:     ec2ID(prefix),
		attributes: func(c *attrContext) map[string]any {
			return map[string]any{"arn": c.arn("ec2", "security-group-rule/"+c.id), "securityGroupRuleId": c.id}
		},
	}
}

var kinds = map[string]kind{
	typeBucket: {
		nameProperty: "bucket",
		attributes: func(c *attrContext) map[string]any {
			return map[string]any{
				"arn":                      fmt.Sprintf("arn:%s:s3:::%s", c.partition, c.name),
				"bucketDomainName":         c.name + ".s3.amazonaws.com",
				"bucketRegionalDomainName": c.name + ".s3." + c.region + ".amazonaws.com",
				"hostedZoneId":             "Z3BJ6K6RIION7M",
				"region":                   c.region,
				// versioning and server_side_encryption_configuration are
				// Optional+Computed on aws_s3_bucket: after create the provider
				// reads them back (terraform-provider-aws
				// internal/service/s3/bucket.go: resourceBucketCreate ends in
				// resourceBucketRead, which sets flattenBucketVersioning and
				// flattenBucketServerSideEncryptionConfiguration). A new bucket
				// has never been versioned, so GetBucketVersioning returns no
				// status (API model: PutBucketVersioning docs) and enabled is
				// false; every bucket has SSE-S3 default encryption (API model:
				// GetBucketEncryption docs, "By default, all buckets have a
				// default encryption configuration that uses ... SSE-S3").
				// The double does not re-read what split resources set later.
				"versionings": c.reported("versionings", func() any {
					return []any{map[string]any{"enabled": false, "mfaDelete": false}}
				}),
				"serverSideEncryptionConfigurations": c.reported("serverSideEncryptionConfigurations", func() any {
					return []any{map[string]any{"rules": []any{map[string]any{
						"applyServerSideEncryptionByDefaults": []any{map[string]any{"kmsMasterKeyId": "", "sseAlgorithm": "AES256"}},
					}}}}
				}),
			}
		},
	},
	awstypes.S3BucketVersioning:        s3BucketSubresource,
	awstypes.S3BucketEncryption:        s3BucketSubresource,
	awstypes.S3BucketPublicAccessBlock: s3BucketSubresource,
	awstypes.S3BucketOwnershipControls: s3BucketSubresource,
	awstypes.S3BucketPolicy:            s3BucketSubresource,
	awstypes.S3BucketLifecycle:         s3BucketSubresource,
	awstypes.S3BucketLogging:           s3BucketSubresource,
	awstypes.S3BucketNotification:      s3BucketSubresource,
	typeSSMParameter: {
		nameProperty: "name",
		attributes: func(c *attrContext) map[string]any {
			version := 1.0
			if prev, ok := c.previous["version"].(float64); ok {
				version = prev
				if !reflect.DeepEqual(c.previous["value"], c.inputs["value"]) {
					version++
				}
			}
			return map[string]any{
				"arn":     parameterARN(c, c.name),
				"version": version,
				"tier":    "Standard",
			}
		},
	},
	typeModelPackageGroup: {
		nameProperty: "modelPackageGroupName",
		newID: func(c *attrContext) string {
			return c.arn("sagemaker", "model-package-group/"+strings.ToLower(c.name))
		},
		attributes: func(c *attrContext) map[string]any {
			return map[string]any{
				"modelPackageGroupArn":    c.id,
				"modelPackageGroupStatus": "Completed",
				"creationTime":            c.kept("creationTime", func() string { return "2026-01-01T00:00:00Z" }),
			}
		},
	},
	typeCodeCommitRepository: {
		nameProperty: "repositoryName",
		attributes: func(c *attrContext) map[string]any {
			host := "git-codecommit." + c.region + ".amazonaws.com/v1/repos/" + c.name
			return map[string]any{
				"arn":          c.arn("codecommit", c.name),
				"cloneUrlHttp": "https://" + host,
				"cloneUrlSsh":  "ssh://" + host,
				"repositoryId": c.kept("repositoryId", randomUUID),
			}
		},
	},
	typeCodeStarConnection: connectionKind("codestar-connections"),
	typeCodeConnection:     connectionKind("codeconnections"),
	awstypes.CodeBuildProject: {
		nameProperty: "name",
		newID:        func(c *attrContext) string { return c.arn("codebuild", "project/"+c.name) },
		attributes: func(c *attrContext) map[string]any {
			return map[string]any{"arn": c.id, "badgeUrl": ""}
		},
	},
	awstypes.CodePipeline: namedWithARN("codepipeline", ""),
	awstypes.EventRule:    namedWithARN("events", "rule/", "eventBusName"),
	awstypes.EventTarget: {
		replaceOn: []string{"rule", "targetId", "eventBusName"},
		newID: func(c *attrContext) string {
			return c.input("rule") + "-" + c.input("targetId")
		},
		attributes: noAttributes,
	},
	typeIAMRole: {
		nameProperty: "name",
		replaceOn:    []string{"path"},
		attributes: func(c *attrContext) map[string]any {
			path := c.input("path")
			if path == "" {
				path = "/"
			}
			return map[string]any{
				"arn":        c.globalArn("iam", "role"+path+c.name),
				"uniqueId":   c.kept("uniqueId", func() string { return "AROA" + strings.ToUpper(randomHex(17)) }),
				"createDate": c.kept("createDate", func() string { return "2026-01-01T00:00:00Z" }),
			}
		},
	},
	typeIAMPolicy: {
		nameProperty: "name",
		replaceOn:    []string{"path"},
		newID: func(c *attrContext) string {
			path := c.input("path")
			if path == "" {
				path = "/"
			}
			return c.globalArn("iam", "policy"+path+c.name)
		},
		attributes: func(c *attrContext) map[string]any {
			return map[string]any{
				"arn":      c.id,
				"policyId": c.kept("policyId", func() string { return "ANPA" + strings.ToUpper(randomHex(17)) }),
			}
		},
	},
	typeIAMRolePolicy: {
		nameProperty: "name",
		replaceOn:    []string{"role"},
		newID:        func(c *attrContext) string { return c.input("role") + ":" + c.name },
		attributes:   noAttributes,
	},
	typeIAMRolePolicyAttached: {
		replaceOn:  []string{"role", "policyArn"},
		newID:      func(c *attrContext) string { return c.input("role") + "-" + randomHex(20) },
		attributes: noAttributes,
	},
	awstypes.Dashboard: {
		nameProperty: "dashboardName",
		attributes: func(c *attrContext) map[string]any {
			return map[string]any{"dashboardArn": c.globalArn("cloudwatch", "dashboard/"+c.name)}
		},
	},
	awstypes.SNSTopic: {
		nameProperty: "name",
		newID:        func(c *attrContext) string { return c.arn("sns", c.name) },
		attributes: func(c *attrContext) map[string]any {
			return map[string]any{"arn": c.id, "owner": c.account}
		},
	},
	typeTopicSubscription: {
		replaceOn: []string{"topic", "protocol", "endpoint"},
		newID:     func(c *attrContext) string { return c.input("topic") + ":" + randomUUID() },
		attributes: func(c *attrContext) map[string]any {
			protocol := c.input("protocol")
			return map[string]any{
				"arn":                 c.id,
				"ownerId":             c.account,
				"pendingConfirmation": protocol == "email" || protocol == "email-json",
			}
		},
	},
	awstypes.SNSTopicPolicy: {
		replaceOn:  []string{"arn"},
		newID:      idFromInput("arn"),
		attributes: func(c *attrContext) map[string]any { return map[string]any{"owner": c.account} },
	},
	typeKMSKey: {
		newID: func(*attrContext) string { return randomUUID() },
		attributes: func(c *attrContext) map[string]any {
			return map[string]any{"arn": c.arn("kms", "key/"+c.id), "keyId": c.id}
		},
	},
	awstypes.KMSAlias: {
		nameProperty: "name",
		attributes: func(c *attrContext) map[string]any {
			target := c.input("targetKeyId")
			if !strings.HasPrefix(target, "arn:") {
				target = c.arn("kms", "key/"+target)
			}
			return map[string]any{"arn": c.arn("kms", c.name), "targetKeyArn": target}
		},
	},
	typeVPCEndpoint: {
		replaceOn: []string{"vpcId", "serviceName", "vpcEndpointType"},
		newID:     ec2ID("vpce"),
		attributes: func(c *attrContext) map[string]any {
			return map[string]any{
				"arn":     c.arn("ec2", "vpc-endpoint/"+c.id),
				"ownerId": c.account,
				"state":   "available",
				// AWS reports the service's prefix list on every endpoint; a
				// gateway endpoint's is what egress rules reference.
				"prefixListId": c.kept("prefixListId", func() string { return "pl-" + randomHex(8) }),
			}
		},
	},
	typeSecurityGroup: {
		nameProperty: "name",
		replaceOn:    []string{"vpcId", "description"},
		newID:        ec2ID("sg"),
		attributes: func(c *attrContext) map[string]any {
			return map[string]any{"arn": c.arn("ec2", "security-group/"+c.id), "ownerId": c.account}
		},
	},
	typeSecurityGroupRuleIn:  securityGroupRuleKind("sgr"),
	typeSecurityGroupRuleOut: securityGroupRuleKind("sgr"),
	typeSecurityGroupRuleEC2: securityGroupRuleKind("sgrule"),
	awstypes.LogGroup:        namedWithARN("logs", "log-group:"),
	// "Metric filter names must be unique within a log group"; the
	// provider's id is the name alone (terraform-provider-aws
	// logs/metric_filter.go resourceMetricFilterPut, d.SetId(name); Read by
	// log_group_name and name). https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutMetricFilter.html
	awstypes.LogMetricFilter: {
		nameProperty: "name",
		replaceOn:    []string{"logGroupName"},
		attributes:   noAttributes,
		scopedBy:     "logGroupName",
	},
	awstypes.MetricAlarm: namedWithARN("cloudwatch", "alarm:"),
}

// kindOf returns the table entry for token, or a generic one: named by its
// "name" input when it has one, with an ARN built from the token's module.
func kindOf(token string, inputs map[string]any) kind {
	if k, ok := kinds[token]; ok {
		return k
	}
	return genericKind(token, inputs)
}

func genericKind(token string, inputs map[string]any) kind {
	service, resource := splitToken(token)
	k := kind{
		attributes: func(c *attrContext) map[string]any {
			return map[string]any{"arn": c.arn(service, resource+"/"+c.id)}
		},
	}
	if _, named := inputs["name"]; named {
		k.nameProperty = "name"
	} else {
		k.newID = func(*attrContext) string { return "fake-" + randomHex(17) }
	}
	return k
}

// splitToken turns "aws:ec2/flowLog:FlowLog" into ("ec2", "flowlog") and
// "aws-native:sagemaker:Project" into ("sagemaker", "project").
func splitToken(token string) (service, resource string) {
	parts := strings.Split(token, ":")
	if len(parts) != 3 {
		return "unknown", strings.ToLower(token)
	}
	service, _, _ = strings.Cut(parts[1], "/")
	return service, strings.ToLower(parts[2])
}
