package filterpattern

import "testing"

// The example events and patterns of AWS's "Filter pattern syntax" page
// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html,
// "Using filter patterns to match terms in JSON log events"), with the
// results the page states.
const docEvent = `{
  "eventType": "UpdateTrail",
  "sourceIPAddress": "111.111.111.111",
  "arrayKey": ["value", "another value"],
  "objectList": [{"name": "a", "id": 1}, {"name": "b", "id": 2}],
  "SomeObject": null,
  "ThisFlag": true
}`

const docCompoundEvent = `{
  "user": {"id": 1, "email": "John.Stiles@example.com"},
  "users": [{"id": 2, "email": "John.Doe@example.com"}, {"id": 3, "email": "Jane.Doe@example.com"}],
  "actions": ["GET", "PUT", "DELETE"],
  "coordinates": [[0, 1], [4, 5]]
}`

func TestDocumentedJSONPatterns(t *testing.T) {
	cases := []struct {
		event, pattern string
		want           bool
	}{
		{docEvent, `{ $.eventType = "UpdateTrail" }`, true},
		{docEvent, `{ $.eventType = "Update*" }`, true},
		{docEvent, `{ $.eventType = "CreateTrail" }`, false},
		{docEvent, `{ $.sourceIPAddress != 123.123.* }`, true},
		{docEvent, `{ $.sourceIPAddress != 111.111.* }`, false},
		{docEvent, `{ $.arrayKey[0] = "value" }`, true},
		{docEvent, `{ $.arrayKey[1] = "value" }`, false},
		{docEvent, `{ $.objectList[1].id = 2 }`, true},
		{docEvent, `{ $.objectList[1].id > 1 }`, true},
		{docEvent, `{ $.objectList[1].id < 2 }`, false},
		{docEvent, `{ $.SomeObject IS NULL }`, true},
		{docEvent, `{ $.SomeOtherObject NOT EXISTS }`, true},
		{docEvent, `{ $.SomeObject NOT EXISTS }`, false},
		{docEvent, `{ $.ThisFlag IS TRUE }`, true},
		{docEvent, `{ $.ThisFlag IS FALSE }`, false},
		{docCompoundEvent, `{ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") }`, true},
		{docCompoundEvent, `{ ($.user.id = 2 && $.users[0].email = "nonmatch") || $.actions[2] = "GET" }`, false},
		{docCompoundEvent, `{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch && $.actions[2] = nomatch }`, true},
		{docCompoundEvent, `{ ($.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch) && $.actions[2] = nomatch }`, false},
		{docCompoundEvent, `{ $.coordinates[1][0] = 4 }`, true},
		// A comparison on a missing property is false, even !=.
		{docEvent, `{ $.missing != "x" }`, false},
		// A JSON pattern never matches a non-JSON event.
		{"plain text ERROR", `{ $.eventType = "UpdateTrail" }`, false},
	}
	for _, c := range cases {
		got, err := Match(c.pattern, c.event)
		if err != nil {
			t.Fatalf("%s: %v", c.pattern, err)
		}
		if got != c.want {
			t.Errorf("%s = %v, want %v", c.pattern, got, c.want)
		}
	}
}

// Term patterns, from the page's "Matching terms in unstructured log events".
func TestDocumentedTermPatterns(t *testing.T) {
	const event = `[ERROR 400] BAD REQUEST`
	cases := []struct {
		pattern string
		want    bool
	}{
		{``, true},
		{`ERROR`, true},
		{`ERROR ARGUMENTS`, false},
		{`"BAD REQUEST"`, true},
		{`?ERROR ?WARN`, true},
		{`?WARN ?INFO`, false},
		{`ERROR -REQUEST`, false},
		{`ERROR -Exception`, true},
	}
	for _, c := range cases {
		got, err := Match(c.pattern, event)
		if err != nil {
			t.Fatalf("%q: %v", c.pattern, err)
		}
		if got != c.want {
			t.Errorf("%q = %v, want %v", c.pattern, got, c.want)
		}
	}
}

func TestInvalidPatterns(t *testing.T) {
	for _, p := range []string{
		`{ $.a = "x" `,
		`{ $.a = }`,
		`{ a = "x" }`,
		`{ ($.a = "x" }`,
		`{ $.a IS MAYBE }`,
		`{ $.a[x] = 1 }`,
		`{ $.a = "unterminated }`,
		`{ $.a = 1 $.b = 2 }`,
	} {
		if _, err := Compile(p); err == nil {
			t.Errorf("Compile(%s) accepted an invalid pattern", p)
		}
	}
}

