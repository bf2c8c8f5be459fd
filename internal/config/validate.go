package config

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mlprov/mlprov/internal/environments"
	"github.com/mlprov/mlprov/internal/naming"
	"github.com/mlprov/mlprov/internal/tags"
	"github.com/mlprov/mlprov/internal/tiers"
)

// Validate returns every semantic problem of a config built in code (the
// problems carry paths but no lines). Load and Parse run it too.
func Validate(cfg *Config) []Problem {
	return validate(cfg, func(_ string, nonZero bool) bool { return nonZero })
}

// checker collects problems. isSet tells whether an optional field was given:
// a key written in the file counts even when empty, so an empty alerts_email on
// starter is reported like any other value; for configs built in code a
// field is set when it is not the zero value.
type checker struct {
	out   []Problem
	isSet func(path string, nonZero bool) bool
}

func validate(cfg *Config, isSet func(path string, nonZero bool) bool) []Problem {
	c := &checker{isSet: isSet}
	c.client(cfg.Client)
	c.environment(cfg.Environment)
	c.product(cfg)
	c.tags(cfg.Tags)
	c.names(cfg)
	return c.out
}

func (c *checker) add(path, msg, fix string) {
	c.out = append(c.out, Problem{Path: path, Message: msg, Fix: fix})
}

// ok reports whether no problem has been recorded on any of paths.
func (c *checker) ok(paths ...string) bool {
	for _, p := range c.out {
		if slices.Contains(paths, p.Path) {
			return false
		}
	}
	return true
}

// required records a problem when value is empty and reports whether it is set.
func (c *checker) required(path, value, fix string) bool {
	return c.requiredWhen(path, value, "", fix)
}

// requiredWhen is required with the condition that makes the field required
// ("when source_control is s3").
func (c *checker) requiredWhen(path, value, when, fix string) bool {
	if value != "" {
		return true
	}
	msg := "required"
	if when != "" {
		msg += " " + when
	}
	c.add(path, msg, fix)
	return false
}

// oneOf checks an enum value and reports whether it is valid.
func (c *checker) oneOf(path, value string, allowed []string) bool {
	if !c.required(path, value, "use one of "+strings.Join(allowed, ", ")) {
		return false
	}
	if slices.Contains(allowed, value) {
		return true
	}
	fix := "use one of " + strings.Join(allowed, ", ")
	if best := closest(value, allowed); best != "" {
		fix = fmt.Sprintf("did you mean %q?", best)
	}
	c.add(path, fmt.Sprintf("%q is not one of %s", value, strings.Join(allowed, ", ")), fix)
	return false
}

func (c *checker) client(cl Client) {
	c.required("client.company_name", cl.CompanyName, "a display name, e.g. Global Bank")
	if c.required("client.company_prefix", cl.CompanyPrefix, "a short lowercase name, e.g. globalbank") {
		switch n := len(cl.CompanyPrefix); {
		case !companyPrefixPattern.MatchString(cl.CompanyPrefix):
			c.add("client.company_prefix", fmt.Sprintf("%q must be lowercase letters and digits, starting with a letter", cl.CompanyPrefix), "e.g. globalbank")
		case n < 2 || n > 16:
			c.add("client.company_prefix", fmt.Sprintf("%q is %d characters; it must be 2 to 16", cl.CompanyPrefix, n), "")
		}
	}
	if c.required("client.account_id", cl.AccountID, `the 12-digit AWS account id, quoted: "123456789012"`) && !accountIDPattern.MatchString(cl.AccountID) {
		c.add("client.account_id", fmt.Sprintf("%q is not an AWS account id: exactly 12 digits", cl.AccountID), `keep leading zeros and quote it: "012345678901"`)
	}
	if c.required("client.tenant_id", cl.TenantID, "4 lowercase letters or digits, e.g. c001") && !tenantIDPattern.MatchString(cl.TenantID) {
		c.add("client.tenant_id", fmt.Sprintf("%q must be exactly 4 lowercase letters or digits", cl.TenantID), "e.g. c001")
	}
}

