package report

import (
	"fmt"
	"strings"

	"github.com/mlprov/mlprov/internal/awstypes"
	"github.com/mlprov/mlprov/internal/policycheck"
	"github.com/mlprov/mlprov/internal/provtemplate"
	"github.com/mlprov/mlprov/policy-pack/rules"
)

// Type tokens the checklist and the cost model look for in a template.
const (
	typeKMSKey        = awstypes.KMSKey
	typeBucketV2      = awstypes.S3BucketV2
	typeBucket        = awstypes.S3Bucket
	typeRole          = awstypes.IAMRole
	typeCodeBuild     = awstypes.CodeBuildProject
	typePipeline      = awstypes.CodePipeline
	typeEventRule     = awstypes.EventRule
	typeLogGroup      = awstypes.LogGroup
	typeMetricFilter  = awstypes.LogMetricFilter
	typeMetricAlarm   = awstypes.MetricAlarm
	typeDashboard     = awstypes.Dashboard
	typeTopic         = awstypes.SNSTopic
	typeSubscription  = awstypes.SNSTopicSubscription
	typeVPCEndpoint   = awstypes.VPCEndpoint
	typeSSMParameter  = awstypes.SSMParameter
	typeModelPkgGroup = awstypes.NativeSageMakerModelPackageGroup
	typeConnection    = awstypes.CodeConnection
)

// Checklist owners.
const (
	OwnerMLProv = "mlprov"
	OwnerYou    = "you"
)

// Checklist statuses. mlprov's items are derived from the template and the
// policy results; yours say when to act.
const (
	StatusGuaranteed   = "guaranteed"
	StatusViolated     = "violated"
	StatusAdvice       = "guaranteed, with advice"
	StatusAfterApply   = "re-checked after apply"
	StatusWaived       = "waived"
	StatusNotInTier    = "not in this tier"
	StatusBeforeDeploy = "to do before deploy"
	StatusAfterDeploy  = "to do after deploy"
	StatusOngoing      = "ongoing"
	StatusRecommended  = "recommended"
	StatusNotNeeded    = "not needed"
)

// ChecklistItem is one line of the security checklist.
type ChecklistItem struct {
	Title  string   `json:"title"`
	Owner  string   `json:"owner"`
	Status string   `json:"status"`
	Detail string   `json:"detail"`
	Rules  []string `json:"rules,omitempty"`
}

// OK reports whether the item needs no attention.
func (c ChecklistItem) OK() bool {
	return c.Status == StatusGuaranteed || c.Status == StatusNotInTier || c.Status == StatusNotNeeded
}

// guarantee is a control mlprov builds in: present says whether this
// template has it at all; the rules prove it holds.
type guarantee struct {
	title, detail string
	rules         []string
	present       func(doc *provtemplate.Document) bool
}

