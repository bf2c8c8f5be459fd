package stacks_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/mlprov/mlprov/internal/config"
	"github.com/mlprov/mlprov/internal/iampolicy"
	"github.com/mlprov/mlprov/internal/naming"
	"github.com/mlprov/mlprov/internal/policydoc"
	"github.com/mlprov/mlprov/internal/render"
	"github.com/mlprov/mlprov/stacks"
	"github.com/mlprov/mlprov/test/fakeaws/awsevents"
	"github.com/mlprov/mlprov/test/fakeaws/eventpattern"
	"github.com/mlprov/mlprov/test/iamsim"
)

// events are AWS-shaped events from the test account and region.
var events = awsevents.Source{Account: testAccount, Region: testRegion}

// startedPipelines evaluates every rule's pattern with the EventBridge
// matcher of the test double and returns the pipelines its targets start.
func startedPipelines(t *testing.T, rec *render.Recording, event string) []string {
	t.Helper()
	var started []string
	for _, rule := range rec.ByType(tEventRule) {
		ok, err := eventpattern.Match(str(rule.Inputs["eventPattern"]), event)
		if err != nil {
			t.Fatalf("rule %s: %v", rule.PhysicalName, err)
		}
		if !ok {
			continue
		}
		for _, target := range rec.ByType(tEventTarget) {
			if str(target.Inputs["rule"]) != rule.PhysicalName {
				continue
			}
			if arn := str(target.Inputs["arn"]); strings.HasPrefix(arn, "arn:aws:codepipeline:") {
				started = append(started, arn[strings.LastIndex(arn, ":")+1:])
			}
		}
	}
	return started
}

func TestPipelinesStartOnlyOnTheirEvents(t *testing.T) {
	for _, kind := range []config.SourceControl{config.SourceCodeCommit, config.SourceS3, config.SourceCodeConnections} {
		t.Run(string(kind), func(t *testing.T) {
			cfg := withSource(baseConfig(config.TierStarter, "prod"), kind)
			n := naming.For(cfg)
			rec := run(t, cfg, stacks.Options{})
			var buildPush, deployPush string
			switch kind {
			case config.SourceCodeCommit:
				buildPush, deployPush = events.CodeCommitPush(n.BuildRepository, "main"), events.CodeCommitPush(n.DeployRepository, "main")
				if got := startedPipelines(t, rec, events.CodeCommitPush(n.BuildRepository, "feature")); len(got) != 0 {
					t.Errorf("a push to another branch started %v", got)
				}
			case config.SourceS3:
				buildPush = events.S3ObjectCreated("acme-ml-source", "churn/model-build.zip")
				deployPush = events.S3ObjectCreated("acme-ml-source", "churn/model-deploy.zip")
			}
			if buildPush != "" {
				if got := startedPipelines(t, rec, buildPush); len(got) != 1 || got[0] != n.BuildPipeline {
					t.Errorf("a change to the build source started %v, want [%s]", got, n.BuildPipeline)
				}
				if got := startedPipelines(t, rec, deployPush); len(got) != 0 {
					t.Errorf("a change to the deploy source started %v, want nothing", got)
				}
			}
			if got := startedPipelines(t, rec, events.ModelPackageStateChange(n.ModelPackageGroup, "Approved")); len(got) != 1 || got[0] != n.DeployPipeline {
				t.Errorf("an Approved model of this group started %v, want [%s]", got, n.DeployPipeline)
			}
			for _, ev := range []string{
				events.ModelPackageStateChange(n.ModelPackageGroup, "Rejected"),
				events.ModelPackageStateChange(n.ModelPackageGroup, "PendingManualApproval"),
				events.ModelPackageStateChange("other-models", "Approved"),
			} {
				if got := startedPipelines(t, rec, ev); len(got) != 0 {
					t.Errorf("event started %v, want nothing:\n%s", got, ev)
				}
			}
			// Source actions: the build may detect its own changes, the deploy never.
			for _, p := range rec.ByType(tPipeline) {
				conf := stageConfig(t, p.Inputs["stages"], "Source")
				poll, detect := str(conf["PollForSourceChanges"]), str(conf["DetectChanges"])
				isDeploy := p.PhysicalName == n.DeployPipeline
				switch {
				case poll == "true":
					t.Errorf("%s polls its source", p.PhysicalName)
				case isDeploy && detect == "true":
					t.Errorf("deploy pipeline starts on a push (DetectChanges=true)")
				case !isDeploy && kind == config.SourceCodeConnections && detect != "true":
					t.Errorf("build pipeline does not detect pushes: DetectChanges=%q", detect)
				}
			}
		})
	}
}

func rolePolicyDoc(t *testing.T, rec *render.Recording, role string) policydoc.Document {
	t.Helper()
	var d policydoc.Document
	if err := json.Unmarshal([]byte(str(byName(t, rec, tRolePolicy, role+"-policy").Inputs["policy"])), &d); err != nil {
		t.Fatal(err)
	}
	return d
}

