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
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlprov/mlprov/internal/testenv"
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

// rotationFromAnotherKey builds a KMS key whose rotation is computed from
// another key's ARN (as mlprov's key policy is from role ARNs): unknown during
// preview, known (false) once applied.
func rotationFromAnotherKey(ctx *pulumi.Context) error {
	source, err := kms.NewKey(ctx, "source", &kms.KeyArgs{
		Description: pulumi.String("policy pack engine test"), EnableKeyRotation: pulumi.Bool(true),
	})
	if err != nil {
		return err
	}
	_, err = kms.NewKey(ctx, "key", &kms.KeyArgs{
		Description:       pulumi.String("policy pack engine test"),
		EnableKeyRotation: source.Arn.ApplyT(func(arn string) bool { return strings.HasSuffix(arn, "/rotate") }).(pulumi.BoolOutput),
	})
	return err
}

// A violating property unknown at preview: the preview cannot judge it (and
// passes), the up judges it once known and is blocked.
func TestGateJudgesOnUpWhatPreviewCouldNot(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	stack := e.stack(t, "unknown-at-preview", rotationFromAnotherKey)

	ch, done := make(chan events.EngineEvent), make(chan []apitype.PolicyEvent)
	go policyEvents(ch, done)
	_, err := stack.Preview(ctx, optpreview.PolicyPacks(e.analyzer), optpreview.EventStreams(ch))
	if evs := <-done; err != nil || findPolicy(evs, "MLP-KMS-001") != nil {
		t.Fatalf("rotation unknown at preview: want the preview to pass without MLP-KMS-001, got %v, %+v", err, evs)
	}

	ch, done = make(chan events.EngineEvent), make(chan []apitype.PolicyEvent)
	go policyEvents(ch, done)
	_, err = stack.Up(ctx, optup.PolicyPacks(e.analyzer), optup.EventStreams(ch))
	v := findPolicy(<-done, "MLP-KMS-001")
	if err == nil || v == nil || v.EnforcementLevel != string(apitype.Mandatory) {
		t.Fatalf("rotation false after apply: want the up blocked by a mandatory MLP-KMS-001, got %v, %+v", err, v)
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
