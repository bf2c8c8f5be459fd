// Package policydoc is the IAM policy document shape every component writes
// (role, boundary, key, bucket, topic and endpoint policies), so documents
// are built as typed values and rendered to JSON in one way.
package policydoc

import (
	"encoding/json"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Version is the IAM policy language version.
const Version = "2012-10-17"

// Document is an IAM policy document.
type Document struct {
	Version   string      `json:"Version"`
	Statement []Statement `json:"Statement"`
}

// Statement is one policy statement. Principal is nil in identity policies.
type Statement struct {
	Sid       string     `json:"Sid,omitempty"`
	Effect    string     `json:"Effect"`
	Principal *Principal `json:"Principal,omitempty"`
	Action    []string   `json:"Action"`
	Resource  []string   `json:"Resource,omitempty"`
	Condition Condition  `json:"Condition,omitempty"`
}

// Principal names who a resource policy applies to.
type Principal struct {
	AWS     []string `json:"AWS,omitempty"`
	Service []string `json:"Service,omitempty"`
}

// Condition is operator → key → values.
type Condition map[string]map[string][]string

// New returns a document of the given statements.
func New(statements ...Statement) Document {
	return Document{Version: Version, Statement: statements}
}

// Allow is an Allow statement of actions on resources.
func Allow(sid string, actions, resources []string) Statement {
	return Statement{Sid: sid, Effect: "Allow", Action: actions, Resource: resources}
}

// When returns s with one more condition.
func (s Statement) When(operator, key string, values ...string) Statement {
	c := Condition{}
	for op, kv := range s.Condition {
		c[op] = map[string][]string{}
		for k, v := range kv {
			c[op][k] = v
		}
	}
	if c[operator] == nil {
		c[operator] = map[string][]string{}
	}
	c[operator][key] = values
	s.Condition = c
	return s
}

// For returns s with a principal.
func (s Statement) For(p Principal) Statement {
	s.Principal = &p
	return s
}

// JSON renders the document. The shape is fixed Go data, so marshalling
// cannot fail.
func (d Document) JSON() string {
	b, err := json.Marshal(d)
	if err != nil {
		panic("policydoc: " + err.Error()) // unreachable: only strings, slices and maps
	}
	return string(b)
}

// Output renders the document once every ARN it depends on is known; build
// fills in the document from the resolved values (in order).
func Output(values pulumi.StringArrayInput, build func(resolved []string) Document) pulumi.StringOutput {
	return values.ToStringArrayOutput().ApplyT(func(v []string) string {
		return build(v).JSON()
	}).(pulumi.StringOutput)
}