func (c *checker) environment(e Environment) {
	c.oneOf("environment.env", e.Env, Envs)
	if c.required("environment.region", e.Region, "an AWS region code, e.g. us-west-2") && !slices.Contains(Regions, e.Region) {
		fix := "use an AWS region code such as us-east-1 or eu-west-1"
		if best := closest(e.Region, Regions); best != "" {
			fix = fmt.Sprintf("did you mean %q?", best)
		}
		c.add("environment.region", fmt.Sprintf("%q is not an AWS region code", e.Region), fix)
	}
	c.ciDeployerRole(e)
}

// ciDeployerRolePattern is an IAM role ARN (any path) in the commercial,
// China or GovCloud partition.
var ciDeployerRolePattern = regexp.MustCompile(`^arn:aws(-cn|-us-gov)?:iam::([0-9]{12}):role/([\w+=,.@-]+/)*[\w+=,.@-]{1,64}$`)

// ciDeployerRole checks the production CI exemption from MFA.
func (c *checker) ciDeployerRole(e Environment) {
	const path = "environment.ci_deployer_role_arn"
	switch {
	case e.CIDeployerRoleARN == "":
	case e.Env != "prod":
		c.add(path, fmt.Sprintf("is only used in prod (env is %q): only production requires MFA", e.Env), "remove ci_deployer_role_arn")
	case !ciDeployerRolePattern.MatchString(e.CIDeployerRoleARN):
		c.add(path, fmt.Sprintf("%q is not an IAM role ARN", e.CIDeployerRoleARN), "use the ARN of the CI pipeline's role, e.g. arn:aws:iam::123456789012:role/ml-deployer-ci")
	}
}

// token checks a kebab-case naming token.
func (c *checker) token(path, value string) {
	if !tokenPattern.MatchString(value) {
		c.add(path, fmt.Sprintf("%q must be kebab-case: lowercase letters and digits in words joined by single hyphens, starting with a letter", value), "e.g. churn or demand-forecasting")
	}
}

func (c *checker) product(cfg *Config) {
	p := cfg.MLProduct
	tierOK := c.oneOf("ml_product.tier", string(p.Tier), tierNames())
	if c.required("ml_product.use_case", p.UseCase, "a kebab-case name, e.g. churn") {
		c.token("ml_product.use_case", p.UseCase)
	}
	if c.isSet("ml_product.workload", p.Workload != "") {
		c.token("ml_product.workload", p.Workload)
	}
	sourceOK := c.oneOf("ml_product.source_control", string(p.SourceControl),
		[]string{string(SourceCodeCommit), string(SourceS3), string(SourceCodeConnections)})
	if sourceOK {
		c.source(p)
	}
	if tierOK {
		c.tierFields(cfg)
	}
	if p.Network != nil {
		c.network(p.Network, cfg.EnvProperties())
	}
	for i, s := range p.Suppressions {
		c.suppression(fmt.Sprintf("ml_product.suppressions[%d]", i), s)
	}
	c.approval(cfg)
}

// ManualApprovalRule is the policy rule that requires a manual approval
// before deploy where the environment asks for one.
const ManualApprovalRule = "MLP-CP-003"

// approval rejects turning the manual approval off where the environment
// requires it: the policy gate would reject the pipeline for the same reason.
// A waiver of the rule is left to the gate (it judges resource and expiry).
func (c *checker) approval(cfg *Config) {
	a := cfg.MLProduct.Approval
	if a == nil || a.ManualBeforeDeploy == nil || *a.ManualBeforeDeploy || !cfg.EnvProperties().ManualApproval {
		return
	}
	for _, s := range cfg.MLProduct.Suppressions {
		if s.Rule == ManualApprovalRule {
			return
		}
	}
	required := strings.Join(environments.With(func(p environments.Properties) bool { return p.ManualApproval }), " and ")
	c.add("ml_product.approval.manual_before_deploy",
		fmt.Sprintf("false is not allowed in %s: policy %s requires a manual approval before deploy in %s", cfg.Environment.Env, ManualApprovalRule, required),
		"remove it (the default in "+required+" is true), or waive "+ManualApprovalRule+" in suppressions with a reason and an expiry")
}

