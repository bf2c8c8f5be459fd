package stacks_test

import (
	"slices"
	"testing"

	"github.com/mlprov/mlprov/internal/config"
	"github.com/mlprov/mlprov/internal/naming"
	"github.com/mlprov/mlprov/stacks"
	"github.com/mlprov/mlprov/test/fakeaws/filterpattern"
)

const (
	tTrail = "aws:cloudtrail/trail:Trail"
)

// TestComplianceTrailFeedsTheAlarms: the metric filters read the compliance
// log group, so something must deliver CloudTrail events into it — a
// multi-region trail with global service events (root sign-ins and IAM are
// global), its delivery role, and an archive bucket and key CloudTrail may use.
func TestComplianceTrailFeedsTheAlarms(t *testing.T) {
	cfg := baseConfig(config.TierEnterprise, "prod")
	n := naming.For(cfg)
	a := naming.ARNsFor(testAccount, testRegion)
	rec := run(t, cfg, stacks.Options{})
	trail := one(t, rec, tTrail)
	in := trail.Inputs
	if in["isMultiRegionTrail"] != true || in["includeGlobalServiceEvents"] != true || in["enableLogging"] != true {
		t.Errorf("trail must log, be multi-region and include global service events: %v", in)
	}
	if got := str(in["cloudWatchLogsGroupArn"]); got != a.LogGroup(n.ComplianceLogGroup)+":*" {
		t.Errorf("trail delivers to %q, want the compliance log group %s", got, n.ComplianceLogGroup)
	}
	for _, f := range rec.ByType(tFilter) {
		if str(f.Inputs["logGroupName"]) != n.ComplianceLogGroup {
			t.Errorf("metric filter %s reads %v, not the group the trail feeds", f.LogicalName, f.Inputs["logGroupName"])
		}
	}
	if str(in["s3BucketName"]) != n.TrailBucket || str(in["kmsKeyId"]) == "" {
		t.Errorf("trail archive bucket %v key %v", in["s3BucketName"], in["kmsKeyId"])
	}
	role := byName(t, rec, tRole, n.CloudTrailRole)
	if got := str(in["cloudWatchLogsRoleArn"]); got != a.Role(n.CloudTrailRole) {
		t.Errorf("trail delivery role %q", got)
	}
	trust := parsePolicy(t, role, "assumeRolePolicy")
	if !slices.Equal(trust.Statement[0].Principal["Service"], []string{"cloudtrail.amazonaws.com"}) {
		t.Errorf("delivery role trusts %v", trust.Statement[0].Principal)
	}
	delivery := parsePolicy(t, byName(t, rec, tRolePolicy, n.CloudTrailRole+"-policy"), "policy")
	if s := delivery.Statement[0]; !slices.Equal(s.Resource, []string{a.LogStreams(n.ComplianceLogGroup)}) ||
		!slices.Equal(s.Action, []string{"logs:CreateLogStream", "logs:PutLogEvents"}) {
		t.Errorf("delivery policy %+v", s)
	}
	if !slices.Contains(trail.DependsOn, byName(t, rec, tRolePolicy, n.CloudTrailRole+"-policy").URN) {
		t.Errorf("trail does not wait for its delivery policy")
	}
	// Bucket and key policies let this trail, and only it, write.
	trailArn := a.Trail(n.ComplianceTrail)
	var bucketPolicy policyDoc
	for _, p := range rec.ByType(tBucketPolicy) {
		if str(p.Inputs["bucket"]) == n.TrailBucket {
			bucketPolicy = parsePolicy(t, p, "policy")
			if !slices.Contains(trail.DependsOn, p.URN) {
				t.Errorf("trail does not wait for its bucket policy")
			}
		}
	}
	writes := 0
	for _, s := range bucketPolicy.Statement {
		if slices.Contains(s.Principal["Service"], "cloudtrail.amazonaws.com") {
			writes++
			if !slices.Equal(s.Condition["StringEquals"]["aws:SourceArn"], []string{trailArn}) {
				t.Errorf("bucket statement %s not limited to the trail: %v", s.Sid, s.Condition)
			}
		}
	}
	if writes != 2 {
		t.Errorf("trail bucket policy has %d CloudTrail statements, want ACL check and write", writes)
	}
	key := parsePolicy(t, one(t, rec, tKey), "policy")
	found := false
	for _, s := range key.Statement {
		if slices.Contains(s.Principal["Service"], "cloudtrail.amazonaws.com") {
			found = slices.Equal(s.Condition["StringEquals"]["aws:SourceArn"], []string{trailArn})
		}
	}
	if !found {
		t.Error("key policy does not let the trail encrypt its log files")
	}
	if len(rec.ByType(tTrail)) != 1 {
		t.Error("more than one trail")
	}
	if got := run(t, baseConfig(config.TierProfessional, "prod"), stacks.Options{}).ByType(tTrail); len(got) != 0 {
		t.Errorf("professional tier creates a trail")
	}
}

