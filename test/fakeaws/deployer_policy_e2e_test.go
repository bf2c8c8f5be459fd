package fakeaws_test

import (
	"context"
	"maps"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"

	"github.com/mlprov/mlprov/internal/config"
	"github.com/mlprov/mlprov/internal/iampolicy"
	"github.com/mlprov/mlprov/internal/naming"
	"github.com/mlprov/mlprov/internal/render"
	"github.com/mlprov/mlprov/stacks"
	"github.com/mlprov/mlprov/test/fakeaws/control"
	"github.com/mlprov/mlprov/test/fakeaws/provider"
)

// One config per tier, deployed under its own generated deployer policy.
var policyTierConfigs = []string{
	"../../configs/techcorp-dev-t001-us-east-1-churn-ml-codecommit.yaml",
	"../../configs/edge-staging-e042-eu-west-1-fraud-ml-s3.yaml",
	"../../configs/globalbank-prod-c001-us-west-2-churn-ml-codecommit-standalone-ssm.yaml",
}

// TestDeployerPolicySufficesEndToEnd: deploy → drift check → delete of each
// tier through the real engine, with the double enforcing the generated
// policy on every provider call (a missing permission fails the step).
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
		t.Run(string(cfg.MLProduct.Tier), func(t *testing.T) {
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
			enforce := func(mfa string) {
				authz, err := provider.NewPolicyAuthorizerConfig(policy, map[string][]string{"aws:MultiFactorAuthPresent": {mfa}})
				if err != nil {
					t.Fatal(err)
				}
				if err := control.SetAuthorizer(stateDir, authz); err != nil {
					t.Fatal(err)
				}
			}
			enforce("false")
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
			if _, err := stack.Up(ctx); err != nil {
				t.Fatalf("deploy under the generated policy: %v", err)
			}
			if _, err := stack.PreviewRefresh(ctx); err != nil {
				t.Fatalf("drift check under the generated policy: %v", err)
			}
			stack.Workspace().SetProgram(stacks.ProgramWithOptions(cfg, stacks.Options{Unprotect: true}))
			if _, err := stack.Up(ctx); err != nil {
				t.Fatalf("lifting deletion protection: %v", err)
			}
			if cfg.IsProd() {
				if _, err := stack.Destroy(ctx); err == nil {
					t.Fatal("production delete without MFA succeeded; want the policy's MFA deny")
				}
				enforce("true")
			}
			if _, err := stack.Destroy(ctx, optdestroy.Remove()); err != nil {
				t.Fatalf("delete under the generated policy: %v", err)
			}
		})
	}
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