// tierList names the tiers with a capability: "professional and enterprise".
func tierList(has func(tiers.Capabilities) bool) string {
	return strings.Join(tiers.With(has), " and ")
}

func tierNames() []string {
	out := make([]string, len(Tiers))
	for i, t := range Tiers {
		out[i] = string(t)
	}
	return out
}

// source checks the fields that belong to one source_control.
func (c *checker) source(p MLProduct) {
	const s3Path, repoPath = "ml_product.s3_prefix", "ml_product.repository"
	switch {
	case p.SourceControl == SourceS3:
		if c.requiredWhen(s3Path, p.S3Prefix, "when source_control is s3", "bucket[/prefix] of the versioned bucket holding model-build.zip and model-deploy.zip") {
			c.s3Prefix(s3Path, p.S3Prefix)
		}
	case c.isSet(s3Path, p.S3Prefix != ""):
		c.add(s3Path, "only used when source_control is s3", "remove it or set source_control: s3")
	}
	if p.SourceControl == SourceCodeConnections {
		if p.Repository == nil {
			c.add(repoPath, "required when source_control is codeconnections", "add provider, build, deploy and branch")
		} else {
			c.repository(repoPath, *p.Repository)
		}
	} else if c.isSet(repoPath, p.Repository != nil) {
		c.add(repoPath, "only used when source_control is codeconnections", "remove it or set source_control: codeconnections")
	}
}

func (c *checker) s3Prefix(path, value string) {
	bucket, prefix, hasPrefix := strings.Cut(value, "/")
	if problem := naming.BucketNameProblem(bucket); problem != "" {
		c.add(path, fmt.Sprintf("bucket %q is not a valid bucket name: %s", bucket, problem), "write bucket[/prefix], e.g. acme-ml-source/churn")
		return
	}
	if hasPrefix && !s3KeyPrefixPattern.MatchString(prefix) {
		c.add(path, fmt.Sprintf("prefix %q must be non-empty path segments of letters, digits and !_.*'()- separated by single slashes", prefix),
			"no leading, trailing or double slashes, e.g. acme-ml-source/churn")
	}
}

func (c *checker) repository(path string, r Repository) {
	c.oneOf(path+".provider", r.Provider, RepositoryProviders)
	for _, f := range []struct{ key, value string }{{"build", r.Build}, {"deploy", r.Deploy}} {
		p := path + "." + f.key
		if c.required(p, f.value, "owner/name, e.g. acme/churn-model-"+f.key) && !repoNamePattern.MatchString(f.value) {
			c.add(p, fmt.Sprintf("%q must be owner/name", f.value), "e.g. acme/churn-model-"+f.key)
		}
	}
	if c.required(path+".branch", r.Branch, "e.g. main") && !branchPattern.MatchString(r.Branch) {
		c.add(path+".branch", fmt.Sprintf("%q is not a valid branch name", r.Branch), "e.g. main")
	}
	if r.Provider == ProviderGitHubEnterpriseServer && r.ConnectionARN == "" {
		// CreateConnection for GitHubEnterpriseServer needs a HostArn (the
		// host registers the server's URL and VPC), which mlprov does not create.
		// https://docs.aws.amazon.com/dtconsole/latest/userguide/connections-create-gheserver.html
		c.add(path+".connection_arn", "required when provider is GitHubEnterpriseServer: its connection needs a host, which mlprov does not create",
			"create the host and connection in the console (Developer Tools > Connections), then set connection_arn to the connection's ARN")
	}
	if r.ConnectionARN != "" && !connectionARNPattern.MatchString(r.ConnectionARN) {
		c.add(path+".connection_arn", fmt.Sprintf("%q is not a CodeConnections connection ARN", r.ConnectionARN),
			"arn:aws:codeconnections:{region}:{account}:connection/{uuid}, or leave it empty to create a connection")
	}
}

