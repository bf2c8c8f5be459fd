package engine_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ssm"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlprov/mlprov/internal/config"
	"github.com/mlprov/mlprov/internal/engine"
	"github.com/mlprov/mlprov/internal/testenv"
	"github.com/mlprov/mlprov/test/fakeaws/control"
)

const (
	testStack  = "engtest-dev-t001-us-east-1-probe-ml"
	paramName  = "/ml/" + testStack + "/Value"
	paramType  = "aws:ssm/parameter:Parameter"
	testRegion = "us-east-1"
)

// harness is a file backend, the fakeaws plugins and the analyzer on PATH.
type harness struct {
	env     map[string]string
	cloud   string
	workdir string
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	root := testenv.PulumiRoot(t)
	repo := testenv.MustRepoRoot(t)
	bin := t.TempDir()
	for _, c := range [][]string{
		{"sh", filepath.Join(repo, "test/fakeaws/build.sh"), bin},
		{"go", "build", "-o", filepath.Join(bin, "pulumi-analyzer-policy-go"), "./policy-pack"},
	} {
		cmd := exec.Command(c[0], c[1:]...)
		cmd.Dir = repo
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%v: %v\n%s", c, err, out)
		}
	}
	h := &harness{cloud: t.TempDir(), workdir: t.TempDir()}
	h.env = map[string]string{
		engine.EnvPulumiRoot: root,
		"PATH":               bin + string(os.PathListSeparator) + os.Getenv("PATH"),
	}
	// The plugins are started by the CLI, which inherits this process's
	// environment plus the engine's: give it the double's directory.
	t.Setenv(control.DirEnv, h.cloud)
	t.Setenv("PULUMI_HOME", filepath.Join(h.workdir, ".pulumi-home"))
	t.Setenv("PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION", "true")
	return h
}

func (h *harness) engine(t *testing.T, progress *bytes.Buffer) *engine.Engine {
	t.Helper()
	opts := engine.Options{Workdir: h.workdir, Getenv: func(k string) string { return h.env[k] }}
	if progress != nil {
		opts.Progress = progress
	}
	e, err := engine.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// probe is a tiny program: one tagged SSM parameter and, optionally, a KMS
// key without rotation (a mandatory violation unless waived).
func probe(value string, withKey bool) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		p, err := aws.NewProvider(ctx, "aws", &aws.ProviderArgs{Region: pulumi.String(testRegion)})
		if err != nil {
			return err
		}
		tags := pulumi.StringMap{"mlprov:ml-name": pulumi.String(testStack), "mlprov:env": pulumi.String("dev"), "mlprov:managed-by": pulumi.String("mlprov")}
		if _, err := ssm.NewParameter(ctx, "value", &ssm.ParameterArgs{
			Name: pulumi.String(paramName), Type: pulumi.String("String"), Value: pulumi.String(value), Tags: tags,
		}, pulumi.Provider(p)); err != nil {
			return err
		}
		if withKey {
			if _, err := kms.NewKey(ctx, "key", &kms.KeyArgs{Description: pulumi.String("probe"), Tags: tags}, pulumi.Provider(p)); err != nil {
				return err
			}
		}
		ctx.Export("Value", pulumi.String(value))
		return nil
	}
}

