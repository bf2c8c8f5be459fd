package e2e_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/mlprov/mlprov/internal/awstypes"
	"github.com/mlprov/mlprov/internal/naming"
	"github.com/mlprov/mlprov/internal/tags"
	"github.com/mlprov/mlprov/test/e2e"
	"github.com/mlprov/mlprov/test/fakeaws/cloudstate"
	"github.com/mlprov/mlprov/test/fakeaws/control"
	"github.com/mlprov/mlprov/test/fakeaws/netpath"
)

// The old guide's two enterprise products of one tenant: their default
// vpc_name resolves the same VPC.
const (
	forecastingConfig = "configs/globalbank-prod-c001-us-west-2-demand-forecasting-ml-codecommit-standalone-ssm.yaml"
	churnConfig       = "configs/globalbank-prod-c001-us-west-2-churn-ml-codecommit-standalone-ssm.yaml"
)

// shared splits resources into the shared VPC infrastructure (the Shared
// tag) and the rest.
func shared(rs []control.Resource) (sharedIDs, rest []string) {
	for _, r := range rs {
		if t, _ := r.Inputs["tags"].(map[string]any); t[tags.Shared] == tags.SharedVPCValue {
			sharedIDs = append(sharedIDs, r.ID)
		} else {
			rest = append(rest, r.Type+" "+r.ID)
		}
	}
	slices.Sort(sharedIDs)
	return sharedIDs, rest
}

// endpointsIn lists the endpoint resources a stack's state holds.
func (p *product) endpointsIn() []string {
	var out []string
	for _, r := range p.stateResources(p.names.StackName) {
		if r.Type == awstypes.VPCEndpoint {
			out = append(out, r.URN)
		}
	}
	return out
}

// TestTwoProductsShareOneVPC: two enterprise products of one tenant, each in
// its own backend, in one VPC. The second uses the endpoints the first
// created; deleting the first keeps them and the second keeps working; the
// first comes back and adopts what it created; both delete cleanly and only
// the shared endpoints and their group stay, with the commands to remove them.
func TestTwoProductsShareOneVPC(t *testing.T) {
	a := newProduct(t, forecastingConfig)
	b := newProduct(t, churnConfig)
	b.cloud = a.cloud
	if naming.VPCName(a.cfg) != naming.VPCName(b.cfg) {
		t.Fatalf("the configs resolve different VPCs: %s, %s", naming.VPCName(a.cfg), naming.VPCName(b.cfg))
	}

	a.expect(exitOK, a.command("deploy-product", "--force")...)
	checkPrivateBuildReachesAWS(t, a)
	created, _ := shared(a.cloudResources())
	if len(created) != 6 { // s3, sagemaker.api, sagemaker.runtime, sts, logs + the endpoints' group
		t.Fatalf("the first product created shared resources %v, want 5 endpoints and their group", created)
	}
	// The second also needs a kms endpoint (extra_endpoints: [logs, kms]):
	// it creates that one, with a group for it, and uses the other five.
	b.expect(exitOK, b.command("deploy-product", "--force")...)
	if eps := b.endpointsIn(); len(eps) != 1 || !strings.HasSuffix(eps[0], "network-kms") {
		t.Errorf("the second product manages endpoints %v, want only its kms endpoint", eps)
	}
	all, _ := shared(a.cloudResources())
	if len(all) != len(created)+2 || !isSubset(created, all) {
		t.Errorf("shared resources after the second deploy %v, want %v plus the kms endpoint and its group", all, created)
	}
	if id, _ := b.stackOutputs()[naming.OutVpcEndpointIDSts].(string); !slices.Contains(created, id) {
		t.Errorf("the second product's %s is %q, want the shared endpoint (%v)", naming.OutVpcEndpointIDSts, id, created)
	}
	firstCreated, created := created, all

	deleted := a.expect(exitOK, a.command("delete-product", "--force")...)
	for _, id := range firstCreated {
		if !strings.Contains(deleted.stdout, id) {
			t.Errorf("delete-product does not say it kept %s:\n%s", id, deleted.stdout)
		}
	}
	if got, _ := shared(a.cloudResources()); !slices.Equal(got, created) {
		t.Errorf("after the first product's delete the VPC holds %v, want %v", got, created)
	}
	b.expect(exitOK, b.command("show-changes", "--detailed-exitcode")...)
	b.expect(exitOK, b.command("check-drift")...)
	checkPrivateBuildReachesAWS(t, b) // through the endpoints the first product created

	// The first product again: it adopts its own kept endpoints and group.
	a.expect(exitOK, a.command("deploy-product", "--force")...)
	if got, _ := shared(a.cloudResources()); !slices.Equal(got, created) {
		t.Errorf("after the first product came back the VPC holds %v, want the same %v", got, created)
	}
	if eps := a.endpointsIn(); len(eps) != 5 {
		t.Errorf("the first product manages endpoints %v again, want its 5", eps)
	}
	a.expect(exitOK, a.command("show-changes", "--detailed-exitcode")...)

	b.expect(exitOK, b.command("delete-product", "--force")...)
	a.expect(exitOK, a.command("delete-product", "--force")...)
	left, rest := shared(a.cloudResources())
	if !slices.Equal(left, created) || len(rest) != 0 {
		t.Errorf("after both deletes: shared %v (want %v), other resources %v (want none)", left, created, rest)
	}
}

