package stacks_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/mlprov/mlprov/internal/config"
	"github.com/mlprov/mlprov/internal/naming"
	"github.com/mlprov/mlprov/internal/provtemplate"
	"github.com/mlprov/mlprov/internal/tags"
	"github.com/mlprov/mlprov/stacks"
)

// Type tokens the assertions look at.
const (
	tBucket       = "aws:s3/bucketV2:BucketV2"
	tEncryption   = "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2"
	tVersioning   = "aws:s3/bucketVersioningV2:BucketVersioningV2"
	tPublicAccess = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
	tOwnership    = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
	tBucketPolicy = "aws:s3/bucketPolicy:BucketPolicy"
	tKey          = "aws:kms/key:Key"
	tRole         = "aws:iam/role:Role"
	tRolePolicy   = "aws:iam/rolePolicy:RolePolicy"
	tPolicy       = "aws:iam/policy:Policy"
	tLogGroup     = "aws:cloudwatch/logGroup:LogGroup"
	tAlarm        = "aws:cloudwatch/metricAlarm:MetricAlarm"
	tFilter       = "aws:cloudwatch/logMetricFilter:LogMetricFilter"
	tEventRule    = "aws:cloudwatch/eventRule:EventRule"
	tEventTarget  = "aws:cloudwatch/eventTarget:EventTarget"
	tProject      = "aws:codebuild/project:Project"
	tPipeline     = "aws:codepipeline/pipeline:Pipeline"
	tEndpoint     = "aws:ec2/vpcEndpoint:VpcEndpoint"
	tSG           = "aws:ec2/securityGroup:SecurityGroup"
	tParameter    = "aws:ssm/parameter:Parameter"
	tTopic        = "aws:sns/topic:Topic"
	tTopicPolicy  = "aws:sns/topicPolicy:TopicPolicy"
	tRepo         = "aws:codecommit/repository:Repository"
	tConnection   = "aws:codeconnections/connection:Connection"
	tGroup        = "aws-native:sagemaker:ModelPackageGroup"
)

func TestArtifactBucketSecurityPerTier(t *testing.T) {
	for _, tier := range config.Tiers {
		t.Run(string(tier), func(t *testing.T) {
			cfg := baseConfig(tier, "dev")
			rec := run(t, cfg, stacks.Options{})
			name := naming.For(cfg).ArtifactBucket
			bucket := byName(t, rec, tBucket, name)
			settingOf := func(token string) provtemplate.Resource {
				t.Helper()
				for _, r := range rec.ByType(token) {
					if r.Parent == bucket.Parent {
						return r
					}
				}
				t.Fatalf("artifact bucket has no %s", token)
				return provtemplate.Resource{}
			}
			sse := obj(obj(settingOf(tEncryption).Inputs["rules"])["applyServerSideEncryptionByDefault"])
			if tier == config.TierEnterprise {
				if sse["sseAlgorithm"] != "aws:kms" || !strings.HasPrefix(str(sse["kmsMasterKeyId"]), "arn:aws:kms:us-west-2:123456789012:key/") {
					t.Errorf("enterprise bucket encryption = %v, want aws:kms with the product key", sse)
				}
			} else if sse["sseAlgorithm"] != "AES256" || sse["kmsMasterKeyId"] != nil {
				t.Errorf("%s bucket encryption = %v, want AES256", tier, sse)
			}
			if got := obj(settingOf(tVersioning).Inputs["versioningConfiguration"])["status"]; got != "Enabled" {
				t.Errorf("versioning status %v", got)
			}
			pab := settingOf(tPublicAccess).Inputs
			for _, k := range []string{"blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"} {
				if pab[k] != true {
					t.Errorf("public access block %s = %v", k, pab[k])
				}
			}
			if got := obj(settingOf(tOwnership).Inputs["rule"])["objectOwnership"]; got != "BucketOwnerEnforced" {
				t.Errorf("object ownership %v", got)
			}
			doc := parsePolicy(t, settingOf(tBucketPolicy), "policy")
			s := doc.Statement[0]
			wantRes := []string{"arn:aws:s3:::" + name, "arn:aws:s3:::" + name + "/*"}
			if s.Effect != "Deny" || !slices.Equal(s.Resource, wantRes) || !slices.Equal(s.Condition["Bool"]["aws:SecureTransport"], []string{"false"}) {
				t.Errorf("bucket policy is not TLS-only: %+v", s)
			}
		})
	}
}

