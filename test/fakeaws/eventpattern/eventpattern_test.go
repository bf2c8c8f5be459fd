package eventpattern

import "testing"

// ec2Event is the example event of AWS's "Amazon EventBridge event patterns"
// page (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html),
// extended with the fields the content-filtering page's examples filter on
// (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html).
const ec2Event = `{
  "version": "0",
  "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
  "detail-type": "EC2 Instance State-change Notification",
  "source": "aws.ec2",
  "account": "111122223333",
  "time": "2017-12-22T18:43:48Z",
  "region": "us-west-1",
  "resources": ["arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0"],
  "detail": {
    "instance-id": "i-1234567890abcdef0",
    "state": "terminated",
    "c-count": 5,
    "d-count": 3,
    "x-limit": 301.8,
    "source-ip": "10.0.0.123",
    "FileName": "image.PNG",
    "FilePath": "/usr/lib/libc.so",
    "Region": "eu-west-1",
    "lastName": "",
    "middleName": null,
    "tags": ["blue", "green"]
  }
}`

func TestDocumentedOperators(t *testing.T) {
	cases := []struct {
		name, pattern string
		want          bool
	}{
		// Exact match, AND across fields, OR across values.
		{"exact", `{"source":["aws.ec2"],"detail":{"state":["terminated"]}}`, true},
		{"exact-other-value", `{"source":["aws.ec2"],"detail":{"state":["running"]}}`, false},
		{"or-within-field", `{"detail":{"state":["running","terminated"]}}`, true},
		{"and-one-field-fails", `{"source":["aws.ec2"],"detail-type":["Other"]}`, false},
		{"missing-field", `{"detail":{"nothere":["x"]}}`, false},
		// Matching values in arrays: any element of the event array.
		{"array-resources", `{"resources":["arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f","arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0"]}`, true},
		{"array-element", `{"detail":{"tags":["green"]}}`, true},
		{"array-no-element", `{"detail":{"tags":["red"]}}`, false},
		// Prefix / suffix, and their ignore-case forms.
		{"prefix", `{"time":[{"prefix":"2017-12-22"}]}`, true},
		{"prefix-miss", `{"time":[{"prefix":"2017-10-02"}]}`, false},
		{"prefix-ignore-case", `{"source":[{"prefix":{"equals-ignore-case":"AWS.E"}}]}`, true},
		{"suffix-case-sensitive", `{"detail":{"FileName":[{"suffix":".png"}]}}`, false},
		{"suffix-ignore-case", `{"detail":{"FileName":[{"suffix":{"equals-ignore-case":".png"}}]}}`, true},
		{"equals-ignore-case", `{"detail":{"state":[{"equals-ignore-case":"TERMINATED"}]}}`, true},
		// Anything-but and its forms.
		{"anything-but-string", `{"detail":{"state":[{"anything-but":"initializing"}]}}`, true},
		{"anything-but-same", `{"detail":{"state":[{"anything-but":"terminated"}]}}`, false},
		{"anything-but-number", `{"detail":{"c-count":[{"anything-but":5}]}}`, false},
		{"anything-but-number-other", `{"detail":{"c-count":[{"anything-but":123}]}}`, true},
		{"anything-but-list", `{"detail":{"state":[{"anything-but":["stopped","terminated"]}]}}`, false},
		{"anything-but-absent-field", `{"detail":{"nothere":[{"anything-but":"x"}]}}`, false},
		{"anything-but-prefix", `{"detail":{"Region":[{"anything-but":{"prefix":"us-"}}]}}`, true},
		{"anything-but-prefix-hit", `{"detail":{"Region":[{"anything-but":{"prefix":"eu-"}}]}}`, false},
		{"anything-but-suffix", `{"detail":{"FileName":[{"anything-but":{"suffix":".png"}}]}}`, true},
		{"anything-but-ignore-case", `{"detail":{"state":[{"anything-but":{"equals-ignore-case":"TERMINATED"}}]}}`, false},
		{"anything-but-wildcard", `{"detail":{"FilePath":[{"anything-but":{"wildcard":"*/lib/*"}}]}}`, false},
		// Numeric.
		{"numeric-range", `{"detail":{"c-count":[{"numeric":[">",0,"<=",5]}]}}`, true},
		{"numeric-range-miss", `{"detail":{"c-count":[{"numeric":[">",5,"<=",10]}]}}`, false},
		{"numeric-lt", `{"detail":{"d-count":[{"numeric":["<",10]}]}}`, true},
		{"numeric-equals-exponent", `{"detail":{"x-limit":[{"numeric":["=",3.018e2]}]}}`, true},
		{"numeric-on-string", `{"detail":{"state":[{"numeric":[">",0]}]}}`, false},
		// Exists.
		{"exists-true", `{"detail":{"state":[{"exists":true}]}}`, true},
		{"exists-false-present", `{"detail":{"state":[{"exists":false}]}}`, false},
		{"exists-false-absent", `{"detail":{"nothere":[{"exists":false}]}}`, true},
		{"exists-intermediate-node", `{"detail":[{"exists":true}]}`, false}, // leaf nodes only
		// IP address (cidr).
		{"cidr", `{"detail":{"source-ip":[{"cidr":"10.0.0.0/24"}]}}`, true},
		{"cidr-miss", `{"detail":{"source-ip":[{"cidr":"10.0.1.0/24"}]}}`, false},
		// Empty string and null.
		{"empty-string", `{"detail":{"lastName":[""]}}`, true},
		{"null", `{"detail":{"middleName":[null]}}`, true},
		{"null-is-not-empty", `{"detail":{"middleName":[""]}}`, false},
		// Wildcard.
		{"wildcard", `{"detail":{"FilePath":[{"wildcard":"/usr/*/libc.*"}]}}`, true},
		{"wildcard-miss", `{"detail":{"FilePath":[{"wildcard":"/opt/*"}]}}`, false},
		{"wildcard-escaped-star", `{"detail":{"state":[{"wildcard":"termin\\*"}]}}`, false},
		// $or.
		{"or", `{"$or":[{"detail":{"c-count":[{"numeric":[">",10]}]}},{"detail":{"d-count":[{"numeric":["<",10]}]}}]}`, true},
		{"or-none", `{"$or":[{"detail":{"c-count":[{"numeric":[">",10]}]}},{"source":["aws.s3"]}]}`, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Match(c.pattern, ec2Event)
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Errorf("Match(%s) = %v, want %v", c.pattern, got, c.want)
			}
		})
	}
}

