package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/mlprov/mlprov/internal/engine"
	"github.com/mlprov/mlprov/stacks"
)

// fakeEngine records every call and answers from its fields.
type fakeEngine struct {
	mu    sync.Mutex
	calls []string

	up        func(ctx context.Context, t engine.Target) (*engine.Result, error)
	described *engine.Deployment
	drift     *engine.DriftReport
}

func (f *fakeEngine) record(call string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, call)
}

func (f *fakeEngine) called() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return strings.Join(f.calls, " ")
}

func (f *fakeEngine) Backend() string { return "file://fake" }
func (f *fakeEngine) List(context.Context) ([]engine.StackSummary, error) {
	f.record("list")
	return nil, nil
}
func (f *fakeEngine) Describe(_ context.Context, stack string) (*engine.Deployment, error) {
	f.record("describe " + stack)
	if f.described == nil {
		return nil, errors.New("no such stack")
	}
	return f.described, nil
}
func (f *fakeEngine) Preview(_ context.Context, t engine.Target) (*engine.Result, error) {
	f.record("preview " + t.StackName)
	return &engine.Result{Stack: t.StackName, Operation: "preview", Summary: map[string]int{"create": 1},
		Changes: []engine.Change{{URN: "urn:bucket", Type: "aws:s3/bucketV2:BucketV2", Name: "storage-artifacts", Op: "create"}}}, nil
}
func (f *fakeEngine) Up(ctx context.Context, t engine.Target) (*engine.Result, error) {
	f.record("up " + t.StackName)
	if f.up == nil {
		return &engine.Result{Stack: t.StackName, Operation: "update"}, nil
	}
	return f.up(ctx, t)
}
func (f *fakeEngine) Destroy(_ context.Context, t engine.Target, remove bool) (*engine.Result, error) {
	f.record(fmt.Sprintf("destroy %s remove=%v", t.StackName, remove))
	return &engine.Result{Stack: t.StackName, Operation: "destroy"}, nil
}
func (f *fakeEngine) Drift(_ context.Context, t engine.Target) (*engine.DriftReport, error) {
	f.record("drift " + t.StackName)
	if f.drift != nil {
		return f.drift, nil
	}
	return &engine.DriftReport{}, nil
}

// runWithEngine runs mlprov as main does (audit on) with the fake engine.
func runWithEngine(ctx context.Context, f *fakeEngine, args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	if ctx == nil {
		ctx = context.Background()
	}
	code := Main(args, Deps{Out: &out, Err: &errb, Audit: true, Context: ctx,
		NewEngine: func(engine.Options) (Engine, error) { return f, nil }})
	return code, out.String(), errb.String()
}

const prodStack = "globalbank-prod-c001-us-west-2-churn-ml"

// An up that fails after creating part of the product still writes the
// deployment report (what exists now, the error) and the audit log.
func TestDeployFailingAfterPartialProgressWritesReportAndAuditLog(t *testing.T) {
	dir := t.TempDir()
	created := engine.Change{URN: "urn:bucket", Type: "aws:s3/bucketV2:BucketV2", Name: "storage-artifacts", Op: "create"}
	f := &fakeEngine{
		up: func(_ context.Context, t engine.Target) (*engine.Result, error) {
			return &engine.Result{Stack: t.StackName, Operation: "update", Changes: []engine.Change{created}},
				errors.New("creating IAM role: AccessDenied")
		},
		described: &engine.Deployment{Stack: prodStack, Resources: []engine.DeployedResource{
			{URN: created.URN, Type: created.Type, Name: created.Name, ID: "globalbank-prod-c001-us-west-2-churn-artifacts"},
		}},
	}
	code, out, errs := runWithEngine(nil, f, "deploy-product", "--config", enterpriseExample, "--force", "--workdir", dir)
	if code != ExitError || !strings.Contains(errs, "AccessDenied") {
		t.Fatalf("exit %d, stderr %q (stdout %q)", code, errs, out)
	}
	if got := f.called(); got != "up "+prodStack+" describe "+prodStack {
		t.Errorf("engine calls %q", got)
	}
	reports, _ := filepath.Glob(filepath.Join(dir, "ml/reports", "*-deployment.json"))
	if len(reports) != 1 {
		t.Fatalf("want one deployment report, got %v", reports)
	}
	var rep map[string]any
	b, _ := os.ReadFile(reports[0])
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "AccessDenied") || !strings.Contains(string(b), "storage-artifacts") {
		t.Errorf("the report does not show the error and the resource that exists:\n%s", b)
	}
	logs, _ := filepath.Glob(filepath.Join(dir, "ml/reports", "*-deploy-product-*.log"))
	if len(logs) != 1 {
		t.Fatalf("want one audit log, got %v", logs)
	}
	log, _ := os.ReadFile(logs[0])
	if !strings.Contains(string(log), "exit 1") || !strings.Contains(string(log), "AccessDenied") || !strings.Contains(string(log), "-deployment.html") {
		t.Errorf("audit log lacks the result, the error or the report it wrote:\n%s", log)
	}
}

