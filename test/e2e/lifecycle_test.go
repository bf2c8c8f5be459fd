package e2e_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/mlprov/mlprov/internal/cli"
	"github.com/mlprov/mlprov/internal/engine"
	"github.com/mlprov/mlprov/test/fakeaws/control"
)

// tierCase is one tier's lifecycle: its config, a config edit that touches
// some resources only, and a change made behind the engine's back.
type tierCase struct {
	config string
	// edit replaces editOld by editNew in the config; the resources whose
	// inputs carry editValue (the old value) are the affected ones.
	editOld, editNew, editValue string
	// drift: set property on the first resource of driftType to driftValue.
	driftType, driftProperty string
	driftValue               any
	// driftSecurity is the concern check-drift must mark ("" for none).
	driftSecurity string
}

const (
	bucketType = "aws:s3/bucketV2:BucketV2"
	kmsKeyType = "aws:kms/key:Key"
)

var tierCases = map[string]tierCase{
	"starter": {
		config:  starterConfig,
		editOld: `cost_center: "1200"`, editNew: `cost_center: "1299"`, editValue: "1200",
		driftType: bucketType, driftProperty: "tags", driftValue: map[string]any{"changed-by": "someone-else"},
	},
	"professional": {
		config:  "configs/edge-staging-e042-eu-west-1-fraud-ml-codecommit.yaml",
		editOld: `cost_center: "2310"`, editNew: `cost_center: "2399"`, editValue: "2310",
		driftType: bucketType, driftProperty: "tags", driftValue: map[string]any{"changed-by": "someone-else"},
	},
	"enterprise": {
		config:  "configs/globalbank-prod-c001-us-west-2-demand-forecasting-ml-codecommit-standalone-ssm.yaml", // the old guide's enterprise product
		editOld: `cost_center: "4410"`, editNew: `cost_center: "4499"`, editValue: "4410",
		driftType: kmsKeyType, driftProperty: "enableKeyRotation", driftValue: false,
		driftSecurity: engine.SecurityConcern("enableKeyRotation"),
	},
}

// TestTierLifecycle: for one config of each tier, show-changes →
// deploy-product → a no-op deploy → a config change that updates only the
// affected resources → drift behind the engine's back reported exactly →
// delete-product leaves no stack and no resource.
func TestTierLifecycle(t *testing.T) {
	for _, tier := range []string{"starter", "professional", "enterprise"} {
		tc := tierCases[tier]
		t.Run(tier, func(t *testing.T) {
			t.Parallel()
			p := newProduct(t, tc.config)
			stack := p.names.StackName

			preview := timed(t, tier+" preview (show-changes)", func() run {
				return p.expect(exitChanges, p.command("show-changes", "--detailed-exitcode", "--output", "json")...)
			})
			var planned changes
			decode(t, preview, &planned)
			if planned.ChangeCount == 0 || !slices.Equal(opsOf(planned.Changes), []string{"create"}) {
				t.Fatalf("first preview: %d changes with ops %v, want only creates", planned.ChangeCount, opsOf(planned.Changes))
			}
			if left := p.stacks(); len(left) != 0 || len(p.cloudResources()) != 0 {
				t.Fatalf("show-changes left stacks %v and %d resources behind", left, len(p.cloudResources()))
			}

			deploy := timed(t, tier+" deploy", func() run {
				return p.expect(exitOK, p.command("deploy-product", "--force", "--output", "json")...)
			})
			var deployed changes
			decode(t, deploy, &deployed)
			if deployed.Summary["create"] != len(planned.Changes) {
				t.Errorf("deploy created %d resources, the preview planned %d", deployed.Summary["create"], len(planned.Changes))
			}
			if state, cloud := p.stateURNs(stack), p.cloudURNs(); !slices.Equal(state, cloud) {
				t.Fatalf("after deploy the state holds %d resources and the fake cloud %d:\nstate %v\ncloud %v", len(state), len(cloud), state, cloud)
			}

			callsBefore := len(p.mutatingCalls())
			if r := p.mlprov(p.command("show-changes", "--detailed-exitcode")...); r.code != exitOK {
				t.Errorf("show-changes right after deploy: want exit 0 (no changes), got %s", r)
			}
			noop := timed(t, tier+" no-op deploy", func() run {
				return p.expect(exitOK, p.command("deploy-product", "--force", "--output", "json")...)
			})
			var again changes
			decode(t, noop, &again)
			if again.ChangeCount != 0 || len(again.Changes) != 0 {
				t.Errorf("second deploy changed %v, want nothing", again.Changes)
			}
			if calls := p.mutatingCalls(); len(calls) != callsBefore {
				t.Errorf("the no-op deploy made provider calls %v", calls[callsBefore:])
			}

			checkConfigChangeUpdatesOnlyAffected(t, p, tc)
			checkDriftReportedExactly(t, p, tc)
			if p.cfg.IsProd() {
				checkLockedProdDeleteChangesNothing(t, p, tc)
			}

			// The pipelines have run: the versioned artifact bucket holds
			// object versions, which S3 refuses to delete a bucket over.
			writeArtifacts(t, p)
			deleted := p.expect(exitOK, p.command("delete-product", "--force")...)
			checkRulesExercised(t, p)
			// Only the shared VPC endpoints and their group stay, and the
			// delete names each with its removal command.
			kept, rest := shared(p.cloudResources())
			if len(rest) != 0 {
				t.Errorf("delete-product left %d resources in the cloud: %v", len(rest), rest)
			}
			if p.cfg.MLProduct.Network != nil && len(kept) == 0 {
				t.Error("a private network's shared endpoints were deleted with the product")
			}
			for _, id := range kept {
				if !strings.Contains(deleted.stdout, id) {
					t.Errorf("delete-product kept %s without saying so:\n%s", id, deleted.stdout)
				}
			}
			if left := p.stacks(); len(left) != 0 {
				t.Errorf("delete-product left stacks %v in the backend", left)
			}
			listed := p.expect(exitOK, p.command("list-products", "--output", "json")...)
			if strings.Contains(listed.stdout, `"`+stack+`"`) {
				t.Errorf("list-products still lists %s after delete: %s", stack, listed.stdout)
			}
		})
	}
}

