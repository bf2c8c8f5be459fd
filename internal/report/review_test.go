package report

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mlprov/mlprov/internal/policycheck"
)

func fxReview() Review {
	doc := fixture()
	return BuildReview(ReviewInput{Doc: doc, Policy: policycheck.Check(doc, now), Deployer: fxDeployer(), Now: now, Version: "test"})
}

func TestReviewGolden(t *testing.T) {
	r := fxReview()
	html, err := HTML(KindReview, r)
	if err != nil {
		t.Fatal(err)
	}
	js, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "review.golden.html", html)
	golden(t, "review.golden.json", append(js, '\n'))
}

func TestReviewGroupsResourcesByNearestComponent(t *testing.T) {
	r := fxReview()
	var got []string
	for _, g := range r.Components {
		names := []string{}
		for _, res := range g.Resources {
			names = append(names, res.LogicalName)
		}
		got = append(got, g.LogicalName+":"+strings.Join(names, ","))
	}
	want := []string{
		"encryption:encryption-key",
		"storage:storage-artifacts,storage-artifacts-versioning",
		"network:network-sagemaker-api,network-sts,network-s3",
		"monitoring:monitoring-logs,monitoring-unauthorized,monitoring-unauthorized-alarm,monitoring-alerts,monitoring-alerts-email",
		"(stack):outputs-KmsKeyArn",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("groups:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if r.ResourceCount != 12 {
		t.Errorf("resource count %d, want the 12 custom resources", r.ResourceCount)
	}
}

func TestReviewChecklistIsDerivedFromTemplateAndPolicy(t *testing.T) {
	items := map[string]ChecklistItem{}
	for _, c := range fxReview().Checklist {
		items[c.Title] = c
	}
	cases := map[string]string{
		// Present, no findings of its rules.
		"Private networking through restrictive VPC endpoints": "",
		// No roles in the fixture.
		"Least-privilege IAM roles":         StatusNotInTier,
		"Permission boundary on every role": StatusNotInTier,
		// The expired MLP-TAG-001 waiver is itself a mandatory violation.
		"Policy waivers valid and unexpired":     StatusViolated,
		"Confirm the SNS email subscription":     StatusAfterDeploy,
		"Enable CloudTrail":                      StatusBeforeDeploy,
		"Complete the CodeConnections handshake": StatusNotNeeded,
	}
	for title, want := range cases {
		c, ok := items[title]
		if !ok {
			t.Errorf("checklist lacks %q", title)
			continue
		}
		if want != "" && c.Status != want {
			t.Errorf("%q: status %q, want %q", title, c.Status, want)
		}
	}
	if c := items["Enable CloudTrail"]; !strings.Contains(c.Detail, fxName+"-compliance-logs") {
		t.Errorf("CloudTrail item must name the compliance log group: %q", c.Detail)
	}
	if c := items["Confirm the SNS email subscription"]; !strings.Contains(c.Detail, "ml-alerts@globalbank.example") || c.Owner != OwnerYou {
		t.Errorf("SNS item: %+v", c)
	}
	// Without the key the KMS guarantee is not claimed.
	doc := fixture()
	doc.Resources = append(doc.Resources[:1:1], doc.Resources[2:]...)
	r := BuildReview(ReviewInput{Doc: doc, Policy: policycheck.Check(doc, now), Now: now})
	for _, c := range r.Checklist {
		if strings.HasPrefix(c.Title, "Customer managed KMS key") && c.Status != StatusNotInTier {
			t.Errorf("no key in the template: KMS item %q, want %q", c.Status, StatusNotInTier)
		}
	}
}

func TestReviewPolicyAndWaivers(t *testing.T) {
	r := fxReview()
	if r.Policy.Passed || r.Policy.Mandatory == 0 {
		t.Fatalf("the expired waiver must fail the policy: %+v", r.Policy.Summary)
	}
	if !r.Policy.Findings[0].Blocking {
		t.Errorf("blocking findings come first, got %+v", r.Policy.Findings[0])
	}
	rules := map[string]RuleRow{}
	for _, row := range r.Policy.Rules {
		rules[row.ID] = row
	}
	if kms := rules["MLP-KMS-001"]; kms.Outcome != OutcomePass || !strings.Contains(strings.Join(kms.Peers, ","), "CKV_AWS_7") || kms.Remediation == "" {
		t.Errorf("MLP-KMS-001: want pass with peers and remediation, got %+v", kms)
	}
	if cb := rules["MLP-CB-001"]; cb.Outcome != OutcomeNotApplicable {
		t.Errorf("no CodeBuild project: MLP-CB-001 outcome %q", cb.Outcome)
	}
	if w := rules["MLP-WVR-002"]; w.Outcome != OutcomeViolation {
		t.Errorf("expired waiver: MLP-WVR-002 outcome %q", w.Outcome)
	}
	if len(r.Waivers) != 2 || r.Waivers[0].State != WaiverActive || r.Waivers[1].State != WaiverExpired || r.Waivers[1].Owner != "netops@globalbank.example" {
		t.Errorf("waivers: %+v", r.Waivers)
	}
	if r.Prerequisites[0].Level != LevelError || !strings.Contains(r.Prerequisites[0].Title, "Mandatory policy violations") {
		t.Errorf("errors come first in prerequisites: %+v", r.Prerequisites[0])
	}
}

func TestReviewInputsAndPrerequisitesBySource(t *testing.T) {
	r := fxReview()
	if len(r.Inputs) != 2 || r.Inputs[0].Source != "aws:ssm/getParameter" || !r.Inputs[0].Offline ||
		r.Inputs[1].Value != "accountId=123456789012" {
		t.Errorf("inputs read: %+v", r.Inputs)
	}
	for source, want := range map[string]string{"s3": "S3 source bucket must exist and be versioned", "codeconnections": "CodeConnections handshake"} {
		doc := fixture()
		doc.Product.SourceControl = source
		found := false
		for _, n := range BuildReview(ReviewInput{Doc: doc, Policy: policycheck.Check(doc, now), Now: now}).Prerequisites {
			found = found || (n.Title == want && n.Level == LevelWarning)
		}
		if !found {
			t.Errorf("source %s: want warning %q", source, want)
		}
	}
}

func TestWriteReviewWritesHTMLAndJSONTwin(t *testing.T) {
	dir := t.TempDir()
	paths := Paths{HTML: filepath.Join(dir, "r.html"), JSON: filepath.Join(dir, "r.json")}
	doc := fixture()
	if _, err := WriteReview(paths, ReviewInput{Doc: doc, Policy: policycheck.Check(doc, now), Now: now, Version: "test"}); err != nil {
		t.Fatal(err)
	}
	html, _ := os.ReadFile(paths.HTML)
	for _, id := range []string{`id="summary"`, `id="checklist"`, `id="policy"`, `id="cost"`, `id="deployer-policy"`} {
		if !strings.Contains(string(html), id) {
			t.Errorf("HTML lacks %s", id)
		}
	}
	for _, external := range []string{"<script src", "<link ", "http://", "https://"} {
		if strings.Contains(string(html), external) {
			t.Errorf("the page must be self-contained, found %q", external)
		}
	}
	var back Review
	js, _ := os.ReadFile(paths.JSON)
	if err := json.Unmarshal(js, &back); err != nil || back.Product.MLName != fxName || back.Kind != KindReview {
		t.Errorf("JSON twin: %v %+v", err, back.Header)
	}
}
