package alarmflow

import (
	"strings"
	"testing"
	"time"

	"github.com/mlprov/mlprov/internal/awstypes"
	"github.com/mlprov/mlprov/test/fakeaws/awsevents"
	"github.com/mlprov/mlprov/test/fakeaws/cloudstate"
)

const (
	account     = "111122223333"
	region      = "eu-west-1"
	group       = "audit"
	groupARN    = "arn:aws:logs:eu-west-1:111122223333:log-group:audit"
	roleARN     = "arn:aws:iam::111122223333:role/trail-delivery"
	topicARN    = "arn:aws:sns:eu-west-1:111122223333:alerts"
	keyARN      = "arn:aws:kms:eu-west-1:111122223333:key/k1"
	alarmARN    = "arn:aws:cloudwatch:eu-west-1:111122223333:alarm:denied"
	boundaryARN = "arn:aws:iam::111122223333:policy/boundary"
)

var (
	src = awsevents.Source{Account: account, Region: region}
	t0  = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
)

func res(typ string, outputs map[string]any) cloudstate.Resource {
	return cloudstate.Resource{Type: typ, Outputs: outputs}
}

// account builds a working chain: a multi-region trail delivering to an
// encrypted log group, a filter counting AccessDenied, an alarm publishing
// to an encrypted topic. change edits it before use.
func world(change func(map[string]map[string]any)) []cloudstate.Resource {
	parts := map[string]map[string]any{
		awstypes.CloudTrail: {"name": "t", "arn": "arn:aws:cloudtrail:eu-west-1:111122223333:trail/t", "enableLogging": true,
			"isMultiRegionTrail": true, "includeGlobalServiceEvents": true,
			"cloudWatchLogsGroupArn": groupARN + ":*", "cloudWatchLogsRoleArn": roleARN},
		awstypes.IAMRole: {"name": "trail-delivery", "arn": roleARN, "permissionsBoundary": boundaryARN,
			"assumeRolePolicy": `{"Statement":[{"Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},"Action":"sts:AssumeRole",
			"Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"}}}]}`},
		awstypes.IAMPolicy: {"arn": boundaryARN, "policy": `{"Statement":[{"Effect":"Allow","Action":"logs:*","Resource":"*"},
			{"Effect":"Deny","Action":"logs:DeleteLogGroup","Resource":"*"}]}`},
		awstypes.IAMRolePolicy: {"role": "trail-delivery", "policy": `{"Statement":[{"Effect":"Allow",
			"Action":["logs:CreateLogStream","logs:PutLogEvents"],"Resource":"` + groupARN + `:log-stream:*"}]}`},
		awstypes.LogGroup: {"name": group, "arn": groupARN, "kmsKeyId": keyARN},
		awstypes.KMSKey: {"arn": keyARN, "keyId": "k1", "policy": `{"Statement":[
			{"Effect":"Allow","Principal":{"Service":"logs.eu-west-1.amazonaws.com"},"Action":"kms:GenerateDataKey*","Resource":"*",
			 "Condition":{"ArnEquals":{"kms:EncryptionContext:aws:logs:arn":"` + groupARN + `"}}},
			{"Effect":"Allow","Principal":{"Service":"cloudwatch.amazonaws.com"},"Action":["kms:Decrypt","kms:GenerateDataKey*"],"Resource":"*",
			 "Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"}}}]}`},
		awstypes.LogMetricFilter: {"name": "denied", "logGroupName": group,
			"pattern":              `{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }`,
			"metricTransformation": map[string]any{"name": "Denied", "namespace": "Audit", "value": "1"}},
		awstypes.MetricAlarm: {"name": "denied", "arn": alarmARN, "namespace": "Audit", "metricName": "Denied",
			"statistic": "Sum", "period": 300.0, "evaluationPeriods": 1.0, "threshold": 1.0,
			"comparisonOperator": "GreaterThanOrEqualToThreshold", "treatMissingData": "notBreaching",
			"actionsEnabled": true, "alarmActions": []any{topicARN}},
		awstypes.SNSTopic: {"arn": topicARN, "kmsMasterKeyId": keyARN},
		awstypes.SNSTopicPolicy: {"arn": topicARN, "policy": `{"Statement":[{"Effect":"Allow",
			"Principal":{"Service":"cloudwatch.amazonaws.com"},"Action":"sns:Publish","Resource":"` + topicARN + `",
			"Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"}}}]}`},
	}
	if change != nil {
		change(parts)
	}
	var out []cloudstate.Resource
	for typ, outputs := range parts {
		if outputs != nil {
			out = append(out, res(typ, outputs))
		}
	}
	return out
}