func TestProductKeyOnlyOnEnterprise(t *testing.T) {
	// Starter has no key; professional only its alerts topic's key.
	for tier, want := range map[config.Tier][]string{config.TierStarter: nil, config.TierProfessional: {"alerts-key"}} {
		var got []string
		for _, k := range run(t, baseConfig(tier, "prod"), stacks.Options{}).ByType(tKey) {
			got = append(got, k.LogicalName)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s creates KMS keys %v, want %v", tier, got, want)
		}
	}
	for env, window := range map[string]float64{"prod": 30, "dev": 7} {
		cfg := baseConfig(config.TierEnterprise, env)
		n := naming.For(cfg)
		rec := run(t, cfg, stacks.Options{})
		key := one(t, rec, tKey)
		if key.Inputs["enableKeyRotation"] != true || str(key.Inputs["description"]) == "" || key.Inputs["deletionWindowInDays"] != window {
			t.Errorf("%s key: rotation %v, description %q, window %v (want %v)", env,
				key.Inputs["enableKeyRotation"], key.Inputs["description"], key.Inputs["deletionWindowInDays"], window)
		}
		if got := one(t, rec, "aws:kms/alias:Alias").PhysicalName; got != "alias/"+n.MLName {
			t.Errorf("alias %q", got)
		}
		a := naming.ARNsFor(testAccount, testRegion)
		wantAWS := []string{a.AccountRoot(), a.Role(n.CodeBuildRole), a.Role(n.CodePipelineRole), a.Role(n.SageMakerExecutionRole), a.Role(n.EventsRole)}
		var gotAWS, gotServices []string
		for _, s := range parsePolicy(t, key, "policy").Statement {
			gotAWS = append(gotAWS, s.Principal["AWS"]...)
			gotServices = append(gotServices, s.Principal["Service"]...)
			if slices.Contains(s.Principal["Service"], "logs.us-west-2.amazonaws.com") {
				groups := s.Condition["ArnEquals"]["kms:EncryptionContext:aws:logs:arn"]
				if !slices.Contains(groups, a.LogGroup(n.ComplianceLogGroup)) || !slices.Contains(groups, a.LogGroup(n.BuildLogGroup)) {
					t.Errorf("logs statement not limited to the product's log groups: %v", groups)
				}
			}
			if slices.Contains(s.Principal["Service"], "events.amazonaws.com") && !slices.Equal(s.Condition["StringEquals"]["aws:SourceAccount"], []string{testAccount}) {
				t.Errorf("events/cloudwatch statement without aws:SourceAccount: %+v", s)
			}
		}
		slices.Sort(gotAWS)
		slices.Sort(wantAWS)
		if !slices.Equal(gotAWS, wantAWS) {
			t.Errorf("key policy AWS principals %v, want %v", gotAWS, wantAWS)
		}
		slices.Sort(gotServices)
		if want := []string{"cloudtrail.amazonaws.com", "cloudwatch.amazonaws.com", "events.amazonaws.com", "logs.us-west-2.amazonaws.com"}; !slices.Equal(gotServices, want) {
			t.Errorf("key policy service principals %v, want %v", gotServices, want)
		}
	}
}

