package source_test

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlprov/mlprov/components/source"
	"github.com/mlprov/mlprov/internal/awstypes"
	"github.com/mlprov/mlprov/internal/naming"
)

// bucketMocks answers the bucket read with EventBridge notifications on or
// off, as Cloud Control reports AWS::S3::Bucket.
type bucketMocks struct {
	eventBridge bool
	read        []string // buckets read
}

func (m *bucketMocks) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	return args.Name, args.Inputs, nil
}

func (m *bucketMocks) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	if args.Token != awstypes.NativeGetS3Bucket {
		return resource.PropertyMap{}, nil
	}
	m.read = append(m.read, args.Args["bucketName"].StringValue())
	notification := map[string]any{}
	if m.eventBridge {
		notification["eventBridgeConfiguration"] = map[string]any{"eventBridgeEnabled": true}
	}
	return resource.NewPropertyMapFromMap(map[string]any{"bucketName": args.Args["bucketName"], "notificationConfiguration": notification}), nil
}

func TestS3SourceAsksForEventBridgeOnlyWhenOff(t *testing.T) {
	for _, on := range []bool{true, false} {
		m := &bucketMocks{eventBridge: on}
		var pending []string
		err := pulumi.RunErr(func(ctx *pulumi.Context) error {
			src, err := source.New(ctx, "source", source.Args{S3Prefix: "acme-source/churn", ARNs: naming.ARNsFor("111122223333", "eu-west-1")})
			if err == nil {
				pending = src.PendingSetup
			}
			return err
		}, pulumi.WithMocks("p", "s", m))
		if err != nil {
			t.Fatal(err)
		}
		if len(m.read) != 1 || m.read[0] != "acme-source" {
			t.Errorf("buckets read: %v, want the source bucket once", m.read)
		}
		want := 0
		if !on {
			want = 1
		}
		if len(pending) != want || !on && pending[0] != source.S3EventBridgeSetup("acme-source") {
			t.Errorf("EventBridge on=%v: pending setup %q", on, pending)
		}
	}
}
