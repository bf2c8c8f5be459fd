package e2e_test

import (
	"slices"
	"testing"

	"github.com/mlprov/mlprov/test/fakeaws/awsevents"
	"github.com/mlprov/mlprov/test/fakeaws/eventbus"
)

// TestDeployedTriggersStartTheRightPipelines deploys an enterprise product
// through the real engine into the test double, then routes AWS-shaped
// events through the EventBridge rules and targets the fake cloud holds.
func TestDeployedTriggersStartTheRightPipelines(t *testing.T) {
	p := newProduct(t, tierCases["enterprise"].config)
	p.expect(exitOK, p.command("deploy-product", "--force")...)
	defer p.expect(exitOK, p.command("delete-product", "--force")...)

	cloud := p.cloudResources()
	pipelineArn := map[string]string{} // name → ARN as AWS reports it
	for _, r := range cloud {
		if r.Type == "aws:codepipeline/pipeline:Pipeline" {
			arn, _ := r.Outputs["arn"].(string)
			pipelineArn[r.Name] = arn
		}
	}
	n := p.names
	build, deploy := pipelineArn[n.BuildPipeline], pipelineArn[n.DeployPipeline]
	if build == "" || deploy == "" {
		t.Fatalf("pipelines in the cloud: %v", pipelineArn)
	}
	region, account := arnRegionAccount(t, build)
	ev := awsevents.Source{Account: account, Region: region}
	for _, c := range []struct {
		name, event string
		want        []string
	}{
		{"push to the build branch", ev.CodeCommitPush(n.BuildRepository, "main"), []string{build}},
		{"push to another branch", ev.CodeCommitPush(n.BuildRepository, "experiment"), nil},
		{"push to the deploy repository", ev.CodeCommitPush(n.DeployRepository, "main"), nil},
		{"model of this group approved", ev.ModelPackageStateChange(n.ModelPackageGroup, "Approved"), []string{deploy}},
		{"model of this group rejected", ev.ModelPackageStateChange(n.ModelPackageGroup, "Rejected"), nil},
		{"model of another group approved", ev.ModelPackageStateChange("someone-elses-models", "Approved"), nil},
	} {
		got, err := eventbus.Route(cloud, c.event)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s reached %v, want %v", c.name, got, c.want)
		}
	}
}