// The state an up read (Result.State) makes the deployment report and the
// audit log's caller identity: no further read of the stack.
func TestDeployReportsTheStateTheUpRead(t *testing.T) {
	dir := t.TempDir()
	const caller = "arn:aws:iam::111122223333:role/deployer"
	f := &fakeEngine{up: func(_ context.Context, t engine.Target) (*engine.Result, error) {
		return &engine.Result{Stack: t.StackName, Operation: "update", State: &engine.Deployment{
			Stack:     t.StackName,
			Outputs:   map[string]any{stacks.ExportCallerArn: caller},
			Resources: []engine.DeployedResource{{URN: "urn:bucket", Type: "aws:s3/bucketV2:BucketV2", Name: "storage-artifacts", ID: "the-bucket-id"}},
		}}, nil
	}}
	code, out, errs := runWithEngine(nil, f, "deploy-product", "--config", enterpriseExample, "--force", "--workdir", dir)
	if code != ExitOK {
		t.Fatalf("exit %d, stderr %q (stdout %q)", code, errs, out)
	}
	if got := f.called(); got != "up "+prodStack {
		t.Errorf("engine calls %q, want only the up", got)
	}
	reports, _ := filepath.Glob(filepath.Join(dir, "ml/reports", "*-deployment.json"))
	logs, _ := filepath.Glob(filepath.Join(dir, "ml/reports", "*-deploy-product-*.log"))
	if len(reports) != 1 || len(logs) != 1 {
		t.Fatalf("want one report and one audit log, got %v %v", reports, logs)
	}
	if b, _ := os.ReadFile(reports[0]); !strings.Contains(string(b), "the-bucket-id") {
		t.Errorf("the report does not list the resource the up's state holds:\n%s", b)
	}
	if b, _ := os.ReadFile(logs[0]); !strings.Contains(string(b), caller) {
		t.Errorf("the audit log does not name the caller from the up's outputs:\n%s", b)
	}
}

// Without --force a prod delete is refused before the engine is even built.
func TestProdDeleteWithoutForceChangesNothing(t *testing.T) {
	f := &fakeEngine{described: &engine.Deployment{Stack: prodStack, Resources: []engine.DeployedResource{{Name: "registry", Protected: true}}}}
	code, _, errs := runWithEngine(nil, f, "delete-product", "--config", enterpriseExample, "--workdir", t.TempDir())
	if code != ExitRefused || !strings.Contains(errs, "--force") {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	if got := f.called(); got != "" {
		t.Errorf("a refused delete called the engine: %q", got)
	}
	code, _, errs = runWithEngine(nil, f, "delete-product", "--config", enterpriseExample, "--force", "--workdir", t.TempDir())
	// Protection is lifted by a locked update of the program, then destroyed.
	if code != ExitOK || !strings.Contains(f.called(), "up "+prodStack+" destroy "+prodStack+" remove=true") {
		t.Errorf("with --force: exit %d, calls %q, stderr %q", code, f.called(), errs)
	}
}

// A test deployment whose outputs do not verify is still destroyed.
func TestTestDeployCleansUpAfterFailedVerify(t *testing.T) {
	var stack string
	f := &fakeEngine{up: func(_ context.Context, t engine.Target) (*engine.Result, error) {
		stack = t.StackName
		return &engine.Result{Stack: t.StackName, Operation: "update"}, nil
	}, described: &engine.Deployment{Outputs: map[string]any{}}} // no outputs: verify fails
	code, out, errs := runWithEngine(nil, f, "test-deploy", "--config", starterExample, "--force", "--workdir", t.TempDir())
	if code == ExitOK || !strings.Contains(errs, "SSM outputs missing") {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	if !strings.HasPrefix(stack, "techcorp-dev-t001-us-east-1-churn-ml-test-") {
		t.Fatalf("test stack %q", stack)
	}
	if want := "up " + stack + " describe " + stack + " destroy " + stack + " remove=true"; f.called() != want {
		t.Errorf("calls %q, want %q", f.called(), want)
	}
	if !strings.Contains(out, "destroyed and removed") {
		t.Errorf("output does not say the test stack was removed:\n%s", out)
	}
}

// An interrupt during the up: exit 130, nothing more is asked of the
// engine, and the report and audit log still record what happened.
func TestInterruptMidDeploy(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	f := &fakeEngine{up: func(ctx context.Context, t engine.Target) (*engine.Result, error) {
		cancel() // SIGINT arrives while the engine works
		<-ctx.Done()
		return &engine.Result{Stack: t.StackName, Operation: "update"}, fmt.Errorf("%w: %w", engine.ErrInterrupted, ctx.Err())
	}}
	code, _, errs := runWithEngine(ctx, f, "deploy-product", "--config", enterpriseExample, "--force", "--workdir", dir)
	if code != ExitInterrupted {
		t.Fatalf("exit %d, want %d; stderr %q", code, ExitInterrupted, errs)
	}
	if got := f.called(); got != "up "+prodStack {
		t.Errorf("after the interrupt the engine was still asked: %q", got)
	}
	for _, pattern := range []string{"*-deployment.json", "*-deploy-product-*.log"} {
		if files, _ := filepath.Glob(filepath.Join(dir, "ml/reports", pattern)); len(files) != 1 {
			t.Errorf("want one %s after the interrupt, got %v", pattern, files)
		}
	}
}