// TestComplianceFiltersMatchCloudTrailEvents evaluates the rendered metric
// filter patterns with the test double's CloudWatch Logs filter-pattern
// evaluator against CloudTrail records (shape: "CloudTrail record contents",
// https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html).
func TestComplianceFiltersMatchCloudTrailEvents(t *testing.T) {
	rec := run(t, baseConfig(config.TierEnterprise, "prod"), stacks.Options{})
	filters := map[string]string{} // metric → pattern
	for _, f := range rec.ByType(tFilter) {
		filters[str(obj(f.Inputs["metricTransformation"])["name"])] = str(f.Inputs["pattern"])
	}
	const (
		unauthorized = "UnauthorizedAPICalls"
		root         = "RootAccountUsage"
	)
	events := []struct {
		name, record string
		want         []string
	}{
		{"access denied", `{"eventVersion":"1.08","userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::123456789012:assumed-role/dev/x"},
"eventTime":"2026-12-01T12:00:00Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","awsRegion":"us-west-2",
"errorCode":"AccessDenied","errorMessage":"Access Denied","eventType":"AwsApiCall"}`, []string{unauthorized}},
		{"ec2 unauthorized operation", `{"userIdentity":{"type":"IAMUser"},"eventSource":"ec2.amazonaws.com","eventName":"RunInstances",
"errorCode":"Client.UnauthorizedOperation","eventType":"AwsApiCall"}`, []string{unauthorized}},
		{"root console sign-in (global service event)", `{"eventVersion":"1.08","userIdentity":{"type":"Root","principalId":"123456789012",
"arn":"arn:aws:iam::123456789012:root","accountId":"123456789012"},"eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin",
"awsRegion":"us-east-1","eventType":"AwsConsoleSignIn","responseElements":{"ConsoleLogin":"Success"}}`, []string{root}},
		{"root credentials used by a service", `{"userIdentity":{"type":"Root","invokedBy":"support.amazonaws.com"},
"eventSource":"iam.amazonaws.com","eventName":"GetAccountSummary","eventType":"AwsApiCall"}`, nil},
		{"ordinary call", `{"userIdentity":{"type":"AssumedRole"},"eventSource":"s3.amazonaws.com","eventName":"GetObject","eventType":"AwsApiCall"}`, nil},
	}
	for _, e := range events {
		var got []string
		for _, metric := range []string{unauthorized, root} {
			pattern, ok := filters[metric]
			if !ok {
				t.Fatalf("no metric filter for %s (have %v)", metric, filters)
			}
			match, err := filterpattern.Match(pattern, e.record)
			if err != nil {
				t.Fatalf("%s: %v", metric, err)
			}
			if match {
				got = append(got, metric)
			}
		}
		if !slices.Equal(got, e.want) {
			t.Errorf("%s counted in %v, want %v", e.name, got, e.want)
		}
	}
}