// TestInvalidPatterns: PutRule rejects these (InvalidEventPatternException).
func TestInvalidPatterns(t *testing.T) {
	for _, p := range []string{
		`["aws.ec2"]`,
		`{"source":"aws.ec2"}`,
		`{"source":[]}`,
		`{"source":[{"prefix":1}]}`,
		`{"source":[{"unknown-op":"x"}]}`,
		`{"source":[{"prefix":"a","suffix":"b"}]}`,
		`{"n":[{"numeric":[">",5,"<",1]}]}`,
		`{"n":[{"numeric":["!=",5]}]}`,
		`{"n":[{"anything-but":["a",1]}]}`,
		`{"n":[{"cidr":"10.0.0.0/33"}]}`,
		`{"n":[{"wildcard":"a**b"}]}`,
		`{"n":[{"exists":"yes"}]}`,
		`{"$or":[{"a":["b"]}]}`,
		`not json`,
	} {
		if _, err := Compile(p); err == nil {
			t.Errorf("Compile(%s) accepted an invalid pattern", p)
		}
	}
}

func TestWildcard(t *testing.T) {
	cases := []struct {
		pattern, value string
		want           bool
	}{
		{"*", "", true}, {"*", "anything", true},
		{"a*", "abc", true}, {"a*", "ba", false},
		{"*c", "abc", true}, {"*c", "abcd", false},
		{"a*c*e", "abcde", true}, {"a*c*e", "ace", true}, {"a*c*e", "acd", false},
		{"ab*ab", "ab", false}, {"ab*ab", "abab", true},
		{`a\*b`, "a*b", true}, {`a\*b`, "axb", false},
		{"exact", "exact", true}, {"exact", "exactly", false},
	}
	for _, c := range cases {
		tokens, err := wildcardTokens(c.pattern, "t")
		if err != nil {
			t.Fatal(err)
		}
		if got := wildcardMatch(tokens, c.value); got != c.want {
			t.Errorf("wildcard %q on %q = %v, want %v", c.pattern, c.value, got, c.want)
		}
	}
}
