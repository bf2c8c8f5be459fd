package rules

import (
	"fmt"
	"regexp"
	"strings"
)

// identityPolicy is one identity policy document attached to a resource.
type identityPolicy struct {
	where string
	doc   PolicyDocument
}

// inlinePolicyShape says where a role type lists its inline policies.
type inlinePolicyShape struct{ list, name, document string }

var inlinePolicyShapes = map[string]inlinePolicyShape{
	typeRole:       {list: "inlinePolicies", name: "name", document: "policy"},
	typeNativeRole: {list: "policies", name: "policyName", document: "policyDocument"},
}

// identityPolicies returns the identity policy documents a role, managed
// policy or inline role policy carries. A non-pass res means stop with it
// (a document still unknown, or one that is not a policy).
func identityPolicies(r Resource) (docs []identityPolicy, res Result) {
	add := func(where string, v Value) bool {
		doc, state := parsePolicy(v)
		if out, ok := policyResult(state, where, false); !ok {
			if out.Status != StatusPass {
				res = out
				return false
			}
			return true
		}
		docs = append(docs, identityPolicy{where: where, doc: doc})
		return true
	}
	shape, isRole := inlinePolicyShapes[r.Type]
	if !isRole {
		if !add("policy", r.Props.Get("policy")) {
			return nil, res
		}
		return docs, Pass()
	}
	if v := r.Props.Get(shape.list); v.Unknown() {
		return nil, CannotJudge(shape.list)
	}
	for i, p := range r.Props.List(shape.list) {
		if !add(fmt.Sprintf("%s[%d] %s", shape.list, i, p.Object().String(shape.name)), p.Object().Get(shape.document)) {
			return nil, res
		}
	}
	return docs, Pass()
}

// identityPolicyTypes carry identity policies.
var identityPolicyTypes = []string{typeRole, typeNativeRole, typePolicy, typeRolePolicy}

// checkStatements runs judge over every statement of every identity policy.
func checkStatements(r Resource, judge func(s Statement, p *problems, where string)) Result {
	docs, res := identityPolicies(r)
	if res.Status != StatusPass {
		return res
	}
	var p problems
	for _, d := range docs {
		for i, s := range d.doc.Statements {
			judge(s, &p, fmt.Sprintf("%s statement %d", d.where, i))
		}
	}
	return p.result()
}

// unscopableActions need Resource "*": AWS offers no resource-level
// permission for them. Actions named List* or Describe* are treated the same
// (account-wide reads).
var unscopableActions = map[string]bool{
	"sts:getcalleridentity": true, "ecr:getauthorizationtoken": true, "s3:listallmybuckets": true,
	"cloudwatch:putmetricdata": true, "cloudwatch:getmetricdata": true, "cloudwatch:getmetricstatistics": true,
	"ec2:createnetworkinterface": true, "ec2:deletenetworkinterface": true,
	"xray:puttracesegments": true, "xray:puttelemetryrecords": true, "kms:createkey": true,
	"sagemaker:search": true, "iam:getaccountpasswordpolicy": true,
	"codestar-connections:listconnections": true, "tag:getresources": true,
}

var accountWideVerb = regexp.MustCompile(`(?i)^[a-z0-9-]+:(list|describe)`)

// needsResourceScope reports whether an action supports resource-level scoping.
func needsResourceScope(action string) bool {
	a := strings.ToLower(action)
	if unscopableActions[a] || accountWideVerb.MatchString(a) {
		return false
	}
	return true
}

// trustPolicyPath is where a role type keeps its trust policy.
func trustPolicyPath(r Resource) string {
	if r.Type == typeNativeRole {
		return "assumeRolePolicyDocument"
	}
	return "assumeRolePolicy"
}
