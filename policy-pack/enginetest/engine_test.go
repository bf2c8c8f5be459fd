// Package enginetest proves the policy pack loads in the real Pulumi engine:
// an inline program previews a KMS key against the fakeaws test double with
// the pack attached. Without the pinned CLI it skips, or fails under CI
// (internal/testenv).
package enginetest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlprov/mlprov/internal/tags"
	"github.com/mlprov/mlprov/internal/testenv"
	"github.com/mlprov/mlprov/test/fakeaws/control"
)

// plugins builds the analyzer and the fakeaws providers into one directory
// for PATH.
func plugins(t *testing.T, repo string) string {
	fake := filepath.Join(repo, "test", "fakeaws", "build.sh")
	dir := t.TempDir()
	for _, cmd := range [][]string{{filepath.Join(repo, "policy-pack", "build.sh"), dir}, {fake, dir}} {
		c := exec.Command(cmd[0], cmd[1:]...)
		c.Dir = repo
		if out, err := c.CombinedOutput(); err != nil {
			t.Fatalf("%v: %v\n%s", cmd, err, out)
		}
	}
	return dir
}

func keyProgram(rotation bool) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		_, err := kms.NewKey(ctx, "key", &kms.KeyArgs{
			Description:       pulumi.String("policy pack engine test"),
			EnableKeyRotation: pulumi.Bool(rotation),
		})
		return err
	}
}

// env is one engine test's stack environment: the pinned CLI, the analyzer
// and the test double's plugins, a file backend.
type env struct {
	cli      auto.PulumiCommand
	bin      string // the analyzer and the fakeaws plugins
	analyzer string // the analyzer executable, as mlprov passes it
	state    string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	root := testenv.PulumiRoot(t)
	bin := plugins(t, testenv.MustRepoRoot(t))
	cmd, err := auto.NewPulumiCommand(&auto.PulumiCommandOptions{Root: root})
	if err != nil {
		t.Fatal(err)
	}
	return &env{cli: cmd, bin: bin, analyzer: filepath.Join(bin, "pulumi-analyzer-policy-go"), state: t.TempDir()}
}

func (e *env) stack(t *testing.T, name string, program pulumi.RunFunc) auto.Stack {
	t.Helper()
	ctx := context.Background()
	stack, err := auto.UpsertStackInlineSource(ctx, name, "mlprov-policy-test", program,
		auto.Pulumi(e.cli),
		auto.WorkDir(t.TempDir()),
		auto.Project(workspace.Project{Name: "mlprov-policy-test", Runtime: workspace.NewProjectRuntimeInfo("go", nil),
			Backend: &workspace.ProjectBackend{URL: "file://" + e.state}}),
		auto.EnvVars(map[string]string{
			"PATH":                     e.bin + string(os.PathListSeparator) + os.Getenv("PATH"),
			"PULUMI_CONFIG_PASSPHRASE": "engine-test",
			"PULUMI_SKIP_UPDATE_CHECK": "true",
			"PULUMI_HOME":              filepath.Join(e.state, "home"),
			"MLPROV_FAKEAWS_DIR":       filepath.Join(e.state, "cloud"),
		}),
	)
	if err != nil {
		t.Fatal(err)
	}
	if err := stack.SetConfig(ctx, "aws:region", auto.ConfigValue{Value: "us-east-1"}); err != nil {
		t.Fatal(err)
	}
	return stack
}

// TestPackGatesPreviewInTheEngine loads the pack the way README tells users
// of the official CLI without a language host: the pack folder, with the
// analyzer on PATH.
func TestPackGatesPreviewInTheEngine(t *testing.T) {
	e := newEnv(t)
	repo := testenv.MustRepoRoot(t)
	ctx := context.Background()
	for _, tc := range []struct {
		rotation bool
		blocked  bool
	}{{rotation: false, blocked: true}, {rotation: true, blocked: false}} {
		stack := e.stack(t, "policy-test", keyProgram(tc.rotation))
		_, err := stack.Preview(ctx, optpreview.PolicyPacks(filepath.Join(repo, "policy-pack")))
		if err != nil {
			for _, line := range strings.Split(err.Error(), "\n") {
				if strings.Contains(line, "MLP-") {
					t.Log(strings.TrimSpace(line))
				}
			}
		}
		switch {
		case tc.blocked && (err == nil || !strings.Contains(err.Error(), "MLP-KMS-001")):
			t.Errorf("rotation off: want the preview blocked by MLP-KMS-001, got %v", err)
		case !tc.blocked && err != nil:
			t.Errorf("rotation on: want the preview to pass, got %v", err)
		}
	}
}

// policyEvents collects the engine's policy violation events.
func policyEvents(ch <-chan events.EngineEvent, done chan<- []apitype.PolicyEvent) {
	var out []apitype.PolicyEvent
	for ev := range ch {
		if ev.PolicyEvent != nil {
			out = append(out, *ev.PolicyEvent)
		}
	}
	done <- out
}

func findPolicy(evs []apitype.PolicyEvent, policy string) *apitype.PolicyEvent {
	for i := range evs {
		if evs[i].PolicyName == policy {
			return &evs[i]
		}
	}
	return nil
}

