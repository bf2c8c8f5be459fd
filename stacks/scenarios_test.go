package stacks_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/mlprov/mlprov/internal/config"
	"github.com/mlprov/mlprov/internal/naming"
	"github.com/mlprov/mlprov/internal/provtemplate"
	"github.com/mlprov/mlprov/internal/tags"
	"github.com/mlprov/mlprov/stacks"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// allScenarios: every tier with every source, and enterprise with both
// network modes × both VPC sources, route tables and extra endpoints.
func allScenarios() []*config.Config {
	var out []*config.Config
	for _, tier := range config.Tiers {
		for _, src := range []config.SourceControl{config.SourceCodeCommit, config.SourceS3, config.SourceCodeConnections} {
			out = append(out, withSource(baseConfig(tier, "staging"), src))
		}
	}
	for _, mode := range []config.NetworkMode{config.NetworkStandalone, config.NetworkSGProv} {
		for _, vpc := range []config.VPCSource{config.VPCFromDirect, config.VPCFromSSM} {
			cfg := withNetwork(baseConfig(config.TierEnterprise, "prod"), mode, vpc)
			cfg.MLProduct.Network.RouteTableIDs = []string{"rtb-1", "rtb-2"}
			cfg.MLProduct.Network.ExtraEndpoints = []string{"logs", "ecr.api"}
			out = append(out, cfg)
		}
	}
	return out
}