// tierFields checks the fields only some tiers use.
func (c *checker) tierFields(cfg *Config) {
	p := cfg.MLProduct
	const emailPath, retentionPath, networkPath = "ml_product.alerts_email", "ml_product.log_retention_days", "ml_product.network"
	caps, _ := tiers.Of(string(p.Tier))
	alerts := func(c tiers.Capabilities) bool { return c.Alerts }
	retention := func(c tiers.Capabilities) bool { return c.ConfiguredRetention }
	network := func(c tiers.Capabilities) bool { return c.PrivateNetwork }
	switch {
	case caps.Alerts && p.AlertsEmail == "":
		c.add(emailPath, "required for the "+tierList(alerts)+" tiers", "the address that receives security and pipeline alerts")
	case caps.Alerts:
		c.email(emailPath, p.AlertsEmail)
	case c.isSet(emailPath, p.AlertsEmail != ""):
		c.add(emailPath, "alerts_email is only used by "+tierList(alerts)+"; remove it or set tier", "")
	}
	switch {
	case caps.ConfiguredRetention && c.isSet(retentionPath, p.LogRetentionDays != 0):
		c.retention(retentionPath, p.LogRetentionDays)
	case !caps.ConfiguredRetention && c.isSet(retentionPath, p.LogRetentionDays != 0):
		c.add(retentionPath, "log_retention_days is only used by "+tierList(retention)+"; remove it or set tier", "")
	}
	switch {
	case caps.PrivateNetwork && p.Network == nil:
		c.add(networkPath, "required for the "+tierList(network)+" tier", "add mode and vpc_source (see configs/ for examples)")
	case !caps.PrivateNetwork && c.isSet(networkPath, p.Network != nil):
		c.add(networkPath, "network is only used by "+tierList(network)+"; remove it or set tier: "+tiers.With(network)[0], "")
	}
}

func (c *checker) email(path, value string) {
	if !emailPattern.MatchString(value) {
		c.add(path, fmt.Sprintf("%q is not an email address", value), "e.g. ml-alerts@example.com")
	}
}

func (c *checker) retention(path string, days int) {
	if !slices.Contains(CloudWatchRetentionDays, days) {
		c.add(path, fmt.Sprintf("%d is not a retention CloudWatch Logs accepts", days), "use one of "+retentionChoices())
		return
	}
	if days < MinLogRetentionDays {
		c.add(path, fmt.Sprintf("%d days is below the %d-day minimum of policy MLP-LOG-001", days, MinLogRetentionDays), "use one of "+retentionChoices())
	}
}

// retentionChoices lists the CloudWatch values the policy floor allows.
func retentionChoices() string {
	var s []string
	for _, d := range CloudWatchRetentionDays {
		if d >= MinLogRetentionDays {
			s = append(s, strconv.Itoa(d))
		}
	}
	return strings.Join(s, ", ")
}

func (c *checker) network(n *Network, env environments.Properties) {
	const path = "ml_product.network"
	modeOK := c.oneOf(path+".mode", string(n.Mode), []string{string(NetworkStandalone), string(NetworkSGProv)})
	sourceOK := c.oneOf(path+".vpc_source", string(n.VPCSource), []string{string(VPCFromSSM), string(VPCFromDirect)})
	if sourceOK {
		c.vpc(path, n, env)
	}
	c.ids(path+".route_table_ids", n.RouteTableIDs, routeTableIDPattern, "route table id", "rtb-0a1b2c3d4e5f6a7b8")
	if modeOK && n.SecurityGroupParameter != "" {
		switch {
		case n.Mode != NetworkSGProv:
			c.add(path+".security_group_parameter", "only used when mode is sgprov", "remove it or set mode: sgprov")
		case !ssmParameterPattern.MatchString(n.SecurityGroupParameter):
			c.add(path+".security_group_parameter", fmt.Sprintf("%q must be an SSM parameter name starting with /", n.SecurityGroupParameter),
				"e.g. /sg/acme-prod-c001-us-west-2-sg/app/SecurityGroupId, or leave it empty for the default")
		}
	}
	seen := map[string]bool{}
	for i, e := range n.ExtraEndpoints {
		p := fmt.Sprintf("%s.extra_endpoints[%d]", path, i)
		switch {
		case slices.Contains(BuiltinEndpoints, e):
			c.add(p, fmt.Sprintf("%q is always created", e), "remove it; the built-in endpoints are "+strings.Join(BuiltinEndpoints, ", "))
		case !slices.Contains(ExtraEndpoints, e):
			fix := "use one of " + strings.Join(ExtraEndpoints, ", ")
			if best := closest(e, ExtraEndpoints); best != "" {
				fix = fmt.Sprintf("did you mean %q?", best)
			}
			c.add(p, fmt.Sprintf("%q is not a known VPC endpoint service", e), fix)
		case seen[e]:
			c.add(p, fmt.Sprintf("%q is listed twice", e), "remove the repeat")
		}
		seen[e] = true
	}
}

