package render

import (
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlprov/mlprov/internal/provtemplate"
)

type testComponent struct{ pulumi.ResourceState }

func TestProgramRecordsResourcesParentsAndLookups(t *testing.T) {
	var gotAccount string
	rec, err := Program(func(ctx *pulumi.Context) error {
		comp := &testComponent{}
		if err := ctx.RegisterComponentResource("mlprov:test:Comp", "store", comp); err != nil {
			return err
		}
		b, err := s3.NewBucketV2(ctx, "store-bucket", &s3.BucketV2Args{
			Bucket: pulumi.String("acme-dev-artifacts"),
			Tags:   pulumi.StringMap{"k": pulumi.String("v")},
		}, pulumi.Parent(comp), pulumi.Protect(true))
		if err != nil {
			return err
		}
		_, err = s3.NewBucketVersioningV2(ctx, "store-versioning", &s3.BucketVersioningV2Args{
			Bucket:                  b.ID(),
			VersioningConfiguration: s3.BucketVersioningV2VersioningConfigurationArgs{Status: pulumi.String("Enabled")},
		}, pulumi.Parent(comp), pulumi.DependsOn([]pulumi.Resource{b}))
		if err != nil {
			return err
		}
		id, err := aws.GetCallerIdentity(ctx, nil)
		if err != nil {
			return err
		}
		gotAccount = id.AccountId
		return nil
	}, Options{Stack: "s", AccountID: "123456789012", Region: "eu-west-1"})
	if err != nil {
		t.Fatal(err)
	}
	bucket, ok := rec.Find("aws:s3/bucketV2:BucketV2", "store-bucket")
	if !ok {
		t.Fatalf("bucket not recorded: %+v", rec.Resources)
	}
	if bucket.PhysicalName != "acme-dev-artifacts" || !bucket.Protect || !bucket.Custom || bucket.Provider != "aws" {
		t.Errorf("bucket recorded wrong: %+v", bucket)
	}
	if want := "urn:pulumi:s::mlprov::mlprov:test:Comp$aws:s3/bucketV2:BucketV2::store-bucket"; bucket.URN != want {
		t.Errorf("URN = %q, want %q", bucket.URN, want)
	}
	if !strings.HasSuffix(bucket.Parent, "mlprov:test:Comp::store") {
		t.Errorf("parent = %q", bucket.Parent)
	}
	if bucket.Inputs["tags"].(map[string]any)["k"] != "v" {
		t.Errorf("tags not recorded: %v", bucket.Inputs)
	}
	ver, _ := rec.Find("aws:s3/bucketVersioningV2:BucketVersioningV2", "store-versioning")
	if ver.Inputs["bucket"] != "acme-dev-artifacts" {
		t.Errorf("versioning bucket input = %v, want the bucket id", ver.Inputs["bucket"])
	}
	if len(ver.DependsOn) != 1 || ver.DependsOn[0] != bucket.URN {
		t.Errorf("dependsOn = %v, want [%s]", ver.DependsOn, bucket.URN)
	}
	if !provtemplate.IsPlaceholder(gotAccount) {
		t.Errorf("caller identity offline = %q, want a marked placeholder", gotAccount)
	}
	if len(rec.Lookups) != 1 || !rec.Lookups[0].Placeholder {
		t.Errorf("lookups = %+v", rec.Lookups)
	}
}
