package e2e_test

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mlprov/mlprov/internal/awstypes"
	"github.com/mlprov/mlprov/internal/trailcheck"
	"github.com/mlprov/mlprov/test/fakeaws/alarmflow"
	"github.com/mlprov/mlprov/test/fakeaws/awsevents"
	"github.com/mlprov/mlprov/test/fakeaws/control"
)

// TestDeployedComplianceAlarmsSeeCloudTrail deploys an enterprise product
// through the real engine into the test double, then gives AWS-shaped
// CloudTrail records to the account as deployed: its trail delivers them to
// the compliance log group, the metric filters count them, the alarms
// evaluate and publish to the alerts topic (test/fakeaws/alarmflow).
func TestDeployedComplianceAlarmsSeeCloudTrail(t *testing.T) {
	p := newProduct(t, tierCases["enterprise"].config)
	p.expect(exitOK, p.command("deploy-product", "--force")...)
	defer p.expect(exitOK, p.command("delete-product", "--force")...)

	cloud := p.cloudResources()
	n := p.names
	topicArn := resourceOutput(t, cloud, awstypes.SNSTopic, n.AlertsTopic, "arn")
	region, account := arnRegionAccount(t, topicArn)
	if region == awsevents.GlobalEventRegion {
		t.Fatalf("the product's region %s is where global events are recorded; the root case would not show the trail is multi-region", region)
	}
	src := awsevents.Source{Account: account, Region: region}
	at := time.Date(2026, 12, 1, 12, 1, 0, 0, time.UTC)
	for _, c := range []struct {
		name   string
		record string
		moves  []string // alarms that go to ALARM
	}{
		{"AccessDenied call", src.AccessDeniedCall(at), []string{n.UnauthorizedCallsAlarm}},
		{"root console sign-in (global service event, us-east-1)", src.RootConsoleSignIn(at), []string{n.RootUsageAlarm}},
		{"benign call", src.BenignCall(at), nil},
		{"root identity in an AWS service event", src.RootServiceEvent(at), nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			acct := alarmflow.New(cloud)
			// Before any event the alarms settle in OK (missing data is not breaching).
			settle, err := acct.EvaluateAlarms(at.Add(-time.Minute))
			if err != nil {
				t.Fatal(err)
			}
			for _, tr := range settle {
				if tr.To != alarmflow.StateOK {
					t.Errorf("with no events alarm %s went to %s", tr.Alarm, tr.To)
				}
			}
			d, err := acct.RecordCloudTrailEvent(c.record)
			if err != nil {
				t.Fatal(err)
			}
			if len(d.Events) != 1 || d.Events[0].LogGroup != n.ComplianceLogGroup {
				t.Fatalf("the record reached %+v (not delivered: %v), want the compliance log group %s once", d.Events, d.NotDelivered, n.ComplianceLogGroup)
			}
			moved, err := acct.EvaluateAlarms(at.Add(time.Minute))
			if err != nil {
				t.Fatal(err)
			}
			var toAlarm []string
			for _, tr := range moved {
				if tr.From != alarmflow.StateOK || tr.To != alarmflow.StateAlarm {
					t.Errorf("alarm %s moved %s → %s", tr.Alarm, tr.From, tr.To)
				}
				toAlarm = append(toAlarm, tr.Alarm)
			}
			if !slices.Equal(toAlarm, c.moves) {
				t.Errorf("alarms in ALARM: %v, want %v", toAlarm, c.moves)
			}
			var published []string
			for _, pub := range acct.Published {
				if pub.Failed != "" {
					t.Errorf("publish to %s failed: %s", pub.TopicArn, pub.Failed)
				}
				if pub.TopicArn != topicArn {
					t.Errorf("alarm %s published to %s, want the alerts topic %s", pub.From, pub.TopicArn, topicArn)
				}
				published = append(published, pub.From)
			}
			if len(published) != len(c.moves) {
				t.Errorf("%d messages published (%v), want one per alarm moved", len(published), published)
			}
		})
	}

	// show-product judges the deployed state: the product's trail delivers.
	var shown struct {
		Deployment struct {
			ComplianceTrail *trailcheck.Finding `json:"complianceTrail"`
		} `json:"deployment"`
	}
	decode(t, p.expect(exitOK, p.command("show-product", "-o", "json")...), &shown)
	if f := shown.Deployment.ComplianceTrail; f == nil || !f.Delivering || f.Trail != n.ComplianceTrail || len(f.Problems) != 0 {
		t.Errorf("show-product compliance trail: %+v, want %s delivering", f, n.ComplianceTrail)
	}

	// Behind mlprov's back the trail is stopped, then deleted: the same
	// AccessDenied call reaches no filter, and check-drift says why.
	trail := resourceOutput(t, cloud, awstypes.CloudTrail, n.ComplianceTrail, "name")
	if err := control.Mutate(p.cloud, awstypes.CloudTrail, trail, "enableLogging", false); err != nil {
		t.Fatal(err)
	}
	expectUndelivered(t, p, src.AccessDeniedCall(at), "logging is stopped", "trail "+trail+" is stopped")
	if err := control.Remove(p.cloud, awstypes.CloudTrail, trail); err != nil {
		t.Fatal(err)
	}
	expectUndelivered(t, p, src.AccessDeniedCall(at), "the account has no trail", "trail "+trail+" does not exist")
}

// expectUndelivered checks that the record reaches no log group for reason,
// and that check-drift reports no trail delivering, with problem.
func expectUndelivered(t *testing.T, p *product, record, reason, problem string) {
	t.Helper()
	d, err := alarmflow.New(p.cloudResources()).RecordCloudTrailEvent(record)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Events) != 0 || len(d.NotDelivered) != 1 || !strings.Contains(d.NotDelivered[0], reason) {
		t.Errorf("delivered %v (not delivered: %v), want nothing because %s", d.Events, d.NotDelivered, reason)
	}
	var drift struct {
		Drifted         bool                `json:"drifted"`
		ComplianceTrail *trailcheck.Finding `json:"complianceTrail"`
		Report          string              `json:"report"`
	}
	decode(t, p.expect(exitChanges, p.command("check-drift", "-o", "json")...), &drift)
	f := drift.ComplianceTrail
	if !drift.Drifted || f == nil || f.Delivering || f.Seen != trailcheck.SeenAWS || !strings.Contains(strings.Join(f.Problems, "\n"), problem) {
		t.Errorf("check-drift: drifted=%v compliance trail %+v, want not delivering with %q", drift.Drifted, f, problem)
	}
	// The drift report's JSON twin carries the same finding.
	var twin struct {
		ComplianceTrail *trailcheck.Finding `json:"complianceTrail"`
	}
	b, err := os.ReadFile(strings.TrimSuffix(drift.Report, ".html") + ".json")
	if err == nil {
		err = json.Unmarshal(b, &twin)
	}
	if err != nil || twin.ComplianceTrail == nil || !strings.Contains(strings.Join(twin.ComplianceTrail.Problems, "\n"), problem) {
		t.Errorf("drift report %s: compliance trail %+v (%v), want %q", drift.Report, twin.ComplianceTrail, err, problem)
	}
}

// resourceOutput reads one output of the cloud resource of typ named name.
func resourceOutput(t *testing.T, cloud []control.Resource, typ, name, key string) string {
	t.Helper()
	for _, r := range cloud {
		if r.Type == typ && r.Name == name {
			v, _ := r.Outputs[key].(string)
			if v == "" {
				t.Fatalf("%s %s has no output %s", typ, name, key)
			}
			return v
		}
	}
	t.Fatalf("the cloud holds no %s named %s", typ, name)
	return ""
}