// unversionedBucket is a bucket meeting every S3 rule except versioning,
// which it never declares. Its inputs leave the question open (a split
// BucketVersioningV2 could configure it), so Analyze cannot judge it, not
// even during the up. Only the bucket's final outputs answer it: the provider
// reads back the versioning AWS reports for a new bucket, enabled false (see
// the bucket kind in test/fakeaws/provider/kinds.go for the sources).
func unversionedBucket(ctx *pulumi.Context) error {
	bucket, err := s3.NewBucketV2(ctx, "data", &s3.BucketV2Args{
		Bucket: pulumi.String("gate-test-data"),
		Tags: pulumi.StringMap{
			tags.MLName: pulumi.String("gate-test-ml"), tags.Env: pulumi.String("dev"),
			tags.ManagedBy: pulumi.String(tags.ManagedByValue),
		},
	})
	if err != nil {
		return err
	}
	if _, err := s3.NewBucketPublicAccessBlock(ctx, "data-public-access", &s3.BucketPublicAccessBlockArgs{
		Bucket: bucket.Bucket, BlockPublicAcls: pulumi.Bool(true), BlockPublicPolicy: pulumi.Bool(true),
		IgnorePublicAcls: pulumi.Bool(true), RestrictPublicBuckets: pulumi.Bool(true),
	}); err != nil {
		return err
	}
	if _, err := s3.NewBucketOwnershipControls(ctx, "data-ownership", &s3.BucketOwnershipControlsArgs{
		Bucket: bucket.Bucket, Rule: s3.BucketOwnershipControlsRuleArgs{ObjectOwnership: pulumi.String("BucketOwnerEnforced")},
	}); err != nil {
		return err
	}
	_, err = s3.NewBucketPolicy(ctx, "data-tls-only", &s3.BucketPolicyArgs{
		Bucket: bucket.Bucket,
		Policy: pulumi.String(`{"Version":"2012-10-17","Statement":[{"Sid":"DenyInsecureTransport","Effect":"Deny",` +
			`"Principal":"*","Action":"s3:*","Resource":["arn:aws:s3:::gate-test-data","arn:aws:s3:::gate-test-data/*"],` +
			`"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`),
	})
	return err
}

// The violating value exists only in the bucket's outputs after apply: the
// preview passes (versioning cannot be judged), the up creates the bucket and
// is then blocked by the mandatory MLP-S3-005 that only AnalyzeStack can see.
// Fails before the fix: with policy-pack/main.go's AnalyzeStack from before
// commit 468d0ff (it re-ran the single-resource rules on the final outputs
// and dropped their violations as "already reported") the up succeeds.
func TestGateJudgesOnUpWhatPreviewCouldNot(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	stack := e.stack(t, "unknown-at-preview", unversionedBucket)

	ch, done := make(chan events.EngineEvent), make(chan []apitype.PolicyEvent)
	go policyEvents(ch, done)
	_, err := stack.Preview(ctx, optpreview.PolicyPacks(e.analyzer), optpreview.EventStreams(ch))
	if evs := <-done; err != nil || len(evs) != 0 {
		t.Fatalf("versioning unknown at preview: want the preview to pass without findings, got %v, %+v", err, evs)
	}

	ch, done = make(chan events.EngineEvent), make(chan []apitype.PolicyEvent)
	go policyEvents(ch, done)
	_, err = stack.Up(ctx, optup.PolicyPacks(e.analyzer), optup.EventStreams(ch))
	evs := <-done
	v := findPolicy(evs, "MLP-S3-005")
	if err == nil || v == nil || v.EnforcementLevel != string(apitype.Mandatory) || !strings.Contains(v.Message, "versionings.0.enabled = false") {
		t.Fatalf("versioning reported disabled after apply: want the up blocked by a mandatory MLP-S3-005 judging the reported value, got %v, %+v", err, evs)
	}
	for _, ev := range evs {
		if ev.PolicyName != "MLP-S3-005" && ev.EnforcementLevel == string(apitype.Mandatory) {
			t.Errorf("only the versioning may block, also got %+v", ev)
		}
	}
	// The finding came after apply, so from AnalyzeStack: the bucket exists.
	cloud, err := control.Resources(filepath.Join(e.state, "cloud"))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(cloud, func(r control.Resource) bool { return r.ID == "gate-test-data" }) {
		t.Errorf("want the bucket created before the gate blocked the up, the cloud holds %+v", cloud)
	}
}

// writeConfig writes a --policy-pack-config file.
func writeConfig(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "policy-config.json")
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// Enforcement overrides in --policy-pack-config are honoured as documented in
// policy-pack/RULES.md; an unknown rule name is an error naming it.
func TestEnforcementOverridesInTheEngine(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	stack := e.stack(t, "overrides", keyProgram(false))
	preview := func(config string) ([]apitype.PolicyEvent, error) {
		ch, done := make(chan events.EngineEvent), make(chan []apitype.PolicyEvent)
		go policyEvents(ch, done)
		_, err := stack.Preview(ctx, optpreview.PolicyPacks(e.analyzer),
			optpreview.PolicyPackConfigs(writeConfig(t, config)), optpreview.EventStreams(ch))
		return <-done, err
	}

	evs, err := preview(`{"MLP-KMS-001": "advisory"}`)
	if v := findPolicy(evs, "MLP-KMS-001"); err != nil || v == nil || v.EnforcementLevel != string(apitype.Advisory) {
		t.Errorf("MLP-KMS-001 advisory: want the preview to pass with an advisory finding, got %v, %+v", err, v)
	}
	evs, err = preview(`{"MLP-KMS-001": {"enforcementLevel": "disabled"}}`)
	if v := findPolicy(evs, "MLP-KMS-001"); err != nil || v != nil {
		t.Errorf("MLP-KMS-001 disabled: want the preview to pass without it, got %v, %+v", err, v)
	}
	_, err = preview(`{"MLP-KMS-999": "advisory"}`)
	if err == nil || !strings.Contains(err.Error(), "MLP-KMS-999") {
		t.Errorf("unknown rule in the config: want an error naming MLP-KMS-999, got %v", err)
	}
	_, err = preview(`{"all": "advisory"}`)
	if err == nil || !strings.Contains(err.Error(), "MLP-WVR-001") {
		t.Errorf("all advisory: the waiver rules stay mandatory, want an error naming them, got %v", err)
	}
}
