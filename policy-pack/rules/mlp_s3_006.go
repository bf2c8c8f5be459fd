package rules

import "strings"

// publicCannedACLs are the canned ACLs that open a bucket (pulumi-aws and
// aws-native spellings).
var publicCannedACLs = map[string]bool{
	"public-read": true, "public-read-write": true, "authenticated-read": true,
	"PublicRead": true, "PublicReadWrite": true, "AuthenticatedRead": true,
}

// publicGranteeGroups are the ACL grantee group URIs meaning "everyone".
var publicGranteeGroups = []string{"acs.amazonaws.com/groups/global/AllUsers", "acs.amazonaws.com/groups/global/AuthenticatedUsers"}

func publicGrantee(uri string) bool {
	for _, g := range publicGranteeGroups {
		if strings.HasSuffix(uri, g) {
			return true
		}
	}
	return false
}

// judgeACL finds public canned ACLs and public grants on a bucket or a
// BucketAclV2.
func judgeACL(r Resource) Result {
	if p, unknown := r.Props.UnknownAt("acl", "accessControl", "grants", "accessControlPolicy"); unknown {
		return CannotJudge(p)
	}
	var p problems
	for _, path := range []string{"acl", "accessControl"} {
		if acl := r.Props.String(path); publicCannedACLs[acl] {
			p.add("%s is the public canned ACL %q", path, acl)
		}
	}
	for _, g := range r.Props.List("grants") {
		if publicGrantee(g.Object().String("uri")) {
			p.add("a grant gives access to %s", g.Object().String("uri"))
		}
	}
	for _, g := range r.Props.List("accessControlPolicy.grants") {
		if uri := g.Object().String("grantee.uri"); publicGrantee(uri) {
			p.add("an access control policy grant gives access to %s", uri)
		}
	}
	return p.result()
}

func judgeOwnership(objectOwnership Value, path string) Result {
	if objectOwnership.Unknown() {
		return CannotJudge(path)
	}
	if o := objectOwnership.String(); o != "BucketOwnerEnforced" {
		return Violation("object ownership is %q, not BucketOwnerEnforced (ACLs stay enabled)", o)
	}
	return Pass()
}

func s3006() Rule {
	ownership := bucketAspect{
		what:       "ownership controls with BucketOwnerEnforced",
		companions: []string{typeBucketOwnership},
		inline: func(b Resource) (Result, bool) {
			const path = "ownershipControls.rules.0.objectOwnership"
			v := b.Props.Get(path)
			if !v.Present() {
				return Result{}, false
			}
			return judgeOwnership(v, path), true
		},
		judge: func(c Resource) Result {
			return judgeOwnership(c.Props.Get("rule.objectOwnership"), "rule.objectOwnership")
		},
	}
	return Rule{
		ID:          "MLP-S3-006",
		Name:        "s3-acls-disabled",
		Description: "Bucket ACLs are disabled (object ownership BucketOwnerEnforced) and no ACL grants public access.",
		Severity:    SeverityHigh,
		Enforcement: Mandatory,
		Remediation: "Add BucketOwnershipControls with objectOwnership BucketOwnerEnforced and remove public ACLs and grants.",
		Peers:       Peers{Checkov: []string{"CKV2_AWS_65"}, SecurityHub: []string{"S3.12"}},
		Applies: func(r Resource) bool {
			return ownership.applies(r) || r.Type == typeBucketACL
		},
		Check: func(r Resource, s Stack) Result {
			if r.Type == typeBucketACL {
				if s.Partial || !linkedToBucket(r, s) {
					return judgeACL(r)
				}
				return Pass()
			}
			results := []Result{ownership.check(r, s)}
			if isBucket(r) {
				results = append(results, judgeACL(r))
				acls, _ := companionsOf(r, s, typeBucketACL)
				for _, c := range acls {
					results = append(results, judgeACL(c))
				}
			}
			return worst(results)
		},
	}
}