// approvalCases: the build and SageMaker roles may register a model only
// as PendingManualApproval, never approve one (sagemaker:ModelApprovalStatus).
var approvalCases = []struct {
	action, status string
	want           iampolicy.Decision
}{
	{"sagemaker:CreateModelPackage", "PendingManualApproval", iampolicy.Allowed},
	{"sagemaker:CreateModelPackage", "Approved", iampolicy.ExplicitDeny},
	{"sagemaker:CreateModelPackage", "Rejected", iampolicy.ExplicitDeny},
	{"sagemaker:CreateModelPackage", "", iampolicy.ExplicitDeny},
	{"sagemaker:UpdateModelPackage", "Approved", iampolicy.ExplicitDeny},
}

// approvalRole is a role that may register models: its policies and one
// request per approval case.
type approvalRole struct {
	name     string
	policies []policydoc.Document
	requests []iampolicy.Request
}

func approvalRoles(t *testing.T) []approvalRole {
	cfg := baseConfig(config.TierEnterprise, "prod")
	n := naming.For(cfg)
	rec := run(t, cfg, stacks.Options{})
	pkg := naming.ARNsFor(testAccount, testRegion).ModelPackages(n.ModelPackageGroup)
	pkg = strings.TrimSuffix(pkg, "*") + "3"
	var out []approvalRole
	for _, role := range []string{n.CodeBuildRole, n.SageMakerExecutionRole} {
		r := approvalRole{name: role, policies: []policydoc.Document{rolePolicyDoc(t, rec, role)}}
		for _, c := range approvalCases {
			req := iampolicy.Request{Action: c.action, Resource: pkg, Context: map[string][]string{}}
			if c.status != "" {
				req.Context["sagemaker:ModelApprovalStatus"] = []string{c.status}
			}
			r.requests = append(r.requests, req)
		}
		out = append(out, r)
	}
	return out
}

func TestOnlyHumansApproveModels(t *testing.T) {
	for _, role := range approvalRoles(t) {
		for i, req := range role.requests {
			got, err := iampolicy.Evaluate(role.policies, req)
			if err != nil {
				t.Fatal(err)
			}
			if c := approvalCases[i]; got != c.want {
				t.Errorf("%s: %s with status %q = %v, want %v", role.name, c.action, c.status, got, c.want)
			}
		}
	}
}

// TestOnlyHumansApproveModelsExternally judges the same requests with
// @cloud-copilot/iam-simulate (test/iamsim), so the proof does not rest on
// mlprov's own evaluator.
func TestOnlyHumansApproveModelsExternally(t *testing.T) {
	iamsim.Require(t)
	verdict := map[iampolicy.Decision]string{iampolicy.Allowed: iamsim.Allowed, iampolicy.ExplicitDeny: iamsim.ExplicitlyDenied}
	for _, role := range approvalRoles(t) {
		sims := make([]iamsim.Request, len(role.requests))
		for i, req := range role.requests {
			sims[i] = iamsim.Request{Action: req.Action, Resource: req.Resource, Account: testAccount,
				Principal: naming.ARNsFor(testAccount, testRegion).Role(role.name), Context: req.Context}
		}
		for i, got := range iamsim.Judge(t, role.policies, sims) {
			if c := approvalCases[i]; got != verdict[c.want] {
				t.Errorf("%s: %s with status %q: iam-simulate says %s, want %s", role.name, c.action, c.status, got, verdict[c.want])
			}
		}
	}
}

// TestApproversAreNotified: a deploy waiting for approval notifies the
// alerts topic, which the pipeline role may publish to.
func TestApproversAreNotified(t *testing.T) {
	for _, tier := range []config.Tier{config.TierProfessional, config.TierEnterprise} {
		t.Run(string(tier), func(t *testing.T) {
			cfg := baseConfig(tier, "prod")
			n := naming.For(cfg)
			rec := run(t, cfg, stacks.Options{})
			deploy := byName(t, rec, tPipeline, n.DeployPipeline)
			approval := stageConfig(t, deploy.Inputs["stages"], "ManualApproval")
			topic := one(t, rec, tTopic)
			topicArn := naming.ARNsFor(testAccount, testRegion).Topic(topic.PhysicalName)
			if got := str(approval["NotificationArn"]); got != topicArn {
				t.Errorf("approval NotificationArn = %q, want the alerts topic %s", got, topicArn)
			}
			if !strings.HasPrefix(str(approval["ExternalEntityLink"]), "https://") {
				t.Errorf("approval has no link for the approver: %v", approval["ExternalEntityLink"])
			}
			got, err := iampolicy.Evaluate([]policydoc.Document{rolePolicyDoc(t, rec, n.CodePipelineRole)},
				iampolicy.Request{Action: "sns:Publish", Resource: topicArn})
			if err != nil || got != iampolicy.Allowed {
				t.Errorf("pipeline role publishing to the topic: %v %v", got, err)
			}
		})
	}
}

// stageConfig is the configuration of the single action of a named stage.
func stageConfig(t *testing.T, stages any, name string) map[string]any {
	t.Helper()
	list, _ := stages.([]any)
	for _, stage := range list {
		if s := obj(stage); str(s["name"]) == name {
			return obj(obj(s["actions"])["configuration"])
		}
	}
	t.Fatalf("no stage %s in %v", name, stages)
	return nil
}