// The CloudTrail alarm patterns AWS documents, judged against CloudTrail
// records: "Creating CloudWatch alarms for CloudTrail events: examples"
// (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudwatch-alarms-for-cloudtrail.html)
// and Security Hub's CloudWatch.1 root-usage filter
// (https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html#cloudwatch-1).
// Each pattern's documented purpose decides the expected result.
func TestDocumentedCloudTrailAlarmPatterns(t *testing.T) {
	const (
		authorizationFailures = `{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }`
		consoleSignInFailures = `{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }`
		iamPolicyChanges      = `{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=PutRolePolicy)||($.eventName=AttachRolePolicy)}`
		rootUsage             = `{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType !="AwsServiceEvent"}`
	)
	record := func(fields string) string {
		return `{"eventVersion":"1.09","eventTime":"2026-12-01T12:00:00Z","awsRegion":"us-east-1",` + fields + `}`
	}
	var (
		ec2Unauthorized = record(`"eventSource":"ec2.amazonaws.com","eventName":"RunInstances","errorCode":"Client.UnauthorizedOperation","userIdentity":{"type":"IAMUser"},"eventType":"AwsApiCall"`)
		s3Denied        = record(`"eventSource":"s3.amazonaws.com","eventName":"GetObject","errorCode":"AccessDenied","userIdentity":{"type":"IAMUser"},"eventType":"AwsApiCall"`)
		kmsDenied       = record(`"eventSource":"kms.amazonaws.com","eventName":"Decrypt","errorCode":"AccessDeniedException","userIdentity":{"type":"AssumedRole"},"eventType":"AwsApiCall"`)
		throttled       = record(`"eventSource":"ec2.amazonaws.com","eventName":"DescribeInstances","errorCode":"ThrottlingException","userIdentity":{"type":"IAMUser"},"eventType":"AwsApiCall"`)
		failedSignIn    = record(`"eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","errorMessage":"Failed authentication","userIdentity":{"type":"IAMUser"},"eventType":"AwsConsoleSignIn","responseElements":{"ConsoleLogin":"Failure"}`)
		goodSignIn      = record(`"eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","userIdentity":{"type":"IAMUser"},"eventType":"AwsConsoleSignIn","responseElements":{"ConsoleLogin":"Success"}`)
		rootSignIn      = record(`"eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","userIdentity":{"type":"Root","arn":"arn:aws:iam::111122223333:root"},"eventType":"AwsConsoleSignIn"`)
		rootViaService  = record(`"eventSource":"s3.amazonaws.com","eventName":"PutObject","userIdentity":{"type":"Root","invokedBy":"cloudtrail.amazonaws.com"},"eventType":"AwsApiCall"`)
		rootServiceEvt  = record(`"eventSource":"health.amazonaws.com","eventName":"AWSHealthEvent","userIdentity":{"type":"Root"},"eventType":"AwsServiceEvent"`)
		putRolePolicy   = record(`"eventSource":"iam.amazonaws.com","eventName":"PutRolePolicy","userIdentity":{"type":"IAMUser"},"eventType":"AwsApiCall"`)
		getRolePolicy   = record(`"eventSource":"iam.amazonaws.com","eventName":"GetRolePolicy","userIdentity":{"type":"IAMUser"},"eventType":"AwsApiCall"`)
	)
	cases := []struct {
		pattern, event string
		want           bool
	}{
		{authorizationFailures, ec2Unauthorized, true},
		{authorizationFailures, s3Denied, true},
		{authorizationFailures, kmsDenied, true},
		{authorizationFailures, throttled, false},
		{authorizationFailures, goodSignIn, false},
		{consoleSignInFailures, failedSignIn, true},
		{consoleSignInFailures, goodSignIn, false},
		{iamPolicyChanges, putRolePolicy, true},
		{iamPolicyChanges, getRolePolicy, false},
		{rootUsage, rootSignIn, true},
		{rootUsage, rootViaService, false},
		{rootUsage, rootServiceEvt, false},
		{rootUsage, goodSignIn, false},
	}
	for _, c := range cases {
		got, err := Match(c.pattern, c.event)
		if err != nil {
			t.Fatalf("%s: %v", c.pattern, err)
		}
		if got != c.want {
			t.Errorf("%s on %s = %v, want %v", c.pattern, c.event, got, c.want)
		}
	}
}

func TestExtractReadsANumberOfTheEvent(t *testing.T) {
	for _, c := range []struct {
		selector string
		want     float64
		ok       bool
	}{
		{"$.objectList[1].id", 2, true},
		{"$.eventType", 0, false},
		{"$.missing", 0, false},
		{"not-a-selector", 0, false},
	} {
		got, ok := Extract(c.selector, docEvent)
		if got != c.want || ok != c.ok {
			t.Errorf("Extract(%s) = %v, %v; want %v, %v", c.selector, got, ok, c.want, c.ok)
		}
	}
}