func TestNetworkEndpointsPerModeAndVPCSource(t *testing.T) {
	for _, mode := range []config.NetworkMode{config.NetworkStandalone, config.NetworkSGProv} {
		for _, vpc := range []config.VPCSource{config.VPCFromDirect, config.VPCFromSSM} {
			t.Run(string(mode)+"-"+string(vpc), func(t *testing.T) {
				cfg := withNetwork(baseConfig(config.TierEnterprise, "prod"), mode, vpc)
				cfg.MLProduct.Network.RouteTableIDs = []string{"rtb-1"}
				cfg.MLProduct.Network.ExtraEndpoints = []string{"kms"}
				rec := run(t, cfg, stacks.Options{})

				vpcName := naming.DefaultVPCName(cfg)
				wantVPC, wantSubnets := "vpc-0abc", []string{"subnet-1", "subnet-2"}
				if vpc == config.VPCFromSSM {
					p := naming.PrivateSubnetIDsParameter(vpcName)
					wantVPC = provtemplate.Placeholder("ssm:" + naming.VPCIDParameter(vpcName))
					wantSubnets = []string{provtemplate.Placeholder("ssm:" + p + "#1"), provtemplate.Placeholder("ssm:" + p + "#2")}
				}
				var wantSG string
				sgs := rec.ByType(tSG)
				n := naming.For(cfg)
				wantBuildSG := wantSG
				if mode == config.NetworkStandalone {
					if len(sgs) != 2 {
						t.Fatalf("standalone creates %d security groups, want the endpoints' and the builds'", len(sgs))
					}
					checkEndpointGroup(t, byName(t, rec, tSG, n.EndpointSecurityGroup), wantVPC)
					builds := byName(t, rec, tSG, n.BuildSecurityGroup)
					if builds.Inputs["ingress"] != nil && len(builds.Inputs["ingress"].([]any)) != 0 {
						t.Errorf("builds' group allows ingress: %v", builds.Inputs["ingress"])
					}
					if len(builds.Inputs["egress"].([]any)) != 2 {
						t.Errorf("builds' group egress %v, want HTTPS to the VPC and to the S3 prefix list", builds.Inputs["egress"])
					}
					wantSG = "sg-" // synthesized id
					wantBuildSG = "sg-"
				} else {
					if len(sgs) != 0 {
						t.Fatalf("sgprov creates %d security groups", len(sgs))
					}
					wantSG = provtemplate.Placeholder("ssm:" + naming.SecurityGroupParameter(cfg))
					wantBuildSG = wantSG
				}

				services := map[string]string{}
				var endpointGroup string
				for _, ep := range rec.ByType(tEndpoint) {
					in := ep.Inputs
					service := strings.TrimPrefix(str(in["serviceName"]), "com.amazonaws."+testRegion+".")
					services[service] = str(in["vpcEndpointType"])
					if str(in["vpcId"]) != wantVPC {
						t.Errorf("%s vpc %v, want %s", service, in["vpcId"], wantVPC)
					}
					// A perimeter (README "Shared VPC endpoints"): this account's
					// principals, plus AWS's own unsigned access for S3 and STS.
					doc := parsePolicy(t, ep, "policy")
					named := map[string]string{"s3": "AWSOwnedBuckets", "sts": "Federation"}
					for i, s := range doc.Statement {
						account := slices.Equal(s.Condition["StringEquals"]["aws:PrincipalAccount"], []string{testAccount})
						if i == 0 && !account || i > 0 && (s.Sid != named[service] || len(s.Condition) != 0 || slices.Contains(s.Resource, "*")) {
							t.Errorf("%s endpoint policy statement %d: %+v", service, i, s)
						}
					}
					if got := obj(in["tags"]); got[tags.Shared] != tags.SharedVPCValue {
						t.Errorf("%s endpoint is not marked shared VPC infrastructure: %v", service, got)
					}
					if service == "s3" {
						if !slices.Equal(strs(in["routeTableIds"]), []string{"rtb-1"}) || in["subnetIds"] != nil {
							t.Errorf("s3 gateway endpoint: %v", in)
						}
						continue
					}
					sgIDs := strs(in["securityGroupIds"])
					endpointGroup = sgIDs[0]
					if in["privateDnsEnabled"] != true || !slices.Equal(strs(in["subnetIds"]), wantSubnets) ||
						len(sgIDs) != 1 || !strings.HasPrefix(sgIDs[0], wantSG) {
						t.Errorf("%s interface endpoint: dns %v subnets %v sg %v", service, in["privateDnsEnabled"], in["subnetIds"], sgIDs)
					}
				}
				want := map[string]string{"sagemaker.api": "Interface", "sagemaker.runtime": "Interface", "sts": "Interface", "logs": "Interface", "s3": "Gateway", "kms": "Interface"}
				if !mapsEqual(services, want) {
					t.Errorf("endpoints %v, want %v", services, want)
				}

				project := byName(t, rec, tProject, n.BuildProject)
				vc := obj(project.Inputs["vpcConfig"])
				if str(vc["vpcId"]) != wantVPC || !slices.Equal(strs(vc["subnets"]), wantSubnets) {
					t.Errorf("build project vpcConfig %v", vc)
				}
				groups := strs(vc["securityGroupIds"])
				if len(groups) != 1 || !strings.HasPrefix(groups[0], wantBuildSG) ||
					(mode == config.NetworkStandalone && groups[0] == endpointGroup) {
					t.Errorf("build project runs in %v, want the builds' own group (endpoints use %s)", groups, endpointGroup)
				}
				vars := map[string]string{}
				for _, v := range obj(project.Inputs["environment"])["environmentVariables"].([]any) {
					vars[str(obj(v)["name"])] = str(obj(v)["value"])
				}
				if vars["VPC_SUBNET_IDS"] != strings.Join(wantSubnets, ",") || vars["VPC_SECURITY_GROUP_IDS"] != groups[0] {
					t.Errorf("build does not tell its jobs where to run: subnets %q groups %q", vars["VPC_SUBNET_IDS"], vars["VPC_SECURITY_GROUP_IDS"])
				}
			})
		}
	}
}