// run settles the alarms, records the events and evaluates a minute after.
func run(t *testing.T, cloud []cloudstate.Resource, records ...string) (*Account, []Delivery, []Transition) {
	t.Helper()
	a := New(cloud)
	if _, err := a.EvaluateAlarms(t0); err != nil {
		t.Fatal(err)
	}
	var ds []Delivery
	for _, r := range records {
		d, err := a.RecordCloudTrailEvent(r)
		if err != nil {
			t.Fatal(err)
		}
		ds = append(ds, d)
	}
	moved, err := a.EvaluateAlarms(t0.Add(2 * time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	return a, ds, moved
}

func TestAccessDeniedMovesTheAlarmAndPublishes(t *testing.T) {
	a, ds, moved := run(t, world(nil), src.AccessDeniedCall(t0.Add(time.Minute)))
	if len(ds[0].Events) != 1 || ds[0].Events[0].LogStream != account+"_CloudTrail_"+region {
		t.Fatalf("delivered %+v, want one event in stream %s_CloudTrail_%s", ds[0], account, region)
	}
	if len(moved) != 1 || moved[0] != (Transition{"denied", StateOK, StateAlarm}) {
		t.Fatalf("transitions %v, want denied OK → ALARM", moved)
	}
	if len(a.Published) != 1 || a.Published[0].TopicArn != topicARN || a.Published[0].Failed != "" ||
		!strings.Contains(a.Published[0].Message, `"NewStateValue":"ALARM"`) {
		t.Fatalf("published %+v, want one ALARM notification to %s", a.Published, topicARN)
	}
	// The next evaluation, the period past, returns to OK without notifying
	// (the alarm has no OK actions).
	back, _ := a.EvaluateAlarms(t0.Add(10 * time.Minute))
	if len(back) != 1 || back[0].To != StateOK || len(a.Published) != 1 {
		t.Errorf("after the period: %v, %d published", back, len(a.Published))
	}
}

func TestABenignEventMovesNothing(t *testing.T) {
	a, ds, moved := run(t, world(nil), src.BenignCall(t0.Add(time.Minute)))
	if len(ds[0].Events) != 1 || len(moved) != 0 || len(a.Published) != 0 || a.AlarmState("denied") != StateOK {
		t.Errorf("benign call: delivered %v, moved %v, published %v, state %s", ds[0].Events, moved, a.Published, a.AlarmState("denied"))
	}
}

func TestTrailDeliveryConditions(t *testing.T) {
	set := func(typ, key string, v any) func(map[string]map[string]any) {
		return func(p map[string]map[string]any) { p[typ][key] = v }
	}
	drop := func(typ string) func(map[string]map[string]any) {
		return func(p map[string]map[string]any) { p[typ] = nil }
	}
	denied, root := src.AccessDeniedCall(t0.Add(time.Minute)), src.RootConsoleSignIn(t0.Add(time.Minute))
	for _, c := range []struct {
		name   string
		change func(map[string]map[string]any)
		record string
		reason string // "" when delivered
	}{
		{"root sign-in reaches a multi-region trail", nil, root, ""},
		{"stopped trail", set(awstypes.CloudTrail, "enableLogging", false), denied, "logging is stopped"},
		{"single-region trail misses us-east-1", set(awstypes.CloudTrail, "isMultiRegionTrail", false), root, "single-region trail"},
		{"global events excluded", set(awstypes.CloudTrail, "includeGlobalServiceEvents", false), root, "global service events"},
		{"no log group ARN", set(awstypes.CloudTrail, "cloudWatchLogsGroupArn", ""), denied, "no CloudWatch Logs delivery"},
		{"no role", drop(awstypes.IAMRole), denied, "does not exist"},
		{"role policy on another group", set(awstypes.IAMRolePolicy, "policy", `{"Statement":[{"Effect":"Allow",
			"Action":"logs:*","Resource":"arn:aws:logs:eu-west-1:111122223333:log-group:other:*"}]}`), denied, "may not logs:CreateLogStream"},
		{"role trusts another service", set(awstypes.IAMRole, "assumeRolePolicy", `{"Statement":[{"Effect":"Allow",
			"Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}`), denied, "does not trust"},
		{"log group gone", drop(awstypes.LogGroup), denied, "log group audit does not exist"},
		{"boundary without logs", set(awstypes.IAMPolicy, "policy", `{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}`),
			denied, "permissions boundary does not allow logs:CreateLogStream"},
		{"boundary gone", drop(awstypes.IAMPolicy), denied, "permissions boundary " + boundaryARN + " does not exist"},
		{"key does not let logs encrypt", set(awstypes.KMSKey, "policy", `{"Statement":[]}`), denied, "KMS key"},
		{"no trail", drop(awstypes.CloudTrail), denied, "no trail"},
	} {
		a := New(world(c.change))
		d, err := a.RecordCloudTrailEvent(c.record)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		switch {
		case c.reason == "" && len(d.Events) != 1:
			t.Errorf("%s: not delivered: %v", c.name, d.NotDelivered)
		case c.reason != "" && (len(d.Events) != 0 || len(d.NotDelivered) != 1 || !strings.Contains(d.NotDelivered[0], c.reason)):
			t.Errorf("%s: delivered %v, reasons %v, want %q", c.name, d.Events, d.NotDelivered, c.reason)
		}
	}
}

func TestPublishNeedsTopicAndKeyPolicies(t *testing.T) {
	for _, c := range []struct {
		name   string
		change func(map[string]map[string]any)
		reason string
	}{
		{"topic policy without CloudWatch", func(p map[string]map[string]any) {
			p[awstypes.SNSTopicPolicy]["policy"] = `{"Statement":[{"Effect":"Allow","Principal":{"Service":"events.amazonaws.com"},"Action":"sns:Publish","Resource":"*"}]}`
		}, "topic policy"},
		{"topic policy for another account", func(p map[string]map[string]any) {
			p[awstypes.SNSTopicPolicy]["policy"] = strings.ReplaceAll(p[awstypes.SNSTopicPolicy]["policy"].(string), `"111122223333"`, `"999999999999"`)
		}, "topic policy"},
		{"AWS managed key", func(p map[string]map[string]any) { p[awstypes.SNSTopic]["kmsMasterKeyId"] = "alias/aws/sns" }, "alias/aws/sns"},
		{"key without CloudWatch", func(p map[string]map[string]any) {
			p[awstypes.KMSKey]["policy"] = `{"Statement":[{"Effect":"Allow","Principal":{"Service":"logs.eu-west-1.amazonaws.com"},"Action":"kms:*","Resource":"*"}]}`
		}, "KMS key does not let CloudWatch"},
		{"topic gone", func(p map[string]map[string]any) { p[awstypes.SNSTopic] = nil }, "does not exist"},
	} {
		a, _, moved := run(t, world(c.change), src.AccessDeniedCall(t0.Add(time.Minute)))
		if len(moved) != 1 || len(a.Published) != 1 || !strings.Contains(a.Published[0].Failed, c.reason) {
			t.Errorf("%s: moved %v, published %+v, want a failed publish saying %q", c.name, moved, a.Published, c.reason)
		}
	}
}

func TestAlarmEvaluation(t *testing.T) {
	alarm := func(kv ...any) func(map[string]map[string]any) {
		return func(p map[string]map[string]any) {
			for i := 0; i < len(kv); i += 2 {
				p[awstypes.MetricAlarm][kv[i].(string)] = kv[i+1]
			}
		}
	}
	denied := func(minute int) string { return src.AccessDeniedCall(t0.Add(time.Duration(minute) * time.Minute)) }
	for _, c := range []struct {
		name    string
		change  func(map[string]map[string]any)
		records []string
		want    string
	}{
		{"one breach of a Sum >= 1 alarm", nil, []string{denied(1)}, StateAlarm},
		{"no data, notBreaching", nil, nil, StateOK},
		{"no data, breaching", alarm("treatMissingData", "breaching"), nil, StateAlarm},
		{"no data, missing", alarm("treatMissingData", "missing"), nil, StateInsufficientData},
		{"no data, default is missing", alarm("treatMissingData", ""), nil, StateInsufficientData},
		{"no data, ignore keeps the state", alarm("treatMissingData", "ignore"), nil, StateInsufficientData},
		{"Sum under a threshold of 2", alarm("threshold", 2.0), []string{denied(1)}, StateOK},
		{"Sum of two reaches 2", alarm("threshold", 2.0), []string{denied(1), denied(1)}, StateAlarm},
		{"GreaterThanThreshold is strict", alarm("comparisonOperator", "GreaterThanThreshold"), []string{denied(1)}, StateOK},
		{"SampleCount", alarm("statistic", "SampleCount", "threshold", 2.0), []string{denied(1), denied(1)}, StateAlarm},
		{"2 of 2 periods needed, one breaching", alarm("evaluationPeriods", 2.0), []string{denied(1)}, StateOK},
		{"1 of 2 periods needed (datapointsToAlarm)", alarm("evaluationPeriods", 2.0, "datapointsToAlarm", 1.0), []string{denied(1)}, StateAlarm},
		{"data before the evaluation range", nil, []string{src.AccessDeniedCall(t0.Add(-10 * time.Minute))}, StateOK},
	} {
		a, _, _ := run(t, world(c.change), c.records...)
		if got := a.AlarmState("denied"); got != c.want {
			t.Errorf("%s: alarm is %s, want %s", c.name, got, c.want)
		}
	}
	a, _, _ := run(t, world(alarm("actionsEnabled", false)), denied(1))
	if a.AlarmState("denied") != StateAlarm || len(a.Published) != 0 {
		t.Errorf("actions disabled: state %s, published %v", a.AlarmState("denied"), a.Published)
	}
	if _, err := New(world(alarm("comparisonOperator", "LessThanLowerOrGreaterThanUpperThreshold"))).EvaluateAlarms(t0); err == nil {
		t.Error("an anomaly-detection operator was evaluated as if imitated")
	}
}

func TestMetricFilterValues(t *testing.T) {
	filter := func(mt map[string]any) func(map[string]map[string]any) {
		return func(p map[string]map[string]any) { p[awstypes.LogMetricFilter]["metricTransformation"] = mt }
	}
	benign := src.BenignCall(t0.Add(time.Minute))
	a, _, _ := run(t, world(filter(map[string]any{"name": "Denied", "namespace": "Audit", "value": "1", "defaultValue": "0"})), benign)
	if len(a.points) != 1 || a.points[0].Value != 0 {
		t.Errorf("a non-matching event with defaultValue 0 gave %v, want one 0 data point", a.points)
	}
	a, _, _ = run(t, world(nil), benign)
	if len(a.points) != 0 {
		t.Errorf("a non-matching event without defaultValue gave %v", a.points)
	}
	a, _, _ = run(t, world(filter(map[string]any{"name": "Denied", "namespace": "Audit", "value": "$.eventVersion"})), src.AccessDeniedCall(t0.Add(time.Minute)))
	if len(a.points) != 1 || a.points[0].Value != 1.09 {
		t.Errorf("a $.field metric value gave %v, want 1.09", a.points)
	}
}