var guarantees = []guarantee{
	{"Artifact bucket encrypted, versioned, private, TLS-only, ACLs disabled",
		"All four public access block flags on, BucketOwnerEnforced, a bucket policy denying non-TLS requests.",
		[]string{"MLP-S3-001", "MLP-S3-003", "MLP-S3-004", "MLP-S3-005", "MLP-S3-006"}, has(typeBucketV2, typeBucket)},
	{"Customer managed KMS key with rotation encrypts bucket, pipelines, builds, logs and alerts",
		"Key policy names only the account root, the product's roles and the service principals that need it.",
		[]string{"MLP-KMS-001", "MLP-KMS-002", "MLP-KMS-003", "MLP-S3-002", "MLP-CP-001", "MLP-LOG-002", "MLP-SNS-001"}, has(typeKMSKey)},
	{"Least-privilege IAM roles",
		"No wildcard actions, resources scoped to this product, specific service principals in trust policies, iam:PassRole constrained, no admin managed policies.",
		[]string{"MLP-IAM-001", "MLP-IAM-002", "MLP-IAM-003", "MLP-IAM-005", "MLP-IAM-006"}, has(typeRole)},
	{"Permission boundary on every role",
		"A managed boundary policy confines every role the product creates to the product's own resources.",
		[]string{"MLP-IAM-004"}, hasInput(typeRole, "permissionsBoundary")},
	{"Builds unprivileged, logged, without plaintext secrets",
		"CodeBuild privileged mode off, logs on, no secret-looking environment variables.",
		[]string{"MLP-CB-001", "MLP-CB-002", "MLP-CB-003"}, has(typeCodeBuild)},
	{"Builds run inside the product VPC with the product key",
		"CodeBuild uses the customer managed key and the private subnets.",
		[]string{"MLP-CB-004"}, hasInput(typeCodeBuild, "vpcConfig")},
	{"Deploys only approved models, after a manual approval in staging and prod",
		"The deploy pipeline starts only when a model package in this group becomes Approved; V2 pipelines.",
		[]string{"MLP-EVT-001", "MLP-CP-002", "MLP-CP-003"}, has(typePipeline, typeEventRule)},
	{"Private networking through restrictive VPC endpoints",
		"Interface endpoints with private DNS and a security group open on TCP 443 from the VPC only; endpoint policies limited to this account.",
		[]string{"MLP-VPC-001", "MLP-VPC-002", "MLP-SG-001", "MLP-SG-002"}, has(typeVPCEndpoint)},
	{"Compliance alarms for unauthorized API calls and root account usage",
		"Metric filters and alarms with actions to the security-alerts topic.",
		[]string{"MLP-CW-001", "MLP-CW-002"}, has(typeMetricFilter)},
	{"Log retention of at least 90 days",
		"Every log group the product creates has a retention (365 days or more recommended).",
		[]string{"MLP-LOG-001"}, has(typeLogGroup)},
	{"Security alerts topic encrypted and not public",
		"", []string{"MLP-SNS-001", "MLP-SNS-002"}, has(typeTopic)},
	{"Outputs published under /ml/{ml_name}/, no plaintext secrets",
		"", []string{"MLP-SSM-001"}, has(typeSSMParameter)},
	{"Model registry tagged and protected from deletion in prod",
		"", []string{"MLP-SM-001"}, has(typeModelPkgGroup, awstypes.SageMakerModelPackageGroup)},
	{"Standard tags on every resource",
		"mlprov:ml-name, mlprov:tier, mlprov:env and mlprov:managed-by plus the config's tags.",
		[]string{"MLP-TAG-001"}, func(*provtemplate.Document) bool { return true }},
	{"Policy waivers valid and unexpired",
		"Each waiver names a known rule, a reason, an owner and an expiry.",
		[]string{"MLP-WVR-001", "MLP-WVR-002"}, func(d *provtemplate.Document) bool { return len(d.Suppressions) > 0 }},
}

// has is a presence test: the template holds a resource of one of types.
func has(types ...string) func(*provtemplate.Document) bool {
	return func(doc *provtemplate.Document) bool {
		for _, t := range types {
			if len(doc.ByType(t)) > 0 {
				return true
			}
		}
		return false
	}
}

// hasInput: some resource of typ sets input key to a non-empty value.
func hasInput(typ, key string) func(*provtemplate.Document) bool {
	return func(doc *provtemplate.Document) bool {
		for _, r := range doc.ByType(typ) {
			if v, ok := r.Inputs[key]; ok && v != nil && v != "" {
				return true
			}
		}
		return false
	}
}

// checklist derives mlprov's items from the template and the policy
// result, then adds what the user must do.
func checklist(doc *provtemplate.Document, res policycheck.Result) []ChecklistItem {
	var out []ChecklistItem
	for _, g := range guarantees {
		item := ChecklistItem{Title: g.title, Owner: OwnerMLProv, Detail: g.detail, Rules: g.rules, Status: StatusNotInTier}
		if g.present(doc) {
			item.Status = guaranteeStatus(findingsOf(res, g.rules))
		}
		out = append(out, item)
	}
	return append(out, yourItems(doc)...)
}

func findingsOf(res policycheck.Result, ids []string) []rules.Finding {
	var out []rules.Finding
	for _, f := range res.Findings {
		for _, id := range ids {
			if f.RuleID == id {
				out = append(out, f)
			}
		}
	}
	return out
}

// guaranteeStatus maps the worst finding to a checklist status.
func guaranteeStatus(findings []rules.Finding) string {
	switch worstOutcome(findings) {
	case OutcomeViolation:
		return StatusViolated
	case OutcomeAdvisory:
		return StatusAdvice
	case OutcomeUnknown:
		return StatusAfterApply
	case OutcomeWaived:
		return StatusWaived
	}
	return StatusGuaranteed
}

