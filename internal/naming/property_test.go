package naming_test

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/mlprov/mlprov/internal/config"
	"github.com/mlprov/mlprov/internal/naming"
)

// awsName is one physical name with its limit and pattern as AWS states
// them, written here independently of naming's own table: the aws-sdk-go
// v1.55.8 API models (models/apis/<service>/*/api-2.json, shape named) and
// the AWS docs pages cited.
type awsName struct {
	namespace string // names in one namespace must be unique in an account (and region)
	get       func(naming.Names) string
	max       int
	pattern   *regexp.Regexp
}

var (
	iamName         = regexp.MustCompile(`^[\w+=,.@-]+$`)                      // iam roleNameType / policyNameType
	entityName      = regexp.MustCompile(`^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$`) // sagemaker EntityName
	repositoryName  = regexp.MustCompile(`^[\w.-]+$`)                          // codecommit RepositoryName
	projectName     = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9\-_]{1,149}$`) // codebuild ProjectName
	pipelineName    = regexp.MustCompile(`^[A-Za-z0-9.@\-_]+$`)                // codepipeline PipelineName
	ruleName        = regexp.MustCompile(`^[.\-_A-Za-z0-9]+$`)                 // events RuleName
	logGroupName    = regexp.MustCompile(`^[.\-_/#A-Za-z0-9]+$`)               // logs LogGroupName
	aliasName       = regexp.MustCompile(`^alias/[a-zA-Z0-9:/_-]+$`)           // kms AliasNameType
	bucketName      = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$`)  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
	topicName       = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)             // https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html
	anyPrintable    = regexp.MustCompile(`^[\x21-\x7e]+$`)                     // monitoring AlarmName/DashboardName, ec2 GroupName
	stackNameTokens = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)                  // pulumi sdk tokens/stack_name.go
	ssmPath         = regexp.MustCompile(`^/ml/[a-zA-Z0-9_.-]+/[A-Za-z0-9]+$`) // ssm PSParameterName, hierarchy with /
)

var awsNames = map[string]awsName{
	"model package group": {"sagemaker-mpg", func(n naming.Names) string { return n.ModelPackageGroup }, 63, entityName},
	"build repository":    {"codecommit", func(n naming.Names) string { return n.BuildRepository }, 100, repositoryName},
	"deploy repository":   {"codecommit", func(n naming.Names) string { return n.DeployRepository }, 100, repositoryName},
	"build project":       {"codebuild", func(n naming.Names) string { return n.BuildProject }, 150, projectName},
	"deploy project":      {"codebuild", func(n naming.Names) string { return n.DeployProject }, 150, projectName},
	"build pipeline":      {"codepipeline", func(n naming.Names) string { return n.BuildPipeline }, 100, pipelineName},
	"deploy pipeline":     {"codepipeline", func(n naming.Names) string { return n.DeployPipeline }, 100, pipelineName},
	"codebuild role":      {"iam-role", func(n naming.Names) string { return n.CodeBuildRole }, 64, iamName},
	"codepipeline role":   {"iam-role", func(n naming.Names) string { return n.CodePipelineRole }, 64, iamName},
	"sagemaker role":      {"iam-role", func(n naming.Names) string { return n.SageMakerExecutionRole }, 64, iamName},
	"events role":         {"iam-role", func(n naming.Names) string { return n.EventsRole }, 64, iamName},
	"boundary policy":     {"iam-policy", func(n naming.Names) string { return n.PermissionBoundary }, 128, iamName},
	"artifact bucket":     {"s3", func(n naming.Names) string { return n.ArtifactBucket }, 63, bucketName},
	"dashboard":           {"dashboard", func(n naming.Names) string { return n.Dashboard }, 255, anyPrintable},
	"alerts topic":        {"sns", func(n naming.Names) string { return n.AlertsTopic }, 256, topicName},
	"compliance logs":     {"logs", func(n naming.Names) string { return n.ComplianceLogGroup }, 512, logGroupName},
	"build logs":          {"logs", func(n naming.Names) string { return n.BuildLogGroup }, 512, logGroupName},
	"deploy logs":         {"logs", func(n naming.Names) string { return n.DeployLogGroup }, 512, logGroupName},
	"unauthorized alarm":  {"alarm", func(n naming.Names) string { return n.UnauthorizedCallsAlarm }, 255, anyPrintable},
	"root alarm":          {"alarm", func(n naming.Names) string { return n.RootUsageAlarm }, 255, anyPrintable},
	"kms alias":           {"kms-alias", func(n naming.Names) string { return n.KMSAlias }, 256, aliasName},
	"alerts kms alias":    {"kms-alias", func(n naming.Names) string { return n.AlertsKMSAlias }, 256, aliasName},
	"approved rule":       {"events", func(n naming.Names) string { return n.ApprovedModelRule }, 64, ruleName},
	"failure rule":        {"events", func(n naming.Names) string { return n.PipelineFailureRule }, 64, ruleName},
	"source rule":         {"events", func(n naming.Names) string { return n.SourceChangedRule }, 64, ruleName},
	"endpoint sg":         {"ec2-sg", func(n naming.Names) string { return n.EndpointSecurityGroup }, 255, anyPrintable},
	"connection":          {"codeconnections", func(n naming.Names) string { return n.Connection }, 32, anyPrintable},
	"ssm parameter":       {"ssm", func(n naming.Names) string { return n.SSMPath(naming.OutVpcEndpointIDSagemakerRuntime) }, 1011, ssmPath},
	"stack":               {"stack", func(n naming.Names) string { return n.StackName }, 100, stackNameTokens},
}

// generated is one random config and the fields it was made from.
type generated struct {
	prefix, env, tenant, region, useCase, workload string
	yaml                                           string
}

// mlName is PRODUCT.md §2's ml_name, built here from the raw fields.
func (g generated) mlName() string {
	product := g.useCase
	if g.workload != "" {
		product += "-" + g.workload
	}
	return strings.Join([]string{g.prefix, g.env, g.tenant, g.region, product}, "-") + "-ml"
}

const alnum = "abcdefghijklmnopqrstuvwxyz0123456789"

func word(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alnum[r.IntN(len(alnum))]
	}
	b[0] = alnum[r.IntN(26)] // a token starts with a letter
	return string(b)
}

// kebab is a kebab-case token of exactly n characters (n >= 1).
func kebab(r *rand.Rand, n int) string {
	var parts []string
	for n > 0 {
		w := min(n, 1+r.IntN(12))
		if n-w == 1 { // never leave a lone "-"
			w = n
		}
		parts = append(parts, word(r, w))
		n -= w + 1
	}
	return strings.Join(parts, "-")
}

// family makes products that share everything but the end of their use case
// or workload, so their full names differ only past the point where the
// shortened form cuts them: the hash alone must keep them apart.
func family(r *rand.Rand, size int) []generated {
	envs := []string{"dev", "test", "staging", "prod"}
	g := generated{
		prefix: word(r, 2+r.IntN(15)),
		env:    envs[r.IntN(len(envs))],
		tenant: word(r, 4),
		region: config.Regions[r.IntN(len(config.Regions))],
	}
	fixed := len(g.prefix) + len(g.env) + len(g.tenant) + len(g.region) + len("----") + len("-ml")
	room := 90 - fixed // the longest ml_name whose test stack name fits Pulumi's 100
	stem := kebab(r, 1+r.IntN(max(1, room-8)))
	var out []generated
	for i := 0; i < size; i++ {
		m := g
		m.useCase = stem + "-" + word(r, 1+r.IntN(3)) + fmt.Sprint(i)
		if r.IntN(3) == 0 {
			m.workload = word(r, 1+r.IntN(8))
		}
		if over := len(m.mlName()) - 90; over > 0 {
			m.useCase = stem[:len(stem)-over] // still valid: trim the shared stem
			m.useCase = strings.TrimRight(m.useCase, "-") + fmt.Sprint(i)
			if len(m.mlName()) > 90 {
				continue
			}
		}
		m.yaml = configYAML(r, m)
		out = append(out, m)
	}
	return out
}

func configYAML(r *rand.Rand, g generated) string {
	tiers := []string{"starter", "professional", "enterprise"}
	sources := []string{"codecommit", "s3", "codeconnections"}
	tier, source := tiers[r.IntN(3)], sources[r.IntN(3)]
	var b strings.Builder
	fmt.Fprintf(&b, "client:\n  company_name: Generated\n  company_prefix: %s\n  account_id: \"123456789012\"\n  tenant_id: %s\n", g.prefix, g.tenant)
	fmt.Fprintf(&b, "environment:\n  env: %s\n  region: %s\n", g.env, g.region)
	fmt.Fprintf(&b, "ml_product:\n  tier: %s\n  use_case: %s\n  source_control: %s\n", tier, g.useCase, source)
	if g.workload != "" {
		fmt.Fprintf(&b, "  workload: %s\n", g.workload)
	}
	switch source {
	case "s3":
		b.WriteString("  s3_prefix: source-bucket/models\n")
	case "codeconnections":
		b.WriteString("  repository:\n    provider: GitHub\n    build: acme/build\n    deploy: acme/deploy\n    branch: main\n")
	}
	if tier != "starter" {
		b.WriteString("  alerts_email: ml@example.com\n")
	}
	if tier == "enterprise" {
		modes, sourcesVPC := []string{"standalone", "sgprov"}, []string{"ssm", "direct"}
		fmt.Fprintf(&b, "  network:\n    mode: %s\n    vpc_source: %s\n", modes[r.IntN(2)], sourcesVPC[r.IntN(2)])
		if strings.HasSuffix(b.String(), "direct\n") {
			b.WriteString("    vpc_id: vpc-0a1b2c3d4e5f6a7b8\n    subnet_ids: [subnet-0a1b2c3d4e5f6a7b8, subnet-1a2b3c4d]\n")
		}
		if r.IntN(2) == 0 {
			b.WriteString("    route_table_ids: [rtb-0a1b2c3d4e5f6a7b8]\n")
		}
	}
	return b.String()
}

// Property: over 1,000 generated products (prefixes, tenants, regions, use
// cases and workloads up to the longest a valid config allows) and two test
// copies of each, every physical name is within its AWS limit and pattern,
// unique in its namespace, contract names are exactly PRODUCT.md §2's, a test
// copy's names are never longer than the product's, and naming is
// deterministic.
func TestNamesFitAndAreUniqueOverGeneratedConfigs(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 2026))
	var products []generated
	seenIAM := map[string]bool{}
	for len(products) < 1000 {
		for _, g := range family(r, 1+r.IntN(6)) {
			// IAM names drop the region (PRODUCT.md §2), so two products
			// that differ only in region share them: not two products of
			// one account, and not generated here.
			key := strings.Join([]string{g.prefix, g.env, g.tenant, g.useCase, g.workload}, "/")
			if !seenIAM[key] && len(products) < 1000 {
				seenIAM[key] = true
				products = append(products, g)
			}
		}
	}
	owner := map[string]string{} // namespace/name -> who uses it
	claim := func(who string, n naming.Names) {
		for label, a := range awsNames {
			name := a.get(n)
			if len(name) > a.max {
				t.Errorf("%s %s %q is %d characters, AWS limit %d", who, label, name, len(name), a.max)
			}
			if !a.pattern.MatchString(name) {
				t.Errorf("%s %s %q does not match AWS's pattern %s", who, label, name, a.pattern)
			}
			key := a.namespace + "/" + name
			if prev, dup := owner[key]; dup {
				t.Errorf("%s %s %q is also used by %s", who, label, name, prev)
			}
			owner[key] = who + " " + label
		}
	}
	longest, shortened := 0, 0
	for i, g := range products {
		cfg, err := config.Parse(fmt.Sprintf("generated-%d.yaml", i), []byte(g.yaml))
		if err != nil {
			t.Fatalf("generated config %d does not validate:\n%s\n%v", i, g.yaml, err)
		}
		n := naming.For(cfg)
		if again := naming.For(cfg); !reflect.DeepEqual(n, again) {
			t.Fatalf("naming is not deterministic for %s", g.mlName())
		}
		ml := g.mlName()
		longest = max(longest, len(ml))
		shortened += len(n.Shortened)
		want := map[string]string{
			"ml_name": ml, "topic": ml + "-security-alerts", "log group": ml + "-compliance-logs",
			"alarm 1": ml + "-unauthorized-api-calls", "alarm 2": ml + "-root-account-usage",
			"alias": "alias/" + ml, "ssm": "/ml/" + ml + "/KmsKeyArn", "stack": ml,
		}
		got := map[string]string{
			"ml_name": n.MLName, "topic": n.AlertsTopic, "log group": n.ComplianceLogGroup,
			"alarm 1": n.UnauthorizedCallsAlarm, "alarm 2": n.RootUsageAlarm,
			"alias": n.KMSAlias, "ssm": n.SSMPath(naming.OutKmsKeyArn), "stack": n.StackName,
		}
		for k := range want {
			if got[k] != want[k] {
				t.Errorf("contract name %s = %q, want exactly %q", k, got[k], want[k])
			}
		}
		claim(ml, n)
		ids := []string{fmt.Sprintf("%04x", r.IntN(1<<16)), ""}
		for ids[1] == "" || ids[1] == ids[0] {
			ids[1] = fmt.Sprintf("%04x", r.IntN(1<<16))
		}
		for _, id := range ids {
			tn := naming.ForTest(cfg, id)
			if !reflect.DeepEqual(tn, naming.ForTest(cfg, id)) {
				t.Fatalf("test naming is not deterministic for %s", ml)
			}
			if tn.StackName != ml+"-test-"+id {
				t.Errorf("test stack = %q, want %q", tn.StackName, ml+"-test-"+id)
			}
			for label, a := range awsNames {
				if label != "stack" && len(a.get(tn)) > len(a.get(n)) {
					t.Errorf("test %s %s %q is longer than the product's %q", id, label, a.get(tn), a.get(n))
				}
			}
			claim(ml+" test "+id, tn)
		}
	}
	if longest != 90 {
		t.Errorf("longest generated ml_name has %d characters; the generator must reach the valid maximum 90", longest)
	}
	if shortened < 1000 {
		t.Errorf("only %d shortened names over 1,000 products: the generator does not exercise shortening", shortened)
	}
	t.Logf("%d products, longest ml_name %d, %d shortened product names, %d distinct names", len(products), longest, shortened, len(owner))
}
