package policycheck

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/mlprov/mlprov/internal/provtemplate"
	"github.com/mlprov/mlprov/policy-pack/rules"
)

const mlName = "acme-dev-c001-us-east-1-churn-ml"

var now = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

func urn(typ, name string) string { return "urn:pulumi:" + mlName + "::mlprov::" + typ + "::" + name }

func productTags() map[string]any {
	return map[string]any{"mlprov:ml-name": mlName, "mlprov:env": "dev", "mlprov:tier": "starter", "mlprov:managed-by": "mlprov"}
}

// template is a small well-formed document: a component, a key under it
// (rotation as given) and a log group kept for 180 days (advisory).
func template(rotation bool) *provtemplate.Document {
	component := urn("mlprov:encryption:Key", "encryption")
	return &provtemplate.Document{
		FormatVersion: provtemplate.FormatVersion,
		Product: provtemplate.Product{MLName: mlName, Tier: "starter", Env: "dev", Region: "us-east-1", AccountID: "123456789012",
			Scenario: "codecommit", Stack: mlName, Project: "mlprov"},
		Resources: []provtemplate.Resource{
			{URN: component, Type: "mlprov:encryption:Key", LogicalName: "encryption", Inputs: map[string]any{"enableKeyRotation": false}},
			{URN: urn("aws:kms/key:Key", "encryption-key"), Type: "aws:kms/key:Key", LogicalName: "encryption-key", Parent: component, Custom: true, Provider: "aws",
				Inputs: map[string]any{"enableKeyRotation": rotation, "description": "product key", "tags": productTags()}},
			{URN: urn("aws:cloudwatch/logGroup:LogGroup", "build-logs"), Type: "aws:cloudwatch/logGroup:LogGroup", LogicalName: "build-logs", Custom: true, Provider: "aws",
				DependsOn: []string{component}, Inputs: map[string]any{"retentionInDays": float64(180), "tags": productTags()}},
		},
		Outputs: []provtemplate.Output{{Key: "KmsKeyArn", Name: "/ml/" + mlName + "/KmsKeyArn", Value: "arn"}},
	}
}

func TestCheckCountsFindingsOfCustomResourcesOnly(t *testing.T) {
	res := Check(template(false), now)
	if len(res.Structural) != 0 {
		t.Fatalf("well-formed template: want no structural problems, got %v", res.Structural)
	}
	var ids []string
	for _, f := range res.Findings {
		ids = append(ids, f.RuleID+"@"+f.LogicalName)
	}
	if strings.Join(ids, ",") != "MLP-KMS-001@encryption-key,MLP-LOG-001@build-logs" {
		t.Fatalf("want the key's rotation and the log retention advice only (components are not judged), got %v", ids)
	}
	if res.Mandatory != 1 || res.Advisory != 1 || res.Passed() {
		t.Errorf("want 1 mandatory + 1 advisory, failed; got %+v", res)
	}
	if ok := Check(template(true), now); ok.Mandatory != 0 || !ok.Passed() {
		t.Errorf("rotation on: want passed, got %+v", ok)
	}
}

func TestCheckAppliesSuppressions(t *testing.T) {
	doc := template(false)
	doc.Suppressions = []provtemplate.Suppression{{Rule: "MLP-KMS-001", Resource: "encryption", Reason: "HSM-backed key", Owner: "secops", Expires: "2027-01-31"}}
	res := Check(doc, now)
	if res.Mandatory != 0 || res.Waived != 1 {
		t.Fatalf("a suppression on the component's name covers its children: want 0 mandatory, 1 waived, got %+v", res)
	}
	res = Check(doc, time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC))
	if res.Mandatory != 2 || res.Waived != 0 {
		t.Errorf("expired: want the key finding back plus MLP-WVR-002, got %+v", res)
	}
}