// vpc checks the fields that belong to one vpc_source.
func (c *checker) vpc(path string, n *Network, env environments.Properties) {
	idPath, subnetsPath := path+".vpc_id", path+".subnet_ids"
	if n.VPCSource == VPCFromSSM {
		if c.isSet(idPath, n.VPCID != "") {
			c.add(idPath, "not allowed when vpc_source is ssm (the VPC is read from /vpc/{vpc_name}/VPCId)", "remove it, or set vpc_source: direct")
		}
		if c.isSet(subnetsPath, len(n.SubnetIDs) > 0) {
			c.add(subnetsPath, "not allowed when vpc_source is ssm (the subnets are read from /vpc/{vpc_name}/PrivateSubnetIds)", "remove it, or set vpc_source: direct")
		}
		if n.VPCName != "" && !vpcNamePattern.MatchString(n.VPCName) {
			c.add(path+".vpc_name", fmt.Sprintf("%q must be letters, digits, _ . or - (it is part of an SSM parameter path)", n.VPCName), "or leave it empty for the default")
		}
		return
	}
	if n.VPCName != "" {
		c.add(path+".vpc_name", "only used when vpc_source is ssm", "remove it, or set vpc_source: ssm")
	}
	if c.requiredWhen(idPath, n.VPCID, "when vpc_source is direct", "e.g. vpc-0a1b2c3d4e5f6a7b8") && !vpcIDPattern.MatchString(n.VPCID) {
		c.add(idPath, fmt.Sprintf("%q is not a VPC id", n.VPCID), "e.g. vpc-0a1b2c3d4e5f6a7b8")
	}
	switch {
	case len(n.SubnetIDs) == 0:
		c.add(subnetsPath, "required when vpc_source is direct", "list the private subnet ids")
	case len(n.SubnetIDs) < env.MinSubnets:
		c.add(subnetsPath, fmt.Sprintf("%s needs at least %d subnets (in different availability zones); %d given",
			strings.Join(environments.With(func(p environments.Properties) bool { return p.MinSubnets == env.MinSubnets }), " and "), env.MinSubnets, len(n.SubnetIDs)), "add another private subnet")
	}
	c.ids(subnetsPath, n.SubnetIDs, subnetIDPattern, "subnet id", "subnet-0a1b2c3d4e5f6a7b8")
}

// ids checks a list of AWS resource ids: pattern and no repeats.
func (c *checker) ids(path string, ids []string, pattern *regexp.Regexp, kind, example string) {
	for i, id := range ids {
		p := fmt.Sprintf("%s[%d]", path, i)
		switch {
		case !pattern.MatchString(id):
			c.add(p, fmt.Sprintf("%q is not a %s", id, kind), "e.g. "+example)
		case slices.Index(ids, id) < i:
			c.add(p, fmt.Sprintf("%q is listed twice", id), "remove the repeat")
		}
	}
}

