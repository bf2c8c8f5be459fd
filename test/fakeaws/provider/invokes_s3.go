package provider

import (
	"errors"
	"fmt"

	"github.com/mlprov/mlprov/internal/awstypes"
	"github.com/mlprov/mlprov/test/fakeaws/cloudstate"
)

func init() { invokes[awstypes.NativeGetS3Bucket] = getNativeBucket }

// getNativeBucket answers aws-native's Cloud Control read of an
// AWS::S3::Bucket from a seeded bucket: the properties of the resource
// schema (pulumi-aws-native aws-cloudformation-schema/aws-s3-bucket.json)
// with NotificationConfiguration.EventBridgeConfiguration.EventBridgeEnabled
// only when the bucket sends events to EventBridge — S3's
// GetBucketNotificationConfiguration returns no EventBridgeConfiguration
// member otherwise (aws-sdk-go s3 api-2.json, NotificationConfiguration).
// A bucket that does not exist is Cloud Control's ResourceNotFoundException
// (https://docs.aws.amazon.com/cloudcontrolapi/latest/APIReference/API_GetResource.html).
func getNativeBucket(s *Server, c *attrContext, args map[string]any) (map[string]any, error) {
	name, _ := args["bucketName"].(string)
	b, err := s.store.Bucket(name)
	if errors.Is(err, cloudstate.ErrNotFound) {
		return nil, fmt.Errorf("fakeaws: ResourceNotFoundException: AWS::S3::Bucket %q not found", name)
	}
	if err != nil {
		return nil, err
	}
	notification := map[string]any{}
	if b.EventBridgeEnabled {
		notification["eventBridgeConfiguration"] = map[string]any{"eventBridgeEnabled": true}
	}
	return map[string]any{
		"bucketName":                b.Name,
		"arn":                       "arn:" + c.partition + ":s3:::" + b.Name,
		"domainName":                b.Name + ".s3.amazonaws.com",
		"regionalDomainName":        b.Name + ".s3." + c.region + ".amazonaws.com",
		"notificationConfiguration": notification,
	}, nil
}
