package cli

import (
	"slices"
	"testing"

	"github.com/mlprov/mlprov/internal/awstypes"
	"github.com/mlprov/mlprov/internal/engine"
)

// What a delete keeps is listed endpoints first: a group an endpoint still
// uses cannot be deleted before it.
func TestKeptResourcesEndpointsBeforeTheirGroup(t *testing.T) {
	state := &engine.Deployment{Resources: []engine.DeployedResource{
		{Type: awstypes.SecurityGroup, ID: "sg-1", Kept: true},
		{Type: awstypes.VPCEndpoint, ID: "vpce-1", Kept: true},
		{Type: awstypes.CodeBuildProject, ID: "build"},
		{Type: awstypes.VPCEndpoint, ID: "vpce-2", Kept: true},
	}}
	var got []string
	for _, k := range keptResources(state) {
		got = append(got, k.Remove)
	}
	want := []string{
		"aws ec2 delete-vpc-endpoints --vpc-endpoint-ids vpce-1",
		"aws ec2 delete-vpc-endpoints --vpc-endpoint-ids vpce-2",
		"aws ec2 delete-security-group --group-id sg-1",
	}
	if !slices.Equal(got, want) {
		t.Errorf("kept %v, want %v", got, want)
	}
}