func TestPermissionBoundaryOnlyOnEnterpriseAndOnEveryRole(t *testing.T) {
	for _, tier := range config.Tiers {
		cfg := baseConfig(tier, "dev")
		n := naming.For(cfg)
		rec := run(t, cfg, stacks.Options{})
		roles := rec.ByType(tRole)
		wantRoles := []string{n.CodeBuildRole, n.CodePipelineRole, n.EventsRole, n.SageMakerExecutionRole}
		if tier == config.TierEnterprise {
			wantRoles = append(wantRoles, n.CloudTrailRole) // the compliance trail's delivery role
		}
		slices.Sort(wantRoles)
		var got []string
		for _, r := range roles {
			got = append(got, r.PhysicalName)
			boundary := str(r.Inputs["permissionsBoundary"])
			if tier == config.TierEnterprise {
				if boundary != naming.ARNsFor(testAccount, testRegion).Policy(n.PermissionBoundary) {
					t.Errorf("enterprise role %s boundary %q", r.PhysicalName, boundary)
				}
			} else if boundary != "" {
				t.Errorf("%s role %s has boundary %q", tier, r.PhysicalName, boundary)
			}
		}
		slices.Sort(got)
		if !slices.Equal(got, wantRoles) {
			t.Errorf("%s role names %v, want %v", tier, got, wantRoles)
		}
		if policies := rec.ByType(tPolicy); (tier == config.TierEnterprise) != (len(policies) == 1) {
			t.Errorf("%s: %d managed policies", tier, len(policies))
		}
	}
}

// unscopable are the only actions an identity policy may grant on "*": AWS
// offers no resource-level scoping for them.
var unscopable = []string{"ec2:DescribeDhcpOptions", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets",
	"ec2:DescribeSecurityGroups", "ec2:DescribeVpcs", "ecr:GetAuthorizationToken", "cloudwatch:PutMetricData"}

func TestPolicyDocumentsHaveNoWildcardActionsAndScopedResources(t *testing.T) {
	for _, cfg := range allScenarios() {
		rec := run(t, cfg, stacks.Options{})
		checked := 0
		for _, r := range rec.Resources {
			for _, key := range []string{"policy", "assumeRolePolicy"} {
				// Endpoint policies are a perimeter for the whole VPC, not the
				// product's least privilege (components/network EndpointPolicy).
				if _, ok := r.Inputs[key].(string); !ok || r.Type == tEndpoint {
					continue
				}
				if !strings.HasPrefix(str(r.Inputs[key]), "{") {
					continue
				}
				checked++
				identityPolicy := r.Type == tRolePolicy || r.Type == tPolicy
				for _, s := range parsePolicy(t, r, key).Statement {
					if s.Effect != "Allow" {
						continue // the TLS-only Deny uses s3:* on purpose
					}
					for _, a := range s.Action {
						// AWS's default key policy: kms:* for the account root
						// delegates the key to IAM policies.
						// https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
						if a == "kms:*" && slices.Equal(s.Principal["AWS"], []string{"arn:aws:iam::" + testAccount + ":root"}) {
							continue
						}
						if a == "*" || strings.HasSuffix(a, ":*") {
							t.Errorf("%s %s allows wildcard action %q", r.Type, r.LogicalName, a)
						}
					}
					if identityPolicy && slices.Contains(s.Resource, "*") {
						for _, a := range s.Action {
							if !slices.Contains(unscopable, a) {
								t.Errorf("%s %s grants scopable %s on *", r.Type, r.LogicalName, a)
							}
						}
					}
					if slices.Contains(s.Action, "iam:PassRole") {
						n := naming.For(cfg)
						if !slices.Equal(s.Resource, []string{naming.ARNsFor(testAccount, testRegion).Role(n.SageMakerExecutionRole)}) ||
							!slices.Equal(s.Condition["StringEquals"]["iam:PassedToService"], []string{"sagemaker.amazonaws.com"}) {
							t.Errorf("%s: iam:PassRole not limited to the SageMaker role and service: %+v", r.LogicalName, s)
						}
					}
				}
			}
		}
		if checked < 9 {
			t.Errorf("%s: only %d policy documents found", naming.Scenario(cfg), checked)
		}
	}
}

