package fakeaws_test

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	awsnative "github.com/pulumi/pulumi-aws-native/sdk/go/aws"
	"github.com/pulumi/pulumi-aws-native/sdk/go/aws/sagemaker"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ssm"
	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optrefresh"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlprov/mlprov/internal/testenv"
	"github.com/mlprov/mlprov/test/fakeaws/control"
)

// Names the engine test's program uses.
const (
	e2eAccount     = "123456789012"
	e2eRegion      = "us-west-2"
	e2eBucket      = "fakeaws-e2e-artifacts"
	e2eParameter   = "/ml/fakeaws-e2e/ArtifactBucketName"
	e2eExtraParam  = "/ml/fakeaws-e2e/Extra"
	e2eModelGroup  = "fakeaws-e2e-models"
	bucketType     = "aws:s3/bucketV2:BucketV2"
	parameterType  = "aws:ssm/parameter:Parameter"
	modelGroupType = "aws-native:sagemaker:ModelPackageGroup"
)

// pulumiRoot is a Pulumi CLI root (a folder holding bin/pulumi) of the pinned
// CLI; testenv skips or fails when there is none.
func pulumiRoot(t *testing.T) string { return testenv.PulumiRoot(t) }

// e2eProgram is a small program exercising both fake plugins; withExtra adds
// one more parameter so a later run has something to create.
func e2eProgram(withExtra bool) pulumi.RunFunc {
	return func(ctx *pulumi.Context) error {
		allowed := pulumi.ToStringArray([]string{e2eAccount})
		awsProvider, err := aws.NewProvider(ctx, "aws", &aws.ProviderArgs{
			Region: pulumi.String(e2eRegion), AllowedAccountIds: allowed,
		})
		if err != nil {
			return err
		}
		nativeProvider, err := awsnative.NewProvider(ctx, "aws-native", &awsnative.ProviderArgs{
			Region: pulumi.String(e2eRegion), AllowedAccountIds: allowed,
		})
		if err != nil {
			return err
		}
		onAWS := pulumi.Provider(awsProvider)
		caller, err := aws.GetCallerIdentity(ctx, nil, pulumi.Provider(awsProvider))
		if err != nil {
			return err
		}
		bucket, err := s3.NewBucketV2(ctx, "artifacts", &s3.BucketV2Args{
			Bucket: pulumi.String(e2eBucket),
			Tags:   pulumi.StringMap{"team": pulumi.String("ml"), "account": pulumi.String(caller.AccountId)},
		}, onAWS)
		if err != nil {
			return err
		}
		if _, err := ssm.NewParameter(ctx, "bucket-name", &ssm.ParameterArgs{
			Name: pulumi.String(e2eParameter), Type: pulumi.String("String"), Value: bucket.Bucket,
		}, onAWS); err != nil {
			return err
		}
		if withExtra {
			if _, err := ssm.NewParameter(ctx, "extra", &ssm.ParameterArgs{
				Name: pulumi.String(e2eExtraParam), Type: pulumi.String("String"), Value: bucket.Arn,
			}, onAWS); err != nil {
				return err
			}
		}
		group, err := sagemaker.NewModelPackageGroup(ctx, "models", &sagemaker.ModelPackageGroupArgs{
			ModelPackageGroupName: pulumi.String(e2eModelGroup),
		}, pulumi.Provider(nativeProvider))
		if err != nil {
			return err
		}
		ctx.Export("bucketArn", bucket.Arn)
		ctx.Export("modelPackageGroupArn", group.ModelPackageGroupArn)
		ctx.Export("accountId", pulumi.String(caller.AccountId))
		return nil
	}
}

// e2eStack builds the plugins and a stack on a file backend in temp dirs.
func e2eStack(t *testing.T, ctx context.Context) (auto.Stack, string) {
	t.Helper()
	root := pulumiRoot(t)
	pluginDir, stateDir, backendDir, home, work := t.TempDir(), t.TempDir(), t.TempDir(), t.TempDir(), t.TempDir()
	if err := control.BuildPlugins(ctx, pluginDir); err != nil {
		t.Fatal(err)
	}
	cli, err := auto.NewPulumiCommand(&auto.PulumiCommandOptions{Root: root})
	if err != nil {
		t.Fatalf("pulumi CLI at %s: %v", root, err)
	}
	env := control.PluginEnv(pluginDir, stateDir)
	maps.Copy(env, map[string]string{
		control.AccountEnv:                            e2eAccount,
		"PULUMI_BACKEND_URL":                          "file://" + backendDir,
		"PULUMI_CONFIG_PASSPHRASE":                    "fakeaws-e2e",
		"PULUMI_HOME":                                 home,
		"PULUMI_SKIP_UPDATE_CHECK":                    "true",
		"PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
	})
	stack, err := auto.UpsertStackInlineSource(ctx, "fakeaws-e2e", "fakeaws-e2e", e2eProgram(false),
		auto.Pulumi(cli), auto.EnvVars(env), auto.WorkDir(work))
	if err != nil {
		t.Fatalf("create stack: %v", err)
	}
	return stack, stateDir
}

