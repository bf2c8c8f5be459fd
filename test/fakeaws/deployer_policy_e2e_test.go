package fakeaws_test

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"

	"github.com/mlprov/mlprov/internal/config"
	"github.com/mlprov/mlprov/internal/iampolicy"
	"github.com/mlprov/mlprov/internal/naming"
	"github.com/mlprov/mlprov/internal/render"
	"github.com/mlprov/mlprov/stacks"
	"github.com/mlprov/mlprov/test/e2e"
	"github.com/mlprov/mlprov/test/fakeaws/control"
	"github.com/mlprov/mlprov/test/fakeaws/provider"
)

// One config per tier and source, deployed under its own generated deployer
// policy, with a session that has no MFA; the double authorizes every call
// with the provider model (internal/iampolicy/providercalls).
var policyTierConfigs = []string{
	"../../configs/techcorp-dev-t001-us-east-1-churn-ml-codecommit.yaml",
	"../../configs/techcorp-dev-t001-us-east-1-churn-ml-s3.yaml",
	"../../configs/edge-staging-e042-eu-west-1-fraud-ml-s3.yaml",
	"../../configs/globalbank-prod-c001-us-west-2-churn-ml-codecommit-standalone-ssm.yaml",
	"../../configs/globalbank-prod-c001-us-west-2-churn-ml-codeconnections-standalone-ssm.yaml",
}

// Session principals: a person, and the prod CI role the config exempts from MFA.
const (
	humanPrincipal = "arn:aws:iam::%s:role/ml-operator"
	ciPrincipal    = "arn:aws:iam::%s:role/ml-deployer-ci"
)

// TestDeployerPolicySufficesEndToEnd: deploy → no-op → update → drift check
// → delete of each tier and source through the real engine, the double
// enforcing the generated policy on every provider call (a missing
// permission fails the step). dev runs as a person without MFA, prod as the
// configured CI role without MFA; staging's stateful resources cannot be
// deleted while a replacement still succeeds; a prod delete by a person
// needs MFA.
func TestDeployerPolicySufficesEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the real Pulumi engine; skipped with -short")
	}
	ctx := context.Background()
	root := pulumiRoot(t)
	pluginDir := t.TempDir()
	if err := control.BuildPlugins(ctx, pluginDir); err != nil {
		t.Fatal(err)
	}
	for _, path := range policyTierConfigs {
		cfg, err := config.Load(path)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(string(cfg.MLProduct.Tier)+"-"+cfg.Environment.Env+"-"+string(cfg.MLProduct.SourceControl), func(t *testing.T) {
			account := cfg.Client.AccountID
			principal := fmt.Sprintf(humanPrincipal, account)
			if cfg.IsProd() {
				cfg.Environment.CIDeployerRoleARN = fmt.Sprintf(ciPrincipal, account)
				principal = cfg.Environment.CIDeployerRoleARN
			}
			names := naming.For(cfg)
			doc, err := render.Product(cfg, names, stacks.Program(cfg))
			if err != nil {
				t.Fatal(err)
			}
			policy, err := iampolicy.Generate(doc)
			if err != nil {
				t.Fatal(err)
			}
			stateDir := t.TempDir()
			seedNetwork(t, cfg, stateDir)
			if err := e2e.SeedSourceBucket(stateDir, cfg, true); err != nil {
				t.Fatal(err)
			}
			enforce := func(principal string, mfa bool) {
				authz, err := provider.NewPolicyAuthorizerConfig(policy, map[string][]string{
					"aws:MultiFactorAuthPresent": {fmt.Sprint(mfa)}, "aws:PrincipalArn": {principal}})
				if err != nil {
					t.Fatal(err)
				}
				if err := control.SetAuthorizer(stateDir, authz); err != nil {
					t.Fatal(err)
				}
			}
			enforce(principal, false)
			stack := policyStack(t, ctx, root, pluginDir, stateDir, cfg, names)

			step := func(what string, err error) {
				t.Helper()
				if err != nil {
					t.Fatalf("%s under the generated policy as %s without MFA: %v", what, principal, err)
				}
			}
			_, err = stack.Up(ctx)
			step("deploy", err)
			noop, err := stack.Up(ctx)
			step("no-op deploy", err)
			if changed := changes(noop.Summary.ResourceChanges); changed != 0 {
				t.Errorf("no-op deploy changed %d resources: %v", changed, *noop.Summary.ResourceChanges)
			}
			updated := *cfg
			updated.Tags = map[string]string{}
			maps.Copy(updated.Tags, cfg.Tags)
			updated.Tags["cost_center"] = "e2e-update"
			stack.Workspace().SetProgram(stacks.Program(&updated))
			up, err := stack.Up(ctx)
			step("update (a new tag value on every resource)", err)
			if (*up.Summary.ResourceChanges)["update"] == 0 {
				t.Errorf("the tag change updated nothing: %v", *up.Summary.ResourceChanges)
			}
			_, err = stack.PreviewRefresh(ctx)
			step("drift check", err)
			if cfg.Environment.Env == "staging" {
				stagingKeepsStatefulResources(t, ctx, stack, &updated)
				return
			}
			stack.Workspace().SetProgram(stacks.ProgramWithOptions(&updated, stacks.Options{Unprotect: true}))
			_, err = stack.Up(ctx)
			step("lifting deletion protection", err)
			if cfg.IsProd() {
				enforce(fmt.Sprintf(humanPrincipal, account), false)
				if _, err := stack.Destroy(ctx); err == nil || !strings.Contains(err.Error(), "explicit deny") {
					t.Fatalf("production delete by a person without MFA: %v; want the policy's MFA deny", err)
				}
				enforce(fmt.Sprintf(humanPrincipal, account), true)
			}
			if _, err := stack.Destroy(ctx, optdestroy.Remove()); err != nil {
				t.Fatalf("delete under the generated policy: %v", err)
			}
		})
	}
}

