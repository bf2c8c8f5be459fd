// Package enginetest proves the policy pack loads in the real Pulumi engine:
// an inline program previews a KMS key against the fakeaws test double with
// the pack attached. It skips when the pinned CLI or the test double is not
// there. Set MLPROV_PULUMI_ROOT to a directory holding bin/pulumi.
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
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// pulumiRoot finds a directory with bin/pulumi: the env override, the repo's
// ./bin, or the shared build.
func pulumiRoot(t *testing.T, repo string) string {
	for _, root := range []string{os.Getenv("MLPROV_PULUMI_ROOT"), repo, "/tmp/pulumi-cli-build"} {
		if root == "" {
			continue
		}
		if _, err := os.Stat(filepath.Join(root, "bin", "pulumi")); err == nil {
			return root
		}
	}
	t.Skip("no Pulumi CLI (bin/pulumi) found; set MLPROV_PULUMI_ROOT")
	return ""
}

// plugins builds the analyzer and the fakeaws providers into one directory
// for PATH.
func plugins(t *testing.T, repo string) string {
	fake := filepath.Join(repo, "test", "fakeaws", "build.sh")
	if _, err := os.Stat(fake); err != nil {
		t.Skip("no fakeaws test double (test/fakeaws/build.sh)")
	}
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

func TestPackGatesPreviewInTheEngine(t *testing.T) {
	if testing.Short() {
		t.Skip("engine test")
	}
	repo, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	root := pulumiRoot(t, repo)
	bin := plugins(t, repo)
	cmd, err := auto.NewPulumiCommand(&auto.PulumiCommandOptions{Root: root})
	if err != nil {
		t.Fatal(err)
	}
	state := t.TempDir()
	ctx := context.Background()
	for _, tc := range []struct {
		rotation bool
		blocked  bool
	}{{rotation: false, blocked: true}, {rotation: true, blocked: false}} {
		stack, err := auto.UpsertStackInlineSource(ctx, "policy-test", "mlprov-policy-test", keyProgram(tc.rotation),
			auto.Pulumi(cmd),
			auto.WorkDir(t.TempDir()),
			auto.Project(workspace.Project{Name: "mlprov-policy-test", Runtime: workspace.NewProjectRuntimeInfo("go", nil),
				Backend: &workspace.ProjectBackend{URL: "file://" + state}}),
			auto.EnvVars(map[string]string{
				"PATH":                     bin + string(os.PathListSeparator) + os.Getenv("PATH"),
				"PULUMI_CONFIG_PASSPHRASE": "engine-test",
				"PULUMI_SKIP_UPDATE_CHECK": "true",
				"PULUMI_HOME":              filepath.Join(state, "home"),
				"MLPROV_FAKEAWS_DIR":       filepath.Join(state, "cloud"),
			}),
		)
		if err != nil {
			t.Fatal(err)
		}
		_ = stack.SetConfig(ctx, "aws:region", auto.ConfigValue{Value: "us-east-1"})
		_, err = stack.Preview(ctx, optpreview.PolicyPacks(filepath.Join(repo, "policy-pack")))
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