// yourItems are the steps mlprov cannot do for the user.
func yourItems(doc *provtemplate.Document) []ChecklistItem {
	email := ChecklistItem{Title: "Confirm the SNS email subscription", Owner: OwnerYou, Status: StatusNotInTier,
		Detail: "This tier sends no email alerts."}
	for _, s := range doc.ByType(typeSubscription) {
		if s.Inputs["protocol"] == "email" {
			email.Status = StatusAfterDeploy
			email.Detail = fmt.Sprintf("AWS emails %v a confirmation link; alerts are dropped until it is clicked. show-product lists the subscription as pending until then.", s.Inputs["endpoint"])
		}
	}
	trail := ChecklistItem{Title: "Enable CloudTrail", Owner: OwnerYou, Status: StatusRecommended,
		Detail: "mlprov creates no trail. Keep an account or organization trail on so API activity is recorded."}
	if filters := doc.ByType(typeMetricFilter); len(filters) > 0 {
		trail.Status = StatusBeforeDeploy
		trail.Detail = fmt.Sprintf("Deliver a CloudTrail trail to the log group %v: the unauthorized-API-call and root-usage alarms only see what CloudTrail sends there.", filters[0].Inputs["logGroupName"])
	}
	creds := ChecklistItem{Title: "Rotate the deployer's credentials", Owner: OwnerYou, Status: StatusOngoing,
		Detail: "Deploy with short-lived credentials (SSO or an assumed role carrying the deployer policy); rotate any access key at least every 90 days. mlprov never stores or logs credentials."}
	policy := ChecklistItem{Title: "Attach the deployer policy to the identity that deploys", Owner: OwnerYou, Status: StatusBeforeDeploy,
		Detail: "Give the CI role or user exactly the generated deployer policy below, nothing broader."}
	handshake := ChecklistItem{Title: "Complete the CodeConnections handshake", Owner: OwnerYou, Status: StatusNotNeeded,
		Detail: "The source is not an external Git provider."}
	switch {
	case len(doc.ByType(typeConnection)) > 0:
		handshake.Status = StatusAfterDeploy
		handshake.Detail = "The connection is created PENDING. An administrator of the Git provider completes it in the AWS console (Developer Tools → Settings → Connections → Update pending connection); pipelines fail until then."
	case doc.Product.SourceControl == "codeconnections":
		handshake.Detail = "An existing connection (connection_arn) is reused; it must already be AVAILABLE."
	}
	return []ChecklistItem{email, trail, creds, policy, handshake}
}

// Notice levels.
const (
	LevelError   = "error"
	LevelWarning = "warning"
	LevelInfo    = "info"
)

// Notice is one prerequisite or warning.
type Notice struct {
	Level  string `json:"level"`
	Title  string `json:"title"`
	Detail string `json:"detail"`
}

// prerequisites lists what must hold before deploying, most severe first.
func prerequisites(doc *provtemplate.Document, res policycheck.Result, waivers []WaiverRow, deployer DeployerPolicy) []Notice {
	var errs, warns, infos []Notice
	if !res.Passed() {
		errs = append(errs, Notice{LevelError, "Mandatory policy violations",
			fmt.Sprintf("%d mandatory violation(s) block deploy-product; see Policy results for each remediation.", res.Mandatory)})
	}
	for _, w := range waivers {
		if w.State == WaiverExpired {
			errs = append(errs, Notice{LevelError, "Expired waiver " + w.Rule + " on " + w.Resource,
				"Expired " + w.Expires + " (owner " + w.Owner + "): renew it with a new expiry or fix the finding."})
		}
	}
	switch doc.Product.SourceControl {
	case "s3":
		warns = append(warns, Notice{LevelWarning, "S3 source bucket must exist and be versioned",
			"The pipelines read model-build.zip and model-deploy.zip under s3_prefix. CodePipeline needs object versions: an unversioned or missing bucket is a warning at preview and a failed pipeline at run time."})
	case "codeconnections":
		warns = append(warns, Notice{LevelWarning, "CodeConnections handshake",
			"A new connection stays PENDING until someone completes it in the console; the build and deploy pipelines cannot pull source before that."})
	}
	var reads []string
	for _, l := range doc.Lookups {
		if l.Placeholder {
			reads = append(reads, lookupName(l.Token)+" ("+formatArgs(l.Args)+")")
		}
	}
	if len(reads) > 0 {
		infos = append(infos, Notice{LevelInfo, "Values read from AWS at preview time",
			"This offline report shows stand-ins for: " + strings.Join(reads, "; ") + ". A missing VPC, subnet or parameter is an error at preview."})
	}
	var protected []string
	for _, r := range doc.Custom() {
		if r.Protect {
			protected = append(protected, r.LogicalName)
		}
	}
	if len(protected) > 0 {
		infos = append(infos, Notice{LevelInfo, "Protected from deletion",
			strings.Join(protected, ", ") + ": delete-product removes them only with --force."})
	}
	if deployer.Missing != "" {
		warns = append(warns, Notice{LevelWarning, "Deployer policy not generated", deployer.Missing})
	}
	out := append(append(errs, warns...), infos...)
	if out == nil {
		out = []Notice{}
	}
	return out
}
