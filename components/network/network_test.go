package network

import (
	"slices"
	"strings"
	"sync"
	"testing"

	mltags "github.com/mlprov/mlprov/internal/tags"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// registered records what a program registered: logical name → import id
// and retainOnDelete.
type registered struct {
	mu        sync.Mutex
	importIDs map[string]string
	retained  map[string]bool
}

func (r *registered) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.importIDs[args.Name] = args.ID
	r.retained[args.Name] = args.RegisterRPC.GetRetainOnDelete()
	id := args.ID
	if id == "" {
		id = args.Name + "-id"
	}
	return id, args.Inputs, nil
}

func (r *registered) Call(pulumi.MockCallArgs) (resource.PropertyMap, error) {
	return resource.PropertyMap{}, nil
}

// TestSharedEndpointsAreReusedKeptAndAdopted: an endpoint another product
// created is used, not created; one this product created before is adopted
// (import); whatever is created is kept on delete and tagged shared; the
// builds' group belongs to the product alone.
func TestSharedEndpointsAreReusedKeptAndAdopted(t *testing.T) {
	owner := Owner{MLName: "acme-prod-churn-ml"}
	mine := map[string]string{mltags.MLName: owner.MLName}
	othersTestCopy := map[string]string{mltags.MLName: owner.MLName, mltags.TestID: "a1b2"}
	rec := &registered{importIDs: map[string]string{}, retained: map[string]bool{}}
	var got *PrivateEndpoints
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		var err error
		got, err = New(ctx, "network", Args{
			VpcID: "vpc-1", SubnetIDs: []string{"subnet-1"}, RouteTableIDs: []string{"rtb-1"},
			Existing: map[string]ExistingEndpoint{
				STS:          {ID: "vpce-sts-team", SecurityGroupIDs: []string{"sg-team"}, Tags: map[string]string{"team": "network"}},
				SageMakerAPI: {ID: "vpce-api-mine", Tags: mine},
				Logs:         {ID: "vpce-logs-test", Tags: othersTestCopy},
			},
			Owner:               owner,
			CreateSecurityGroup: &NewSecurityGroup{Name: "eps", VpcCIDR: "10.0.0.0/16", KeptID: "sg-kept"},
			BuildSecurityGroup:  &NewSecurityGroup{Name: "builds", VpcCIDR: "10.0.0.0/16"},
			ARNs:                testARNs,
			Tags:                mine,
		})
		return err
	}, pulumi.WithMocks("p", "s", rec))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, importID string
		created, kept  bool
	}{
		{"network-sts", "", false, false},                      // someone else's: used
		{"network-sagemaker-api", "vpce-api-mine", true, true}, // ours from before: adopted
		{"network-logs", "", false, false},                     // a test copy's is not ours: used
		{"network-s3", "", true, true},
		{"network-endpoints-sg", "sg-kept", true, true},
		{"network-builds-sg", "", true, false},
	} {
		importID, created := rec.importIDs[c.name]
		if created != c.created || importID != c.importID || rec.retained[c.name] != c.kept {
			t.Errorf("%s: created %v import %q kept %v, want %v %q %v", c.name, created, importID, rec.retained[c.name], c.created, c.importID, c.kept)
		}
	}
	if !slices.Equal(got.Reused, []string{STS, Logs}) {
		t.Errorf("reused %v, want [sts logs]", got.Reused)
	}
}

// TestAnotherS3GatewayMustRouteTheSubnets: an S3 gateway someone else made
// is used only when it is on the private subnets' route tables; otherwise
// the preview stops with the command that adds them.
func TestAnotherS3GatewayMustRouteTheSubnets(t *testing.T) {
	for _, c := range []struct {
		name    string
		tables  []string
		wantErr string
	}{
		{"on both tables", []string{"rtb-1", "rtb-2", "rtb-other"}, ""},
		{"on one", []string{"rtb-1"}, "--add-route-table-ids rtb-2"},
	} {
		rec := &registered{importIDs: map[string]string{}, retained: map[string]bool{}}
		err := pulumi.RunErr(func(ctx *pulumi.Context) error {
			_, err := New(ctx, "network", Args{
				VpcID: "vpc-1", SubnetIDs: []string{"subnet-1"}, RouteTableIDs: []string{"rtb-1", "rtb-2"},
				Existing: map[string]ExistingEndpoint{S3: {ID: "vpce-s3-team", RouteTableIDs: c.tables}},
				Owner:    Owner{MLName: "p"}, SecurityGroupID: "sg-1", ARNs: testARNs,
			})
			return err
		}, pulumi.WithMocks("p", "s", rec))
		if c.wantErr == "" && err != nil || c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr) || !strings.Contains(err.Error(), "vpce-s3-team")) {
			t.Errorf("%s: got %v, want %q", c.name, err, c.wantErr)
		}
	}
}