func checkEndpointGroup(t *testing.T, sg provtemplate.Resource, vpcID string) {
	t.Helper()
	cidr := provtemplate.Placeholder("vpc-cidr:" + vpcID)
	if str(sg.Inputs["description"]) == "" {
		t.Error("security group without description")
	}
	ingress, _ := sg.Inputs["ingress"].([]any)
	if len(ingress) != 1 {
		t.Fatalf("ingress rules %v", sg.Inputs["ingress"])
	}
	rule := obj(ingress[0])
	if rule["protocol"] != "tcp" || rule["fromPort"] != float64(443) || rule["toPort"] != float64(443) ||
		!slices.Equal(strs(rule["cidrBlocks"]), []string{cidr}) || str(rule["description"]) == "" {
		t.Errorf("ingress rule %v, want TCP 443 from %s with a description", rule, cidr)
	}
	egress, _ := sg.Inputs["egress"].([]any)
	for _, e := range egress {
		r := obj(e)
		if r["fromPort"] != float64(443) || str(r["description"]) == "" || slices.Contains(strs(r["cidrBlocks"]), "0.0.0.0/0") {
			t.Errorf("egress rule %v", r)
		}
	}
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestPipelinesProjectsAndApprovalTrigger(t *testing.T) {
	for _, c := range []struct {
		tier     config.Tier
		env      string
		approval bool
	}{{config.TierStarter, "dev", false}, {config.TierProfessional, "staging", true}, {config.TierEnterprise, "prod", true}} {
		cfg := baseConfig(c.tier, c.env)
		n := naming.For(cfg)
		rec := run(t, cfg, stacks.Options{})
		enterprise := c.tier == config.TierEnterprise

		for _, name := range []string{n.BuildProject, n.DeployProject} {
			p := byName(t, rec, tProject, name)
			env := obj(p.Inputs["environment"])
			if env["privilegedMode"] != false {
				t.Errorf("%s privileged %v", name, env["privilegedMode"])
			}
			vars := map[string]string{}
			for _, v := range env["environmentVariables"].([]any) {
				vars[str(obj(v)["name"])] = str(obj(v)["value"])
			}
			a := naming.ARNsFor(testAccount, testRegion)
			if vars["MODEL_PACKAGE_GROUP_NAME"] != n.ModelPackageGroup || vars["ARTIFACT_BUCKET"] != n.ArtifactBucket ||
				vars["SAGEMAKER_ROLE_ARN"] != a.Role(n.SageMakerExecutionRole) || vars["MODEL_APPROVAL_STATUS"] != "PendingManualApproval" {
				t.Errorf("%s env vars %v", name, vars)
			}
			logs := obj(obj(p.Inputs["logsConfig"])["cloudwatchLogs"])
			if logs["status"] != "ENABLED" || str(logs["groupName"]) != "/aws/codebuild/"+name {
				t.Errorf("%s logs %v", name, logs)
			}
			if hasKey := strings.HasPrefix(str(p.Inputs["encryptionKey"]), "arn:aws:kms:"); hasKey != enterprise {
				t.Errorf("%s encryptionKey %v", name, p.Inputs["encryptionKey"])
			}
			if (p.Inputs["vpcConfig"] != nil) != enterprise {
				t.Errorf("%s vpcConfig %v", name, p.Inputs["vpcConfig"])
			}
		}

		stages := func(name string) []string {
			p := byName(t, rec, tPipeline, name)
			if p.Inputs["pipelineType"] != "V2" {
				t.Errorf("%s type %v", name, p.Inputs["pipelineType"])
			}
			store := obj(p.Inputs["artifactStores"])
			if str(store["location"]) != n.ArtifactBucket || (store["encryptionKey"] != nil) != enterprise {
				t.Errorf("%s artifact store %v", name, store)
			}
			var out []string
			for _, s := range p.Inputs["stages"].([]any) {
				out = append(out, str(obj(s)["name"]))
			}
			return out
		}
		if got := stages(n.BuildPipeline); !slices.Equal(got, []string{"Source", "Build"}) {
			t.Errorf("build stages %v", got)
		}
		wantDeploy := []string{"Source", "Deploy"}
		if c.approval {
			wantDeploy = []string{"Source", "ManualApproval", "Deploy"}
		}
		if got := stages(n.DeployPipeline); !slices.Equal(got, wantDeploy) {
			t.Errorf("%s deploy stages %v, want %v", c.env, got, wantDeploy)
		}

		rule := byName(t, rec, tEventRule, n.ApprovedModelRule)
		var pattern struct {
			Source     []string `json:"source"`
			DetailType []string `json:"detail-type"`
			Detail     map[string][]string
		}
		if err := json.Unmarshal([]byte(str(rule.Inputs["eventPattern"])), &pattern); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(pattern.Source, []string{"aws.sagemaker"}) ||
			!slices.Equal(pattern.DetailType, []string{"SageMaker Model Package State Change"}) ||
			!slices.Equal(pattern.Detail["ModelPackageGroupName"], []string{n.ModelPackageGroup}) ||
			!slices.Equal(pattern.Detail["ModelApprovalStatus"], []string{"Approved"}) {
			t.Errorf("approval pattern %+v", pattern)
		}
		a := naming.ARNsFor(testAccount, testRegion)
		var target provtemplate.Resource
		for _, tg := range rec.ByType(tEventTarget) {
			if str(tg.Inputs["arn"]) == a.Pipeline(n.DeployPipeline) {
				target = tg
			}
		}
		if str(target.Inputs["rule"]) != n.ApprovedModelRule || str(target.Inputs["roleArn"]) != a.Role(n.EventsRole) {
			t.Errorf("approval target %v", target.Inputs)
		}
	}
}

func TestManualApprovalFollowsConfig(t *testing.T) {
	off := false
	cfg := baseConfig(config.TierStarter, "prod")
	cfg.MLProduct.Approval = &config.Approval{ManualBeforeDeploy: &off}
	rec := run(t, cfg, stacks.Options{})
	p := byName(t, rec, tPipeline, naming.For(cfg).DeployPipeline)
	for _, s := range p.Inputs["stages"].([]any) {
		if str(obj(s)["name"]) == "ManualApproval" {
			t.Error("approval stage present although manual_before_deploy is false")
		}
	}
}

func TestSSMOutputsPerTierAndSource(t *testing.T) {
	starter := []string{"ModelPackageGroupArn", "ModelPackageGroupName", "BuildPipelineName", "DeployPipelineName",
		"SageMakerExecutionRoleArn", "ArtifactBucketName"}
	professional := append(slices.Clone(starter), "DashboardName", "AlertsTopicArn", "BucketName")
	enterprise := append(slices.Clone(professional), "KmsKeyArn", "VpcEndpointIdSagemakerApi",
		"VpcEndpointIdSagemakerRuntime", "VpcEndpointIdS3", "VpcEndpointIdSts", "LogGroupName")
	cases := []struct {
		cfg  *config.Config
		want []string
	}{
		{baseConfig(config.TierStarter, "dev"), append(slices.Clone(starter), "RepositoryUrl", "DeployRepositoryUrl")},
		{withSource(baseConfig(config.TierStarter, "dev"), config.SourceS3), starter},
		{withSource(baseConfig(config.TierStarter, "dev"), config.SourceCodeConnections), append(slices.Clone(starter), "ConnectionArn")},
		{withSource(baseConfig(config.TierProfessional, "dev"), config.SourceS3), professional},
		{withSource(baseConfig(config.TierEnterprise, "dev"), config.SourceS3), append(slices.Clone(enterprise), "SecurityGroupId")},
		{withNetwork(withSource(baseConfig(config.TierEnterprise, "dev"), config.SourceS3), config.NetworkSGProv, config.VPCFromSSM), enterprise},
	}
	for _, c := range cases {
		n := naming.For(c.cfg)
		rec := run(t, c.cfg, stacks.Options{})
		values := map[string]string{}
		for _, p := range rec.ByType(tParameter) {
			key, ok := strings.CutPrefix(p.PhysicalName, n.SSMPrefix())
			if !ok || p.Inputs["type"] != "String" {
				t.Errorf("parameter %s (type %v) outside %s", p.PhysicalName, p.Inputs["type"], n.SSMPrefix())
			}
			values[key] = str(p.Inputs["insecureValue"])
			if values[key] == "" {
				t.Errorf("parameter %s has no value", p.PhysicalName)
			}
		}
		var got []string
		for k := range values {
			got = append(got, k)
		}
		slices.Sort(got)
		want := slices.Sorted(slices.Values(c.want))
		if !slices.Equal(got, want) {
			t.Errorf("%s %s outputs %v, want %v", c.cfg.MLProduct.Tier, naming.Scenario(c.cfg), got, want)
		}
		a := naming.ARNsFor(testAccount, testRegion)
		for key, want := range map[string]string{
			naming.OutModelPackageGroupName:     n.ModelPackageGroup,
			naming.OutModelPackageGroupArn:      a.ModelPackageGroup(n.ModelPackageGroup),
			naming.OutBuildPipelineName:         n.BuildPipeline,
			naming.OutDeployPipelineName:        n.DeployPipeline,
			naming.OutSageMakerExecutionRoleArn: a.Role(n.SageMakerExecutionRole),
			naming.OutArtifactBucketName:        n.ArtifactBucket,
		} {
			if values[key] != want {
				t.Errorf("%s = %q, want %q", key, values[key], want)
			}
		}
	}
}

func TestSources(t *testing.T) {
	s3 := run(t, withSource(baseConfig(config.TierStarter, "dev"), config.SourceS3), stacks.Options{})
	if len(s3.ByType(tRepo))+len(s3.ByType(tConnection)) != 0 {
		t.Error("s3 source creates repositories or connections")
	}
	cfg := withSource(baseConfig(config.TierStarter, "dev"), config.SourceS3)
	action := obj(obj(byName(t, s3, tPipeline, naming.For(cfg).DeployPipeline).Inputs["stages"].([]any)[0])["actions"])
	conf := action["configuration"].(map[string]any)
	if action["provider"] != "S3" || conf["S3Bucket"] != "acme-ml-source" || conf["S3ObjectKey"] != "churn/model-deploy.zip" {
		t.Errorf("s3 deploy source action %v", action)
	}

	cc := withSource(baseConfig(config.TierStarter, "dev"), config.SourceCodeConnections)
	conn := one(t, run(t, cc, stacks.Options{}), tConnection)
	if conn.Inputs["providerType"] != "GitHub" || conn.PhysicalName != naming.For(cc).Connection {
		t.Errorf("connection %v", conn.Inputs)
	}
	cc.MLProduct.Repository.ConnectionARN = "arn:aws:codeconnections:us-west-2:123456789012:connection/abc"
	reuse := run(t, cc, stacks.Options{})
	if n := len(reuse.ByType(tConnection)); n != 0 {
		t.Errorf("given connection_arn still creates %d connections", n)
	}
	action = obj(obj(byName(t, reuse, tPipeline, naming.For(cc).BuildPipeline).Inputs["stages"].([]any)[0])["actions"])
	if c := action["configuration"].(map[string]any); c["ConnectionArn"] != cc.MLProduct.Repository.ConnectionARN || c["FullRepositoryId"] != "acme/churn-model-build" {
		t.Errorf("codeconnections build source %v", c)
	}

	repos := run(t, baseConfig(config.TierStarter, "dev"), stacks.Options{}).ByType(tRepo)
	n := naming.For(baseConfig(config.TierStarter, "dev"))
	if len(repos) != 2 || repos[0].PhysicalName != n.BuildRepository || repos[1].PhysicalName != n.DeployRepository {
		t.Errorf("codecommit repositories %v", repos)
	}
}

func TestProtectionTestDeploymentsAndUnprotect(t *testing.T) {
	protected := func(rec []provtemplate.Resource) []string {
		var out []string
		for _, r := range rec {
			if r.Protect {
				out = append(out, r.Type)
			}
		}
		slices.Sort(out)
		return out
	}
	cfg := baseConfig(config.TierEnterprise, "prod")
	want := []string{tGroup, tKey, tBucket, tBucket} // artifacts and the compliance trail's archive
	slices.Sort(want)
	if got := protected(run(t, cfg, stacks.Options{}).Resources); !slices.Equal(got, want) {
		t.Errorf("prod protected %v, want %v", got, want)
	}
	if got := protected(run(t, cfg, stacks.Options{Unprotect: true}).Resources); len(got) != 0 {
		t.Errorf("unprotected prod still protects %v", got)
	}
	if got := protected(run(t, baseConfig(config.TierEnterprise, "staging"), stacks.Options{}).Resources); len(got) != 0 {
		t.Errorf("staging protects %v", got)
	}
	// MLP-SM-001 wants the prod model registry protected on every tier.
	wantProfessional := []string{tGroup, tBucket}
	slices.Sort(wantProfessional)
	if got := protected(run(t, baseConfig(config.TierProfessional, "prod"), stacks.Options{}).Resources); !slices.Equal(got, wantProfessional) {
		t.Errorf("professional prod protects %v, want %v", got, wantProfessional)
	}

	test := run(t, cfg, stacks.Options{TestID: "a1b2"})
	if got := protected(test.Resources); len(got) != 0 {
		t.Errorf("test deployment protects %v", got)
	}
	tn := naming.ForTest(cfg, "a1b2")
	if got := byName(t, test, tBucket, tn.ArtifactBucket); got.PhysicalName != tn.ArtifactBucket || tagMap(got.Inputs["tags"])[tags.TestID] != "a1b2" {
		t.Errorf("test bucket %s tags %v, want %s with the test id", got.PhysicalName, got.Inputs["tags"], tn.ArtifactBucket)
	}
	if got := str(byName(t, test, tParameter, tn.SSMPath(naming.OutArtifactBucketName)).Inputs["insecureValue"]); got != tn.ArtifactBucket {
		t.Errorf("test output bucket %q", got)
	}
}

func TestProvidersPinnedToConfigAccountAndRegion(t *testing.T) {
	rec := run(t, baseConfig(config.TierStarter, "dev"), stacks.Options{})
	for _, token := range []string{"pulumi:providers:aws", "pulumi:providers:aws-native"} {
		p := one(t, rec, token)
		if p.Inputs["region"] != testRegion || !strings.Contains(str(p.Inputs["allowedAccountIds"])+strings.Join(strs(p.Inputs["allowedAccountIds"]), ","), testAccount) {
			t.Errorf("%s inputs %v", token, p.Inputs)
		}
	}
}

// otherAccount answers the caller identity with another account.
type otherAccount struct{}

func (otherAccount) NewResource(a pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	return a.Name + "-id", a.Inputs, nil
}

func (otherAccount) Call(a pulumi.MockCallArgs) (resource.PropertyMap, error) {
	return resource.NewPropertyMapFromMap(map[string]any{"accountId": "999999999999", "arn": "x", "userId": "x"}), nil
}

func TestWrongAccountFails(t *testing.T) {
	err := pulumi.RunErr(stacks.Program(baseConfig(config.TierStarter, "dev")), pulumi.WithMocks(naming.Project, "s", otherAccount{}))
	if err == nil || !strings.Contains(err.Error(), "999999999999") || !strings.Contains(err.Error(), testAccount) {
		t.Fatalf("error %v, want one naming both accounts", err)
	}
}

func TestUnknownTierFails(t *testing.T) {
	_, err := stacks.CapabilitiesOf("platinum")
	if err == nil || !strings.Contains(err.Error(), "platinum") {
		t.Fatalf("error %v", err)
	}
}

func TestTiersAreCumulativeAndBlueprintsFollow(t *testing.T) {
	bps := stacks.Blueprints()
	if len(bps) != 3 {
		t.Fatalf("%d blueprints", len(bps))
	}
	for i := 1; i < len(bps); i++ {
		for _, line := range bps[i-1].Creates {
			if !slices.Contains(bps[i].Creates, line) {
				t.Errorf("%s lacks %q of %s", bps[i].Tier, line, bps[i-1].Tier)
			}
		}
		if len(bps[i].Creates) <= len(bps[i-1].Creates) {
			t.Errorf("%s adds nothing to %s", bps[i].Tier, bps[i-1].Tier)
		}
	}
	if !slices.ContainsFunc(bps[2].Creates, func(s string) bool { return strings.Contains(s, "Permission boundary") }) {
		t.Error("enterprise blueprint does not mention the permission boundary")
	}
}