func TestStructuralProblems(t *testing.T) {
	doc := template(true)
	doc.FormatVersion = 0
	doc.Product.Region = ""
	doc.Resources = append(doc.Resources,
		provtemplate.Resource{URN: doc.Resources[1].URN, Type: "aws:kms/key:Key", LogicalName: "dup", Custom: true, Provider: "aws"},
		provtemplate.Resource{URN: urn("aws:s3/bucketV2:BucketV2", "b"), LogicalName: "b", Custom: true, Parent: urn("x:y:Z", "gone"), DependsOn: []string{urn("x:y:Z", "missing")}},
	)
	doc.Outputs = append(doc.Outputs, provtemplate.Output{Key: "Stray", Name: "/other/" + mlName + "/Stray"})
	res := Check(doc, now)
	want := []string{"format version 0", "product.region is empty", "appears more than once", "parent urn:", "dependency urn:", "needs a type and a provider", `"/other/`}
	joined := strings.Join(res.Structural, "\n")
	for _, w := range want {
		if !strings.Contains(joined, w) {
			t.Errorf("want a structural problem mentioning %q, got:\n%s", w, joined)
		}
	}
	if res.Mandatory < len(want) || res.Passed() {
		t.Errorf("structural problems must fail the check, got mandatory %d", res.Mandatory)
	}
}

func TestWriteTextGroupsMandatoryFirst(t *testing.T) {
	var b bytes.Buffer
	if err := WriteText(&b, Check(template(false), now)); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	m, a := strings.Index(out, "Mandatory violations (1)"), strings.Index(out, "Advisory violations (1)")
	if m < 0 || a < m {
		t.Fatalf("want mandatory section before advisory:\n%s", out)
	}
	for _, want := range []string{"MLP-KMS-001  encryption-key (aws:kms/key:Key) [high]", "fix: Set enableKeyRotation: true", "policy check FAILED: 1 mandatory"} {
		if !strings.Contains(out, want) {
			t.Errorf("text report lacks %q:\n%s", want, out)
		}
	}
}

func TestWriteJSONRoundTrips(t *testing.T) {
	var b bytes.Buffer
	res := Check(template(false), now)
	if err := WriteJSON(&b, res); err != nil {
		t.Fatal(err)
	}
	var back Result
	if err := json.Unmarshal(b.Bytes(), &back); err != nil || back.Mandatory != 1 || back.Findings[0].RuleID != "MLP-KMS-001" {
		t.Fatalf("round trip: %v %+v", err, back)
	}
}

func TestWriteSARIF(t *testing.T) {
	var b bytes.Buffer
	const path = "ml/templates/acme-codecommit-template.json"
	doc := template(false)
	doc.Suppressions = []provtemplate.Suppression{{Rule: "MLP-LOG-001", Resource: "build-logs", Reason: "cost", Owner: "o", Expires: "2027-01-01"}}
	if err := WriteSARIF(&b, Check(doc, now), path); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID         string         `json:"id"`
						Help       map[string]any `json:"help"`
						Properties map[string]any `json:"properties"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID       string           `json:"ruleId"`
				RuleIndex    int              `json:"ruleIndex"`
				Level        string           `json:"level"`
				Suppressions []map[string]any `json:"suppressions"`
				Locations    []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string } `json:"artifactLocation"`
					} `json:"physicalLocation"`
					LogicalLocations []struct {
						FullyQualifiedName string `json:"fullyQualifiedName"`
					} `json:"logicalLocations"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(b.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	if log.Version != "2.1.0" || len(run.Tool.Driver.Rules) != len(rules.All())+1 {
		t.Fatalf("want SARIF 2.1.0 with every rule plus the structure rule, got %s with %d", log.Version, len(run.Tool.Driver.Rules))
	}
	kms := run.Tool.Driver.Rules[0]
	if kms.ID != "MLP-KMS-001" || !strings.Contains(kms.Help["text"].(string), "enableKeyRotation") || !strings.Contains(b.String(), `"CKV_AWS_7"`) {
		t.Errorf("rule metadata: want help text and peer IDs, got %+v", kms)
	}
	if len(run.Results) != 2 {
		t.Fatalf("want 2 results, got %d", len(run.Results))
	}
	r := run.Results[0]
	loc := r.Locations[0]
	if r.RuleID != "MLP-KMS-001" || r.RuleIndex != 0 || r.Level != "error" || loc.PhysicalLocation.ArtifactLocation.URI != path ||
		loc.LogicalLocations[0].FullyQualifiedName != urn("aws:kms/key:Key", "encryption-key") {
		t.Errorf("result: %+v", r)
	}
	if w := run.Results[1]; w.RuleID != "MLP-LOG-001" || w.Level != "warning" || len(w.Suppressions) != 1 {
		t.Errorf("waived advisory: want a warning with a suppression, got %+v", w)
	}
}