// checkConfigChangeUpdatesOnlyAffected edits the config and deploys: every
// changed resource is an update of one whose inputs carried the old value,
// and every such resource is updated.
func checkConfigChangeUpdatesOnlyAffected(t *testing.T, p *product, tc tierCase) {
	t.Helper()
	var affected []string
	for _, r := range p.stateResources(p.names.StackName) {
		b, _ := json.Marshal(r.Inputs)
		if strings.Contains(string(b), `"`+tc.editValue+`"`) {
			affected = append(affected, r.URN)
		}
	}
	slices.Sort(affected)
	if len(affected) == 0 {
		t.Fatalf("no resource's inputs carry %q: the edit tests nothing", tc.editValue)
	}
	p.editConfig(tc.editOld, tc.editNew)
	r := p.expect(exitOK, p.command("deploy-product", "--force", "--output", "json")...)
	var res changes
	decode(t, r, &res)
	if ops := opsOf(res.Changes); !slices.Equal(ops, []string{"update"}) {
		t.Errorf("config change %s → %s: ops %v, want only update (%v)", tc.editOld, tc.editNew, ops, res.Changes)
	}
	var changed []string
	for _, c := range res.Changes {
		changed = append(changed, c.URN)
	}
	slices.Sort(changed)
	if !slices.Equal(changed, affected) {
		t.Errorf("config change %s → %s updated %d resources, want the %d whose inputs carry %q:\nupdated  %v\naffected %v",
			tc.editOld, tc.editNew, len(changed), len(affected), tc.editValue, changed, affected)
	}
	t.Logf("config change %s → %s: %d resources updated", tc.editOld, tc.editNew, len(changed))
}

// checkDriftReportedExactly changes one property behind the engine's back;
// check-drift must exit 5 and report that property of that resource only.
func checkDriftReportedExactly(t *testing.T, p *product, tc tierCase) {
	t.Helper()
	var target control.Resource
	for _, r := range p.cloudResources() {
		if r.Type == tc.driftType {
			target = r
			break
		}
	}
	if target.ID == "" {
		t.Fatalf("the fake cloud holds no %s to drift", tc.driftType)
	}
	if err := control.Mutate(p.cloud, target.Type, target.ID, tc.driftProperty, tc.driftValue); err != nil {
		t.Fatal(err)
	}
	stateBefore := p.stateResources(p.names.StackName)
	r := p.expect(exitChanges, p.command("check-drift", "--output", "json")...)
	var out cli.CheckDriftOutput
	decode(t, r, &out)
	if len(out.Drifts) != 1 || !out.Drifted {
		t.Fatalf("check-drift reported %d drifted properties, want 1 (%s %s): %s", len(out.Drifts), target.Type, target.ID, r.stdout)
	}
	got := out.Drifts[0]
	if got.URN != target.URN || got.Deleted {
		t.Errorf("drifted resource %s (deleted %v), want %s changed", got.URN, got.Deleted, target.URN)
	}
	if got.Property != tc.driftProperty {
		t.Fatalf("drifted property %q, want exactly %s", got.Property, tc.driftProperty)
	}
	if got.SecurityRelevant != (tc.driftSecurity != "") || got.Concern != tc.driftSecurity {
		t.Errorf("%s security concern %q (relevant %v), want %q", got.Property, got.Concern, got.SecurityRelevant, tc.driftSecurity)
	}
	if live, _ := json.Marshal(got.New); string(live) != mustJSON(t, tc.driftValue) {
		t.Errorf("%s live value %s, want %s", tc.driftProperty, live, mustJSON(t, tc.driftValue))
	}
	stateAfter, _ := json.Marshal(p.stateResources(p.names.StackName))
	if before, _ := json.Marshal(stateBefore); string(before) != string(stateAfter) {
		t.Error("check-drift wrote the state; a refresh preview must not")
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// writeArtifacts puts object versions into every bucket, as pipeline runs do.
func writeArtifacts(t *testing.T, p *product) {
	t.Helper()
	for _, r := range p.cloudResources() {
		if r.Type == bucketType {
			if err := control.WriteObjectVersions(p.cloud, r.ID, 3); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// checkRulesExercised: the lifecycle ran with every AWS rule of the double on;
// the bucket's teardown and the product's size quotas were among them.
func checkRulesExercised(t *testing.T, p *product) {
	t.Helper()
	applied, err := control.RulesApplied(p.cloud)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"s3-delete-bucket-not-empty", "s3-bucket-name", "iam-trust-policy-size", "ssm-parameter-name", "api:iam/CreateRole/RoleName"} {
		if applied[want] == 0 {
			t.Errorf("the lifecycle never applied AWS rule %s (applied: %v)", want, applied)
		}
	}
	t.Logf("%d AWS rules applied over the lifecycle", len(applied))
}