// stagingKeepsStatefulResources: a replacement (a new alerts address
// replaces the e-mail subscription) succeeds, deleting the product does not.
func stagingKeepsStatefulResources(t *testing.T, ctx context.Context, stack auto.Stack, cfg *config.Config) {
	t.Helper()
	replaced := *cfg
	replaced.MLProduct.AlertsEmail = "ml-alerts-e2e@example.com"
	stack.Workspace().SetProgram(stacks.Program(&replaced))
	up, err := stack.Up(ctx)
	if err != nil {
		t.Fatalf("replacing the alerts subscription in staging: %v", err)
	}
	if (*up.Summary.ResourceChanges)["replace"] == 0 {
		t.Errorf("the new alerts address replaced nothing: %v", *up.Summary.ResourceChanges)
	}
	_, err = stack.Destroy(ctx)
	if err == nil {
		t.Fatal("deleting a staging product succeeded; want its stateful resources kept")
	}
	denied := false
	for _, action := range []string{"s3:DeleteBucket", "kms:ScheduleKeyDeletion", "codecommit:DeleteRepository", "sagemaker:DeleteModelPackageGroup"} {
		denied = denied || strings.Contains(err.Error(), action)
	}
	if !denied || !strings.Contains(err.Error(), "explicit deny") {
		t.Fatalf("deleting a staging product: %v; want the explicit deny of a stateful delete", err)
	}
}

// changes counts the resources an update changed.
func changes(summary *map[string]int) int {
	n := 0
	for op, count := range *summary {
		if op != "same" {
			n += count
		}
	}
	return n
}

// policyStack is the product's stack on a local backend, its providers the double.
func policyStack(t *testing.T, ctx context.Context, root, pluginDir, stateDir string, cfg *config.Config, names naming.Names) auto.Stack {
	t.Helper()
	cli, err := auto.NewPulumiCommand(&auto.PulumiCommandOptions{Root: root})
	if err != nil {
		t.Fatal(err)
	}
	env := control.PluginEnv(pluginDir, stateDir)
	maps.Copy(env, map[string]string{
		control.AccountEnv:                            cfg.Client.AccountID,
		"PULUMI_BACKEND_URL":                          "file://" + t.TempDir(),
		"PULUMI_CONFIG_PASSPHRASE":                    "fakeaws-e2e",
		"PULUMI_HOME":                                 t.TempDir(),
		"PULUMI_SKIP_UPDATE_CHECK":                    "true",
		"PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
	})
	stack, err := auto.UpsertStackInlineSource(ctx, names.StackName, naming.Project, stacks.Program(cfg),
		auto.Pulumi(cli), auto.EnvVars(env), auto.WorkDir(t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	return stack
}

// seedNetwork gives an enterprise product the VPC and SSM parameters it reads.
func seedNetwork(t *testing.T, cfg *config.Config, dir string) {
	t.Helper()
	if cfg.MLProduct.Network == nil {
		return
	}
	const vpc = "vpc-0e2e0000000000001"
	subnets := []string{"subnet-0e2e0000000000001", "subnet-0e2e0000000000002"}
	vpcName := naming.VPCName(cfg)
	for name, value := range map[string]string{
		naming.VPCIDParameter(vpcName):            vpc,
		naming.PrivateSubnetIDsParameter(vpcName): subnets[0] + "," + subnets[1],
	} {
		if err := control.SeedParameter(dir, name, value); err != nil {
			t.Fatal(err)
		}
	}
	if err := control.SeedVPC(dir, vpc, "10.42.0.0/16", subnets); err != nil {
		t.Fatal(err)
	}
}
