// Package awstypes is the one list of Pulumi type tokens mlprov reads or
// writes: the resources and data sources of pulumi-aws v6 and aws-native
// that the program creates, the renderer synthesizes, the policy rules
// judge, the reports look for, the deployer policy grants and the AWS test
// double imitates. It imports nothing, so every package can use it.
//
// A token is spelled here once. awstypes_test checks each one against the
// SDK that registers it, and fails when a .go file outside this package
// (tests excepted: they pin tokens independently) writes a token literal.
package awstypes

// Resources of pulumi-aws v6 (package aws).
const (
	S3Bucket                   = "aws:s3/bucket:Bucket"
	S3BucketV2                 = "aws:s3/bucketV2:BucketV2"
	S3BucketVersioning         = "aws:s3/bucketVersioningV2:BucketVersioningV2"
	S3BucketEncryption         = "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"
	S3BucketPublicAccessBlock  = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
	S3BucketOwnershipControls  = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
	S3BucketPolicy             = "aws:s3/bucketPolicy:BucketPolicy"
	S3BucketACL                = "aws:s3/bucketAclV2:BucketAclV2"
	S3BucketLifecycle          = "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2"
	S3BucketLogging            = "aws:s3/bucketLoggingV2:BucketLoggingV2"
	S3BucketNotification       = "aws:s3/bucketNotification:BucketNotification"
	IAMRole                    = "aws:iam/role:Role"
	IAMPolicy                  = "aws:iam/policy:Policy"
	IAMRolePolicy              = "aws:iam/rolePolicy:RolePolicy"
	IAMRolePolicyAttachment    = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
	KMSKey                     = "aws:kms/key:Key"
	KMSKeyPolicy               = "aws:kms/keyPolicy:KeyPolicy"
	KMSAlias                   = "aws:kms/alias:Alias"
	CodeCommitRepository       = "aws:codecommit/repository:Repository"
	CodeBuildProject           = "aws:codebuild/project:Project"
	CodePipeline               = "aws:codepipeline/pipeline:Pipeline"
	CodeConnection             = "aws:codeconnections/connection:Connection"
	CodeStarConnection         = "aws:codestarconnections/connection:Connection" // before the CodeConnections rename; never created by mlprov
	EventRule                  = "aws:cloudwatch/eventRule:EventRule"
	EventTarget                = "aws:cloudwatch/eventTarget:EventTarget"
	LogGroup                   = "aws:cloudwatch/logGroup:LogGroup"
	LogMetricFilter            = "aws:cloudwatch/logMetricFilter:LogMetricFilter"
	MetricAlarm                = "aws:cloudwatch/metricAlarm:MetricAlarm"
	Dashboard                  = "aws:cloudwatch/dashboard:Dashboard"
	SNSTopic                   = "aws:sns/topic:Topic"
	SNSTopicPolicy             = "aws:sns/topicPolicy:TopicPolicy"
	SNSTopicSubscription       = "aws:sns/topicSubscription:TopicSubscription"
	CloudTrail                 = "aws:cloudtrail/trail:Trail"
	SSMParameter               = "aws:ssm/parameter:Parameter"
	VPCEndpoint                = "aws:ec2/vpcEndpoint:VpcEndpoint"
	SecurityGroup              = "aws:ec2/securityGroup:SecurityGroup"
	SecurityGroupRule          = "aws:ec2/securityGroupRule:SecurityGroupRule"
	SecurityGroupIngressRule   = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
	SecurityGroupEgressRule    = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"
	SageMakerModelPackageGroup = "aws:sagemaker/modelPackageGroup:ModelPackageGroup"
)

// Resources of aws-native (package aws-native).
const (
	NativeS3Bucket                   = "aws-native:s3:Bucket"
	NativeS3BucketPolicy             = "aws-native:s3:BucketPolicy"
	NativeIAMRole                    = "aws-native:iam:Role"
	NativeKMSKey                     = "aws-native:kms:Key"
	NativeLogGroup                   = "aws-native:logs:LogGroup"
	NativeSageMakerModelPackageGroup = "aws-native:sagemaker:ModelPackageGroup"
)

// Data sources (invokes).
const (
	GetCallerIdentity           = "aws:index/getCallerIdentity:getCallerIdentity"
	GetRegion                   = "aws:index/getRegion:getRegion"
	GetPartition                = "aws:index/getPartition:getPartition"
	GetSSMParameter             = "aws:ssm/getParameter:getParameter"
	GetVPC                      = "aws:ec2/getVpc:getVpc"
	GetSubnet                   = "aws:ec2/getSubnet:getSubnet"
	GetSubnets                  = "aws:ec2/getSubnets:getSubnets"
	GetRouteTables              = "aws:ec2/getRouteTables:getRouteTables"
	GetVPCEndpoint              = "aws:ec2/getVpcEndpoint:getVpcEndpoint"
	GetSecurityGroup            = "aws:ec2/getSecurityGroup:getSecurityGroup"
	GetS3Bucket                 = "aws:s3/getBucket:getBucket"
	NativeGetAccountID          = "aws-native:index:getAccountId"
	NativeGetRegion             = "aws-native:index:getRegion"
	NativeGetPartition          = "aws-native:index:getPartition"
	NativeGetURLSuffix          = "aws-native:index:getUrlSuffix"
	NativeGetSSMParameterString = "aws-native:index:getSsmParameterString"
	// NativeGetS3Bucket reads a bucket through Cloud Control (the S3 source's
	// EventBridge notification setting).
	NativeGetS3Bucket = "aws-native:s3:getBucket"
)

// ModelPackageGroups are both spellings of the model registry.
var ModelPackageGroups = []string{NativeSageMakerModelPackageGroup, SageMakerModelPackageGroup}

// All lists every token above, for the tests that keep this list honest.
var All = []string{
	S3Bucket, S3BucketV2, S3BucketVersioning, S3BucketEncryption, S3BucketPublicAccessBlock,
	S3BucketOwnershipControls, S3BucketPolicy, S3BucketACL, S3BucketLifecycle, S3BucketLogging,
	S3BucketNotification, IAMRole, IAMPolicy, IAMRolePolicy, IAMRolePolicyAttachment, KMSKey,
	KMSKeyPolicy, KMSAlias, CodeCommitRepository, CodeBuildProject, CodePipeline, CodeConnection,
	CodeStarConnection, EventRule, EventTarget, LogGroup, LogMetricFilter, MetricAlarm, Dashboard,
	SNSTopic, SNSTopicPolicy, SNSTopicSubscription, CloudTrail, SSMParameter, VPCEndpoint, SecurityGroup,
	SecurityGroupRule, SecurityGroupIngressRule, SecurityGroupEgressRule, SageMakerModelPackageGroup,
	NativeS3Bucket, NativeS3BucketPolicy, NativeIAMRole, NativeKMSKey, NativeLogGroup,
	NativeSageMakerModelPackageGroup,
	GetCallerIdentity, GetRegion, GetPartition, GetSSMParameter, GetVPC, GetSubnet, GetSubnets,
	GetRouteTables, GetVPCEndpoint, GetSecurityGroup, GetS3Bucket, NativeGetAccountID, NativeGetRegion, NativeGetPartition, NativeGetURLSuffix,
	NativeGetSSMParameterString, NativeGetS3Bucket,
}
