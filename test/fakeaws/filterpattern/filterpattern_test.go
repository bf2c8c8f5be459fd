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