func TestRoleTrustNamesOneServiceOfThisAccount(t *testing.T) {
	rec := run(t, baseConfig(config.TierStarter, "dev"), stacks.Options{})
	want := map[string]string{"codebuild-role": "codebuild.amazonaws.com", "codepipeline-role": "codepipeline.amazonaws.com",
		"sagemaker-execution-role": "sagemaker.amazonaws.com", "events-role": "events.amazonaws.com"}
	for _, r := range rec.ByType(tRole) {
		doc := parsePolicy(t, r, "assumeRolePolicy")
		s := doc.Statement[0]
		var service string
		for suffix, svc := range want {
			if strings.HasSuffix(r.PhysicalName, suffix) {
				service = svc
			}
		}
		if len(doc.Statement) != 1 || !slices.Equal(s.Principal["Service"], []string{service}) || s.Principal["AWS"] != nil ||
			!slices.Equal(s.Condition["StringEquals"]["aws:SourceAccount"], []string{testAccount}) {
			t.Errorf("%s trust policy %+v, want only %s of %s", r.PhysicalName, doc, service, testAccount)
		}
	}
}

func TestEveryTaggableResourceCarriesProductAndConfigTags(t *testing.T) {
	for _, cfg := range allScenarios() {
		rec := run(t, cfg, stacks.Options{})
		tagged := 0
		for _, r := range rec.Resources {
			if !r.Custom || !taggable[r.Type] {
				continue
			}
			tagged++
			got := tagMap(r.Inputs["tags"])
			want := map[string]string{tags.MLName: naming.For(cfg).MLName, tags.Env: cfg.Environment.Env,
				tags.Tier: string(cfg.MLProduct.Tier), tags.ManagedBy: tags.ManagedByValue, "cost_center": "4410"}
			for k, v := range want {
				if got[k] != v {
					t.Errorf("%s %s: tag %s = %q, want %q", r.Type, r.LogicalName, k, got[k], v)
				}
			}
		}
		if tagged < 15 {
			t.Errorf("only %d taggable resources checked", tagged)
		}
	}
}

// taggable are the resource types the program uses that accept tags.
var taggable = map[string]bool{
	tBucket: true, tKey: true, tRole: true, tPolicy: true, tLogGroup: true, tAlarm: true, tEventRule: true,
	tProject: true, tPipeline: true, tEndpoint: true, tSG: true, tParameter: true, tTopic: true, tRepo: true,
	tConnection: true, tGroup: true,
}

// tagMap reads a tag map, or aws-native's key/value list.
func tagMap(v any) map[string]string {
	out := map[string]string{}
	if m, ok := v.(map[string]any); ok {
		for k, val := range m {
			out[k] = str(val)
		}
	}
	if list, ok := v.([]any); ok {
		for _, e := range list {
			kv, _ := e.(map[string]any)
			out[str(kv["key"])] = str(kv["value"])
		}
	}
	return out
}

func TestLogGroupsRetentionAndEncryption(t *testing.T) {
	cases := []struct {
		tier      config.Tier
		configure int
		want      float64
		groups    int
	}{
		{config.TierStarter, 0, 90, 2},
		{config.TierProfessional, 0, 365, 2},
		{config.TierProfessional, 731, 731, 2},
		{config.TierEnterprise, 0, 365, 3},
	}
	for _, c := range cases {
		cfg := baseConfig(c.tier, "dev")
		cfg.MLProduct.LogRetentionDays = c.configure
		groups := run(t, cfg, stacks.Options{}).ByType(tLogGroup)
		if len(groups) != c.groups {
			t.Errorf("%s: %d log groups, want %d", c.tier, len(groups), c.groups)
		}
		for _, g := range groups {
			if g.Inputs["retentionInDays"] != c.want {
				t.Errorf("%s (%d): %s retention %v, want %v", c.tier, c.configure, g.PhysicalName, g.Inputs["retentionInDays"], c.want)
			}
			encrypted := strings.HasPrefix(str(g.Inputs["kmsKeyId"]), "arn:aws:kms:")
			if encrypted != (c.tier == config.TierEnterprise) {
				t.Errorf("%s: %s kmsKeyId %v", c.tier, g.PhysicalName, g.Inputs["kmsKeyId"])
			}
		}
	}
}