func (c *checker) suppression(path string, s Suppression) {
	if c.required(path+".rule", s.Rule, "a policy rule id, e.g. MLP-S3-004") && !ruleIDPattern.MatchString(s.Rule) {
		c.add(path+".rule", fmt.Sprintf("%q is not a policy rule id (MLP-AREA-NNN)", s.Rule), "e.g. MLP-S3-004")
	}
	c.required(path+".resource", strings.TrimSpace(s.Resource), "the logical name of the resource, e.g. artifacts")
	c.required(path+".reason", strings.TrimSpace(s.Reason), "say why the rule is waived")
	if c.required(path+".owner", s.Owner, "the email of whoever owns the waiver") {
		c.email(path+".owner", s.Owner)
	}
	if c.required(path+".expires", s.Expires, "a date, YYYY-MM-DD") {
		if _, err := time.Parse(time.DateOnly, s.Expires); err != nil || !datePattern.MatchString(s.Expires) {
			c.add(path+".expires", fmt.Sprintf("%q is not a date in YYYY-MM-DD form", s.Expires), "e.g. 2027-03-31")
		}
	}
}

// reservedTags is how many tags mlprov adds to every resource (the standard
// tags, plus the test id on a test deployment), out of AWS's 50.
func reservedTags() int {
	return len(tags.For(tags.Product{TestID: naming.LongestTestID}, nil))
}

// MaxConfigTags is how many tags a config may set.
func MaxConfigTags() int { return MaxTags - reservedTags() }

func (c *checker) tags(t map[string]string) {
	if max := MaxConfigTags(); len(t) > max {
		c.add("tags", fmt.Sprintf("%d tags given; at most %d fit, because AWS allows %d per resource and mlprov adds %d of its own",
			len(t), max, MaxTags, reservedTags()), "remove some tags")
	}
	keys := make([]string, 0, len(t))
	for k := range t {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		p := mapKeyPath("tags", k)
		v := t[k]
		switch {
		case k == "":
			c.add(p, "tag keys must not be empty", "")
		case tags.IsReserved(k):
			c.add(p, fmt.Sprintf("tag key %q uses a reserved prefix (aws: or mlprov:)", k), "rename the key")
		case utf8.RuneCountInString(k) > MaxTagKeyLength:
			c.add(p, fmt.Sprintf("tag key is %d characters, over AWS's limit of %d", utf8.RuneCountInString(k), MaxTagKeyLength), "shorten the key")
		case !tagPattern.MatchString(k):
			c.add(p, fmt.Sprintf("tag key %q has characters AWS does not allow", k), "use letters, digits, spaces and _ . : / = + - @")
		}
		switch {
		case utf8.RuneCountInString(v) > MaxTagValueLength:
			c.add(p, fmt.Sprintf("tag value is %d characters, over AWS's limit of %d", utf8.RuneCountInString(v), MaxTagValueLength), "shorten the value")
		case !tagPattern.MatchString(v):
			c.add(p, fmt.Sprintf("tag value %q has characters AWS does not allow", v), "use letters, digits, spaces and _ . : / = + - @")
		}
	}
}

// names checks the contract names (PRODUCT.md §2) against their limits and
// every name against AWS's naming rules. Other names are shortened to fit,
// and a test deployment's names are never longer than the product's, so the
// product's names are the ones to check. It runs only when the fields names
// are built from are valid themselves.
func (c *checker) names(cfg *Config) {
	if cfg.Client.CompanyPrefix == "" || cfg.Client.TenantID == "" || cfg.Environment.Env == "" ||
		cfg.Environment.Region == "" || cfg.MLProduct.UseCase == "" ||
		!c.ok("client.company_prefix", "client.tenant_id", "environment.env", "environment.region", "ml_product.use_case", "ml_product.workload") {
		return
	}
	for _, p := range naming.For(cfg).Check() {
		c.add("ml_product.use_case", nameMessage(p), "shorten "+p.Fields)
	}
}

func nameMessage(p naming.Problem) string {
	if p.Reason != "" {
		return fmt.Sprintf("%s name %q: %s", p.What, p.Name, p.Reason)
	}
	return fmt.Sprintf("%s name %q is %d characters, over the limit of %d", p.What, p.Name, p.Length, p.Max)
}
