package report

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/mlprov/mlprov/internal/trailcheck"
)

func fxSummary() Summary {
	return SummaryOf(fixture().Product)
}

func fxDeployment() DeploymentInput {
	return DeploymentInput{
		Product: fxSummary(), StartedAt: now.Add(-95 * time.Second), Duration: 95*time.Second + 400*time.Millisecond, Succeeded: true,
		Resources: []DeployedResource{
			{URN: fxURN(typeBucketV2, "storage-artifacts"), Type: typeBucketV2, LogicalName: "storage-artifacts", ID: "globalbank-prod-c001-us-west-2-churn-artifacts", Op: OpSame},
			{URN: fxURN(typeKMSKey, "encryption-key"), Type: typeKMSKey, LogicalName: "encryption-key", ID: "1234abcd-12ab-34cd-56ef-1234567890ab", Op: OpUpdate, ChangedProperties: []string{"description"}},
			{URN: fxURN(typeTopic, "monitoring-alerts"), Type: typeTopic, LogicalName: "monitoring-alerts", ID: "arn:aws:sns:us-west-2:123456789012:" + fxName + "-security-alerts", Op: OpCreate},
			{URN: fxURN(typeVPCEndpoint, "network-sts"), Type: typeVPCEndpoint, LogicalName: "network-sts", ID: "vpce-0abc", Op: OpReplace, ChangedProperties: []string{"subnetIds"}},
		},
		Outputs: []PublishedOutput{{Key: "AlertsTopicArn", Name: "/ml/" + fxName + "/AlertsTopicArn", Value: "arn:aws:sns:us-west-2:123456789012:" + fxName + "-security-alerts"}},
		Pending: []PendingConfirmation{{What: "SNS email subscription", Detail: "ml-alerts@globalbank.example must click the confirmation link."}},
		Now:     now, Version: "test",
	}
}

func fxDrift() DriftInput {
	return DriftInput{
		Product: fxSummary(), CheckedAt: now, Duration: 12 * time.Second, Checked: 61, Now: now, Version: "test",
		Drifts: []DriftedProperty{
			{URN: fxURN(typeDashboard, "dash"), Type: typeDashboard, LogicalName: "dash", Property: "dashboardBody", Old: `{"widgets":[]}`, New: `{"widgets":[1]}`},
			{URN: fxURN(typeKMSKey, "encryption-key"), Type: typeKMSKey, LogicalName: "encryption-key", Property: "enableKeyRotation", Old: true, New: false, SecurityRelevant: true, Concern: "encryption"},
			{URN: fxURN(typeLogGroup, "monitoring-logs"), Type: typeLogGroup, LogicalName: "monitoring-logs", Property: "retentionInDays", Old: 365.0, New: 7.0},
			{URN: fxURN(typeTopic, "monitoring-alerts"), Type: typeTopic, LogicalName: "monitoring-alerts", Deleted: true, SecurityRelevant: true, Concern: "resource deleted"},
		},
	}
}

func goldenTwins(t *testing.T, kind string, page any) {
	t.Helper()
	html, err := HTML(kind, page)
	if err != nil {
		t.Fatal(err)
	}
	js, err := json.MarshalIndent(page, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden(t, kind+".golden.html", html)
	golden(t, kind+".golden.json", append(js, '\n'))
}

func TestDeploymentGolden(t *testing.T) {
	goldenTwins(t, KindDeployment, BuildDeployment(fxDeployment()))
}

func TestDeploymentOrdersChangesAndCounts(t *testing.T) {
	d := BuildDeployment(fxDeployment())
	var ops []string
	for _, c := range d.Changed {
		ops = append(ops, c.Op+":"+c.LogicalName)
	}
	if strings.Join(ops, ",") != "replace:network-sts,create:monitoring-alerts,update:encryption-key" {
		t.Errorf("changed, most consequential first, unchanged left out: %v", ops)
	}
	if len(d.Resources) != 4 || d.Counts[OpSame] != 1 || d.Counts[OpCreate] != 1 || d.Duration != "1m35.4s" || d.Seconds != 95.4 {
		t.Errorf("resources %d, counts %v, duration %s (%v s)", len(d.Resources), d.Counts, d.Duration, d.Seconds)
	}
	htmlShows(t, KindDeployment, d, "SNS email subscription", "vpce-0abc", "/ml/"+fxName+"/AlertsTopicArn", "Deployed in 1m35.4s")
}

// htmlShows asserts the rendered page contains every text.
func htmlShows(t *testing.T, kind string, page any, texts ...string) {
	t.Helper()
	html, err := HTML(kind, page)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range texts {
		if !strings.Contains(string(html), want) {
			t.Errorf("%s HTML lacks %q", kind, want)
		}
	}
}

func TestDriftGolden(t *testing.T) {
	goldenTwins(t, KindDrift, BuildDrift(fxDrift()))
}

func TestDriftPutsSecurityRelevantFirst(t *testing.T) {
	d := BuildDrift(fxDrift())
	var got []string
	for _, p := range d.Drifts {
		got = append(got, p.LogicalName+"."+p.Property)
	}
	if strings.Join(got, ",") != "encryption-key.enableKeyRotation,monitoring-alerts.,dash.dashboardBody,monitoring-logs.retentionInDays" {
		t.Errorf("order: %v", got)
	}
	if d.SecurityRelevant != 2 || d.DriftedResources != 4 || d.Checked != 61 {
		t.Errorf("counts: %+v", d)
	}
	// old → new, JSON values shown as JSON.
	htmlShows(t, KindDrift, d, "<code>true</code></td><td><code>false</code>", "<code>365</code></td><td><code>7</code>", "resource deleted")
}

// The drift report carries check-drift's trail finding: a stopped trail is
// said in the HTML with its reason and kept in the JSON twin.
func TestDriftReportSaysWhenNoTrailDelivers(t *testing.T) {
	in := fxDrift()
	in.ComplianceTrail = &trailcheck.Finding{LogGroup: "p-compliance-logs", Seen: trailcheck.SeenAWS,
		Problems: []string{"trail p-compliance-trail is stopped (enableLogging false)"}}
	d := BuildDrift(in)
	htmlShows(t, KindDrift, d, "No trail delivers CloudTrail events to p-compliance-logs", "trail p-compliance-trail is stopped", `href="#trail"`)
	b, err := json.Marshal(d)
	if err != nil || !strings.Contains(string(b), `"complianceTrail":{"logGroup":"p-compliance-logs"`) {
		t.Errorf("JSON twin without the finding (%v): %s", err, b)
	}
	if html, _ := HTML(KindDrift, BuildDrift(fxDrift())); strings.Contains(string(html), `id="trail"`) {
		t.Error("a report without a finding shows a trail section")
	}
}