func TestComplianceAlarmsNotifyTheAlertsTopic(t *testing.T) {
	cfg := baseConfig(config.TierEnterprise, "prod")
	n := naming.For(cfg)
	rec := run(t, cfg, stacks.Options{})
	topic := naming.ARNsFor(testAccount, testRegion).Topic(n.AlertsTopic)
	for _, name := range []string{n.UnauthorizedCallsAlarm, n.RootUsageAlarm} {
		a := byName(t, rec, tAlarm, name)
		if a.Inputs["actionsEnabled"] != true || !slices.Equal(strs(a.Inputs["alarmActions"]), []string{topic}) {
			t.Errorf("alarm %s: actionsEnabled %v, actions %v", name, a.Inputs["actionsEnabled"], a.Inputs["alarmActions"])
		}
	}
	for name, pattern := range map[string]string{"UnauthorizedAPICalls": "UnauthorizedOperation", "RootAccountUsage": `"Root"`} {
		f := byName(t, rec, tFilter, name)
		if !strings.Contains(str(f.Inputs["pattern"]), pattern) || str(f.Inputs["logGroupName"]) != n.ComplianceLogGroup {
			t.Errorf("metric filter %s: %v", name, f.Inputs)
		}
	}
	if got := str(one(t, rec, tTopic).Inputs["kmsMasterKeyId"]); !strings.HasPrefix(got, "arn:aws:kms:") {
		t.Errorf("enterprise topic key %q, want the product key", got)
	}
	for _, s := range parsePolicy(t, one(t, rec, tTopicPolicy), "policy").Statement {
		if slices.Contains(s.Principal["AWS"], "*") {
			t.Errorf("topic policy is public: %+v", s)
		}
	}
	prof := run(t, baseConfig(config.TierProfessional, "dev"), stacks.Options{})
	// EventBridge and CloudWatch cannot publish to a topic under the
	// AWS-managed alias/aws/sns key, so professional gets its own alerts key.
	alertsKey := one(t, prof, tKey)
	if got, want := str(one(t, prof, tTopic).Inputs["kmsMasterKeyId"]), "arn:aws:kms:"; !strings.HasPrefix(got, want) {
		t.Errorf("professional topic key %q, want its alerts key", got)
	}
	if alertsKey.Inputs["enableKeyRotation"] != true {
		t.Errorf("alerts key rotation off: %v", alertsKey.Inputs)
	}
	keyPolicy := str(alertsKey.Inputs["policy"])
	for _, service := range []string{"events.amazonaws.com", "cloudwatch.amazonaws.com"} {
		if !strings.Contains(keyPolicy, service) {
			t.Errorf("alerts key policy does not let %s publish: %s", service, keyPolicy)
		}
	}
	if n := len(prof.ByType(tAlarm)); n != 0 {
		t.Errorf("professional has %d alarms", n)
	}
}

// S3 refuses to delete a bucket holding object versions; the artifact bucket
// is emptied on delete wherever mlprov may delete it unasked (test copies,
// non-production), never in a production deploy (delete-product --force sets
// it in state instead).
func TestArtifactBucketEmptiedOnDeleteOnlyOutsideProduction(t *testing.T) {
	for _, c := range []struct {
		env  string
		opts stacks.Options
		want bool
	}{
		{"dev", stacks.Options{}, true},
		{"staging", stacks.Options{}, true},
		{"prod", stacks.Options{}, false},
		{"prod", stacks.Options{TestID: "ab12"}, true},
	} {
		for _, tier := range []config.Tier{config.TierStarter, config.TierEnterprise} {
			// Every product bucket: the artifacts, and (enterprise) the trail's archive.
			for _, bucket := range run(t, baseConfig(tier, c.env), c.opts).ByType("aws:s3/bucketV2:BucketV2") {
				if got, _ := bucket.Inputs["forceDestroy"].(bool); got != c.want {
					t.Errorf("%s %s (test id %q) %s: forceDestroy %v, want %v", tier, c.env, c.opts.TestID, bucket.PhysicalName, got, c.want)
				}
			}
		}
	}
}