// TestVPCWithoutDNSHostnamesFailsThePreview: the preview stops with the
// command that turns the attribute on, and nothing is created.
func TestVPCWithoutDNSHostnamesFailsThePreview(t *testing.T) {
	p := newProduct(t, forecastingConfig)
	if err := control.SeedVPCAs(p.cloud, cloudstate.SeededVPC{
		ID: e2e.SeededVPCID, CidrBlock: e2e.SeededVPCCIDR, SubnetIDs: e2e.SeededSubnetIDs, DNSHostnamesDisabled: true,
	}); err != nil {
		t.Fatal(err)
	}
	r := p.mlprov(p.command("show-changes")...)
	if r.code == exitOK || r.code == exitChanges || !strings.Contains(r.stderr, "--enable-dns-hostnames") || !strings.Contains(r.stderr, e2e.SeededVPCID) {
		t.Errorf("show-changes on a VPC without DNS hostnames: want a failure naming the VPC and the fix, got %s", r)
	}
	if left := p.stacks(); len(left) != 0 || len(p.cloudResources()) != 0 {
		t.Errorf("the failed preview left stacks %v and %d resources", left, len(p.cloudResources()))
	}
}

func isSubset(sub, of []string) bool {
	for _, s := range sub {
		if !slices.Contains(of, s) {
			return false
		}
	}
	return true
}

// checkPrivateBuildReachesAWS: the product's build, in its private subnets
// and builds' group, can make the calls a build makes, each through the
// VPC's endpoint (netpath checks subnet, route, egress, endpoint group and
// endpoint policy as AWS would).
func checkPrivateBuildReachesAWS(t *testing.T, p *product) {
	t.Helper()
	store, err := cloudstate.Open(p.cloud)
	if err != nil {
		t.Fatal(err)
	}
	vpcs, err := store.VPCs()
	if err != nil {
		t.Fatal(err)
	}
	resources := p.cloudResources()
	n := p.names
	region, account := arnRegionAccount(t, resourceOutput(t, resources, awstypes.CodeBuildProject, n.BuildProject, "arn"))
	cloud := netpath.Cloud{Resources: resources, VPCs: vpcs, Region: region}
	for _, call := range []netpath.Call{
		{Service: "s3", Action: "s3:GetObject", Resource: "arn:aws:s3:::" + n.ArtifactBucket + "/source.zip"},
		{Service: "logs", Action: "logs:PutLogEvents", Resource: "arn:aws:logs:" + region + ":" + account + ":log-group:" + n.BuildLogGroup + ":log-stream:build"},
		{Service: "sts", Action: "sts:GetCallerIdentity", Resource: "*"},
		{Service: "sagemaker.api", Action: "sagemaker:CreateModelPackage", Resource: "arn:aws:sagemaker:" + region + ":" + account + ":model-package/" + n.ModelPackageGroup + "/1"},
	} {
		call.PrincipalAccount = account
		if err := cloud.Reach(n.BuildProject, call); err != nil {
			t.Errorf("%s: %v", call.Action, err)
		}
	}
	// A principal of another account is refused at the endpoint (the
	// perimeter), and so is a build outside the route of the gateway.
	foreign := netpath.Call{Service: "s3", Action: "s3:GetObject", Resource: "arn:aws:s3:::" + n.ArtifactBucket + "/x", PrincipalAccount: "999999999999"}
	if err := cloud.Reach(n.BuildProject, foreign); err == nil || !strings.Contains(err.Error(), "endpoint policy refuses") {
		t.Errorf("another account's principal through the S3 gateway: got %v, want refused by the endpoint policy", err)
	}
}