// mutatingCalls lists the create, update and delete calls in the call log.
func mutatingCalls(t *testing.T, stateDir string) []string {
	t.Helper()
	calls, err := control.Calls(stateDir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, c := range calls {
		if c.Op == "create" || c.Op == "update" || c.Op == "delete" {
			out = append(out, c.Op+" "+c.Type+" "+c.Name)
		}
	}
	return out
}

func resourceIDs(t *testing.T, stateDir string) []string {
	t.Helper()
	rs, err := control.Resources(stateDir)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range rs {
		ids = append(ids, r.Type+" "+r.ID)
	}
	return ids
}

// timed runs step and logs its wall time.
func timed(t *testing.T, name string, step func()) {
	t.Helper()
	start := time.Now()
	step()
	t.Logf("%s: %s", name, time.Since(start).Round(time.Millisecond))
}

func TestRealEngineAgainstTheDouble(t *testing.T) {
	testenv.SkipShort(t)
	ctx := context.Background()
	started := time.Now()
	stack, stateDir := e2eStack(t, ctx)
	t.Logf("build plugins + create stack: %s", time.Since(started).Round(time.Millisecond))

	timed(t, "first up", func() {
		res, err := stack.Up(ctx)
		if err != nil {
			t.Fatalf("first up: %v", err)
		}
		wantArn := "arn:aws:sagemaker:us-west-2:" + e2eAccount + ":model-package-group/" + e2eModelGroup
		if got := res.Outputs["bucketArn"].Value; got != "arn:aws:s3:::"+e2eBucket {
			t.Errorf("bucketArn = %v", got)
		}
		if got := res.Outputs["modelPackageGroupArn"].Value; got != wantArn {
			t.Errorf("modelPackageGroupArn = %v, want %s", got, wantArn)
		}
		if got := res.Outputs["accountId"].Value; got != e2eAccount {
			t.Errorf("accountId = %v, want %s (from getCallerIdentity)", got, e2eAccount)
		}
	})
	want := []string{ // sorted by type token: "aws-native:" before "aws:"
		modelGroupType + " arn:aws:sagemaker:us-west-2:" + e2eAccount + ":model-package-group/" + e2eModelGroup,
		bucketType + " " + e2eBucket,
		parameterType + " " + e2eParameter,
	}
	if got := resourceIDs(t, stateDir); !slices.Equal(got, want) {
		t.Fatalf("double holds %v, want %v", got, want)
	}
	rs, _ := control.Resources(stateDir)
	if tags := rs[1].Outputs["tags"].(map[string]any); tags["account"] != e2eAccount || tags["team"] != "ml" {
		t.Errorf("bucket tags in the double = %v", tags)
	}
	if rs[2].Outputs["value"] != e2eBucket {
		t.Errorf("parameter value = %v, want %s", rs[2].Outputs["value"], e2eBucket)
	}

	timed(t, "second up (no-op)", func() {
		before := len(mutatingCalls(t, stateDir))
		res, err := stack.Up(ctx)
		if err != nil {
			t.Fatalf("second up: %v", err)
		}
		for op, n := range *res.Summary.ResourceChanges {
			if op != string(apitype.OpSame) {
				t.Errorf("second up: %d %s, want only same", n, op)
			}
		}
		if after := mutatingCalls(t, stateDir); len(after) != before {
			t.Errorf("second up made calls %v", after[before:])
		}
	})

	timed(t, "drift + refresh preview", func() {
		if err := control.Mutate(stateDir, bucketType, e2eBucket, "tags", map[string]any{"team": "someone-else", "account": e2eAccount}); err != nil {
			t.Fatal(err)
		}
		evs := make(chan events.EngineEvent)
		var changed []apitype.StepEventMetadata
		done := make(chan struct{})
		go func() {
			defer close(done)
			for e := range evs {
				// A refresh reports what it found in the step's outputs event.
				if e.ResOutputsEvent != nil && e.ResOutputsEvent.Metadata.Op != apitype.OpSame {
					changed = append(changed, e.ResOutputsEvent.Metadata)
				}
			}
		}()
		res, err := stack.PreviewRefresh(ctx, optrefresh.EventStreams(evs))
		<-done
		if err != nil {
			t.Fatalf("refresh preview: %v", err)
		}
		var drifted []string
		for _, m := range changed {
			drifted = append(drifted, m.Type+" "+string(m.Op)+" "+strings.Join(m.Diffs, ","))
		}
		if len(changed) != 1 || changed[0].Type != bucketType || !slices.Contains(changed[0].Diffs, "tags") {
			t.Errorf("refresh preview changes = %v (summary %v), want the bucket's tags", drifted, res.ChangeSummary)
		}
		t.Logf("refresh preview reported: %v", drifted)
	})

	timed(t, "create fault, then converge", func() {
		err := control.InjectFault(stateDir, control.Fault{Op: "create", Type: parameterType, Name: e2eExtraParam, Times: 1,
			Message: "ThrottlingException: Rate exceeded (injected by fakeaws)"})
		if err != nil {
			t.Fatal(err)
		}
		stack.Workspace().SetProgram(e2eProgram(true))
		_, err = stack.Up(ctx)
		if err == nil || !strings.Contains(err.Error(), "ThrottlingException: Rate exceeded") ||
			!strings.Contains(err.Error(), "extra") {
			t.Fatalf("up with a create fault: error = %v, want the injected message naming the resource", err)
		}
		if slices.Contains(resourceIDs(t, stateDir), parameterType+" "+e2eExtraParam) {
			t.Error("the failed create persisted the parameter")
		}
		res, err := stack.Up(ctx)
		if err != nil {
			t.Fatalf("re-run after the fault: %v", err)
		}
		if (*res.Summary.ResourceChanges)[string(apitype.OpCreate)] != 1 {
			t.Errorf("re-run changes = %v, want 1 create", *res.Summary.ResourceChanges)
		}
		if !slices.Contains(resourceIDs(t, stateDir), parameterType+" "+e2eExtraParam) {
			t.Error("re-run did not create the parameter")
		}
	})

	timed(t, "destroy", func() {
		if _, err := stack.Destroy(ctx, optdestroy.Remove()); err != nil {
			t.Fatalf("destroy: %v", err)
		}
		if left := resourceIDs(t, stateDir); len(left) != 0 {
			t.Errorf("after destroy the double still holds %v", left)
		}
	})
	t.Logf("engine test total: %s", time.Since(started).Round(time.Millisecond))
}
