package rules

import "github.com/mlprov/mlprov/internal/awstypes"

// Type tokens the rules judge (pulumi-aws v6 and aws-native).
const (
	typeKMSKey          = awstypes.KMSKey
	typeKMSKeyPolicy    = awstypes.KMSKeyPolicy
	typeNativeKMSKey    = awstypes.NativeKMSKey
	typeBucket          = awstypes.S3Bucket
	typeBucketV2        = awstypes.S3BucketV2
	typeNativeBucket    = awstypes.NativeS3Bucket
	typeBucketSSE       = awstypes.S3BucketEncryption
	typeBucketPAB       = awstypes.S3BucketPublicAccessBlock
	typeBucketVersion   = awstypes.S3BucketVersioning
	typeBucketOwnership = awstypes.S3BucketOwnershipControls
	typeBucketPolicy    = awstypes.S3BucketPolicy
	typeNativeBktPolicy = awstypes.NativeS3BucketPolicy
	typeBucketACL       = awstypes.S3BucketACL
	typeRole            = awstypes.IAMRole
	typeNativeRole      = awstypes.NativeIAMRole
	typePolicy          = awstypes.IAMPolicy
	typeRolePolicy      = awstypes.IAMRolePolicy
	typeRoleAttachment  = awstypes.IAMRolePolicyAttachment
	typeCodeBuild       = awstypes.CodeBuildProject
	typePipeline        = awstypes.CodePipeline
	typeEventRule       = awstypes.EventRule
	typeEventTarget     = awstypes.EventTarget
	typeLogGroup        = awstypes.LogGroup
	typeNativeLogGroup  = awstypes.NativeLogGroup
	typeMetricFilter    = awstypes.LogMetricFilter
	typeMetricAlarm     = awstypes.MetricAlarm
	typeTopic           = awstypes.SNSTopic
	typeTopicPolicy     = awstypes.SNSTopicPolicy
	typeVPCEndpoint     = awstypes.VPCEndpoint
	typeSecurityGroup   = awstypes.SecurityGroup
	typeSGRule          = awstypes.SecurityGroupRule
	typeSGIngressRule   = awstypes.SecurityGroupIngressRule
	typeSGEgressRule    = awstypes.SecurityGroupEgressRule
	typeSSMParameter    = awstypes.SSMParameter
	typeModelPkgGroup   = awstypes.SageMakerModelPackageGroup
	typeNativeModelPkg  = awstypes.NativeSageMakerModelPackageGroup
)