func TestLifecycleOnTheFileBackend(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	var progress bytes.Buffer
	e := h.engine(t, &progress)
	target := engine.Target{StackName: testStack, Program: probe("one", false), Tags: map[string]string{"mlprov:tier": "starter"}}

	pre, err := e.Preview(ctx, target)
	if err != nil {
		t.Fatalf("preview: %v", err)
	}
	if len(pre.Changes) != 1 || pre.Changes[0].Op != "create" || pre.Changes[0].Name != "value" || pre.Changes[0].Type != paramType {
		t.Errorf("preview changes = %+v, want one create of value", pre.Changes)
	}
	if !pre.NotDeployed {
		t.Error("a preview of a stack that does not exist must say it is not deployed")
	}
	if list, err := e.List(ctx); err != nil || len(list) != 0 {
		t.Errorf("after a preview of a new product the backend holds %+v (%v), want nothing", list, err)
	}

	up, err := e.Up(ctx, target)
	if err != nil {
		t.Fatalf("up: %v", err)
	}
	if up.Outputs["Value"] != "one" || up.Summary["create"] != 1 {
		t.Errorf("up outputs %v summary %v", up.Outputs, up.Summary)
	}
	if !strings.Contains(progress.String(), "create   value ("+paramType+") done") {
		t.Errorf("progress lacks the finished create line:\n%s", progress.String())
	}
	again, err := e.Up(ctx, target)
	if err != nil || again.ChangeCount() != 0 {
		t.Errorf("second up: %d changes (%v), want none", again.ChangeCount(), err)
	}
	// What an up reports as the state (from its events) is what an export of
	// the state says, after a create and after a no-op.
	for _, r := range []*engine.Result{up, again} {
		exported, err := e.Describe(ctx, testStack)
		if err != nil || r.State == nil || !reflect.DeepEqual(*r.State, *exported) {
			t.Errorf("state after the %d-change up: %+v, the export says %+v (%v)", r.ChangeCount(), r.State, exported, err)
		}
	}

	list, err := e.List(ctx)
	if err != nil || len(list) != 1 || list[0].Name != testStack || list[0].Tags["mlprov:tier"] != "starter" || list[0].ResourceCount < 2 {
		t.Errorf("list = %+v (%v)", list, err)
	}
	d, err := e.Describe(ctx, testStack)
	if err != nil || len(d.Resources) != 1 || d.Resources[0].Outputs["value"] != "[secret]" || d.Outputs["Value"] != "one" {
		t.Errorf("describe = %+v (%v)", d, err)
	}

	if err := control.Mutate(h.cloud, paramType, paramName, "tags", map[string]any{"mlprov:env": "dev", "owner": "someone"}); err != nil {
		t.Fatal(err)
	}
	drift, err := e.Drift(ctx, target)
	if err != nil {
		t.Fatalf("drift: %v", err)
	}
	if len(drift.Resources) != 1 || len(drift.Resources[0].Properties) != 1 {
		t.Fatalf("drift = %+v, want the parameter's tags", drift.Resources)
	}
	if p := drift.Resources[0].Properties[0]; p.Property != "tags" || p.Live.(map[string]any)["owner"] != "someone" || p.Security != "" {
		t.Errorf("drifted property = %+v", p)
	}
	if again, err := e.Drift(ctx, target); err != nil || len(again.Resources) != 1 {
		t.Errorf("a second drift check found %+v (%v): the first one must not have written state", again, err)
	}

	if _, err := e.Destroy(ctx, target, true); err != nil {
		t.Fatalf("destroy: %v", err)
	}
	if list, _ := e.List(ctx); len(list) != 0 {
		t.Errorf("after destroy+remove the backend lists %+v", list)
	}
	if rs, _ := control.Resources(h.cloud); len(rs) != 0 {
		t.Errorf("after destroy the double holds %+v", rs)
	}
	if _, err := e.Describe(ctx, testStack); !engine.IsNotFound(err) {
		t.Errorf("describe after remove: %v, want ErrStackNotFound", err)
	}
}

func TestPolicyPackGatesAndHonoursWaivers(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	e := h.engine(t, nil)
	target := engine.Target{StackName: testStack, Program: probe("one", true)}
	_, err := e.Preview(ctx, target)
	var pe *engine.PolicyError
	if !errors.As(err, &pe) || !strings.Contains(pe.Error(), "MLP-KMS-001") {
		t.Fatalf("preview of a key without rotation: %v, want a PolicyError naming MLP-KMS-001", err)
	}
	target.Suppressions = []config.Suppression{{Rule: "MLP-KMS-001", Resource: "key", Reason: "engine test", Owner: "test@example.com", Expires: "2099-12-31"}}
	if _, err := e.Preview(ctx, target); err != nil {
		t.Errorf("preview with the waiver: %v", err)
	}
}

func TestLockedStackIsATypedError(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	e := h.engine(t, nil)
	target := engine.Target{StackName: testStack, Program: probe("one", false)}
	if _, err := e.Up(ctx, target); err != nil {
		t.Fatal(err)
	}
	// Another process's lock, as the file backend writes it.
	lockDir := filepath.Join(h.workdir, "ml/state/.pulumi/locks/organization/mlprov", testStack)
	if err := os.MkdirAll(lockDir, 0o755); err != nil {
		t.Fatal(err)
	}
	lock := `{"pid":1,"username":"someone","hostname":"elsewhere","timestamp":"2026-01-01T00:00:00Z"}`
	if err := os.WriteFile(filepath.Join(lockDir, "0d5b3f52-0000-4000-8000-000000000000.json"), []byte(lock), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := e.Up(ctx, target)
	if !errors.Is(err, engine.ErrLocked) || !strings.Contains(err.Error(), "someone") {
		t.Errorf("up on a locked stack: %v, want ErrLocked naming the holder", err)
	}
}
