package rules

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func bucketStack(t *testing.T) Stack {
	t.Helper()
	return loadFixture(t, "testdata/MLP-S3-004/fail-missing.json").Stack
}

func TestWaiverCoversPrefixAndExpires(t *testing.T) {
	s := bucketStack(t)
	w := Waiver{Rule: "MLP-S3-004", Resource: "art", Reason: "r", Owner: "o", Expires: "2027-03-31"}
	if got := findingsOf(Evaluate(s, []Waiver{w}, fixtureNow), "MLP-S3-004", StatusViolation); len(got) != 1 {
		t.Fatalf("a waiver for %q must not cover %q (only equal or %q-prefixed names), got %d violations", w.Resource, "artifacts", w.Resource+"-", len(got))
	}
	w.Resource = "artifacts"
	findings := Evaluate(s, []Waiver{w}, fixtureNow)
	waived := findingsOf(findings, "MLP-S3-004", StatusWaived)
	if len(waived) != 1 || !strings.Contains(waived[0].WaivedBy, "owner o") || waived[0].Blocking() {
		t.Fatalf("want one non-blocking waived finding, got %+v", findings)
	}
	if len(findingsOf(findings, "MLP-S3-003", StatusViolation)) != 1 {
		t.Error("the waiver must cover only its own rule")
	}
	child := Resource{Name: "artifacts-policy"}
	if !w.Covers("MLP-S3-004", child.Name) || w.Covers("MLP-S3-004", "artifactsx") {
		t.Error("Covers: want artifacts-policy covered and artifactsx not")
	}
	expired := Evaluate(s, []Waiver{w}, time.Date(2027, 4, 1, 0, 0, 0, 0, time.UTC))
	if len(findingsOf(expired, "MLP-S3-004", StatusViolation)) != 1 || len(findingsOf(expired, "MLP-WVR-002", StatusViolation)) != 1 {
		t.Errorf("an expired waiver re-reports the finding and is itself a violation, got %+v", expired)
	}
}

func TestWaiverFindingsCannotBeWaived(t *testing.T) {
	ws := []Waiver{
		{Rule: "MLP-S3-004", Resource: "artifacts", Reason: "r", Owner: "o", Expires: "2020-01-01"},
		{Rule: "MLP-WVR-002", Resource: "artifacts", Reason: "r", Owner: "o", Expires: "2030-01-01"},
	}
	got := findingsOf(Evaluate(bucketStack(t), ws, fixtureNow), "MLP-WVR-002", StatusViolation)
	if len(got) != 1 {
		t.Fatalf("want the expired waiver reported despite a waiver for MLP-WVR-002, got %+v", got)
	}
}

func TestUnknownMarkerDecodesToUnknown(t *testing.T) {
	var r Resource
	if err := json.Unmarshal([]byte(`{"type":"aws:kms/key:Key","props":{"enableKeyRotation":"`+UnknownMarker+`","tags":{"a":"b"}}}`), &r); err != nil {
		t.Fatal(err)
	}
	if !r.Props.Get("enableKeyRotation").Unknown() || r.Props.Get("tags.a").Unknown() {
		t.Fatalf("want only enableKeyRotation unknown, got %#v", r.Props)
	}
	if !r.Props.Get("enableKeyRotation.nested").Unknown() {
		t.Error("a path through an unknown is unknown")
	}
	b, _ := json.Marshal(r.Props)
	if !strings.Contains(string(b), UnknownMarker) {
		t.Errorf("Unknown must encode as the marker, got %s", b)
	}
}

func TestPartialStackDefersCompanionRules(t *testing.T) {
	bucket := bucketStack(t).Resources[0]
	findings := Evaluate(Stack{Resources: []Resource{bucket}, Partial: true}, nil, fixtureNow)
	for _, id := range []string{"MLP-S3-001", "MLP-S3-003", "MLP-S3-004", "MLP-S3-005", "MLP-S3-006"} {
		if len(findingsOf(findings, id, StatusViolation)) != 0 || len(findingsOf(findings, id, StatusUnknown)) != 1 {
			t.Errorf("%s on a lone bucket during per-resource analysis: want unknown, got %+v", id, findings)
		}
	}
}

func TestAdvisoryThresholds(t *testing.T) {
	logs := Resource{URN: "u", Name: "logs", Type: typeLogGroup, Props: Props{"retentionInDays": float64(180)}}
	got := findingsOf(Evaluate(Stack{Resources: []Resource{logs}}, nil, fixtureNow), "MLP-LOG-001", StatusViolation)
	if len(got) != 1 || got[0].Enforcement != Advisory || got[0].Blocking() || !strings.Contains(got[0].Message, "365") {
		t.Fatalf("180 days: want one advisory finding advising 365, got %+v", got)
	}
	key := Resource{Name: "key", Type: typeKMSKey, Props: Props{"enableKeyRotation": true, "description": "d", "deletionWindowInDays": float64(10), "tags": map[string]any{"mlprov:env": "prod"}}}
	got = findingsOf(Evaluate(Stack{Resources: []Resource{key}}, nil, fixtureNow), "MLP-KMS-003", StatusViolation)
	if len(got) != 1 || got[0].Enforcement != Advisory {
		t.Fatalf("10-day window in prod: want advisory, got %+v", got)
	}
}
