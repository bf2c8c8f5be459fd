package rules

import (
	"strings"
)

// S3 rules judge a bucket together with the split resources that configure
// it (encryption, public access block, versioning, ownership, policy, ACL):
// judging the bucket resource alone gives false passes.

func isBucket(r Resource) bool {
	return r.Type == typeBucket || r.Type == typeBucketV2 || r.Type == typeNativeBucket
}

// bucketRefs are the strings by which a split resource may name a bucket.
func bucketRefs(b Resource) []string {
	var refs []string
	for _, path := range []string{"bucket", "bucketName", "id", "arn"} {
		if s := b.Props.String(path); s != "" {
			refs = append(refs, s)
		}
	}
	return append(refs, b.Name, b.URN)
}

// refersTo reports whether a split resource's bucket input names b (by name,
// id, ARN, logical name or URN).
func refersTo(ref string, b Resource) bool {
	for _, r := range bucketRefs(b) {
		if ref == r || strings.HasSuffix(ref, ":::"+r) {
			return true
		}
	}
	return false
}

// companionsOf returns the split resources of the given types that configure
// bucket b, and whether some of them name a bucket that is still unknown (and
// so may be b).
func companionsOf(b Resource, s Stack, types ...string) (mine []Resource, pending bool) {
	for _, c := range s.OfType(types...) {
		ref := c.Props.Get("bucket")
		switch {
		case ref.Unknown():
			pending = true
		case refersTo(ref.String(), b):
			mine = append(mine, c)
		}
	}
	return mine, pending
}

// linkedToBucket reports whether a split resource's bucket is in the stack.
func linkedToBucket(c Resource, s Stack) bool {
	ref := c.Props.Get("bucket")
	if ref.Unknown() {
		return false
	}
	for _, b := range s.Resources {
		if isBucket(b) && refersTo(ref.String(), b) {
			return true
		}
	}
	return false
}

// bucketAspect is one S3 requirement that can be met inline on the bucket or
// by split resources of the companion types.
type bucketAspect struct {
	what       string
	companions []string
	// inline judges the bucket's own properties; ok=false when the bucket
	// does not configure this aspect itself.
	inline func(b Resource) (res Result, ok bool)
	// judge judges one split resource on its own.
	judge func(c Resource) Result
}

// applies selects the buckets and the companion types.
func (a bucketAspect) applies(r Resource) bool {
	return isBucket(r) || ofTypes(a.companions...)(r)
}

func (a bucketAspect) check(r Resource, s Stack) Result {
	if !isBucket(r) {
		// A split resource is judged with its bucket when the bucket is here.
		if s.Partial || !linkedToBucket(r, s) {
			return a.judge(r)
		}
		return Pass()
	}
	// A split resource names the bucket, so it is applied after it: what it
	// configures is what the bucket ends with. The bucket's own property is
	// judged only when no split resource configures the aspect — after apply
	// it holds what AWS reported when the bucket was created (the provider
	// reads versioning and encryption back into these attributes), not the
	// final state.
	var results []Result
	mine, pending := companionsOf(r, s, a.companions...)
	for _, c := range mine {
		results = append(results, a.judge(c))
	}
	if len(results) == 0 && a.inline != nil {
		if res, ok := a.inline(r); ok {
			results = append(results, res)
		}
	}
	if len(results) == 0 {
		if pending || s.Partial {
			return Result{Status: StatusUnknown, Message: "cannot judge yet: " + a.what + " may be set by a separate resource whose bucket is not known yet; re-checked with the whole stack"}
		}
		return Violation("no %s: neither the bucket nor a split resource configures it", a.what)
	}
	return worst(results)
}

// worst combines judgements: any violation wins, then unknown, then pass.
func worst(results []Result) Result {
	var p problems
	unknown := Pass()
	for _, r := range results {
		switch r.Status {
		case StatusViolation:
			p = append(p, r.Message)
		case StatusUnknown:
			unknown = r
		}
	}
	if len(p) > 0 {
		return p.result()
	}
	return unknown
}

// sseDefaults returns the default-encryption blocks a bucket or an encryption
// configuration declares, in any of the provider shapes; present reports
// whether the resource has an encryption property at all.
func sseDefaults(r Resource) (defaults []Props, present bool, unknownPath string) {
	var roots []string
	switch r.Type {
	case typeBucket:
		roots = []string{"serverSideEncryptionConfiguration"}
	case typeBucketV2:
		roots = []string{"serverSideEncryptionConfigurations"}
	case typeNativeBucket:
		roots = []string{"bucketEncryption"}
	default:
		roots = []string{"rules"}
	}
	if p, unknown := r.Props.UnknownAt(roots...); unknown {
		return nil, true, p
	}
	if !r.Props.Has(roots[0]) {
		return nil, false, ""
	}
	switch r.Type {
	case typeBucket:
		if d := r.Props.Get("serverSideEncryptionConfiguration.rule.applyServerSideEncryptionByDefault").Object(); d != nil {
			defaults = append(defaults, d)
		}
	case typeBucketV2:
		for _, c := range r.Props.List("serverSideEncryptionConfigurations") {
			for _, rule := range c.Object().List("rules") {
				for _, d := range rule.Object().List("applyServerSideEncryptionByDefaults") {
					defaults = append(defaults, d.Object())
				}
			}
		}
	case typeNativeBucket:
		for _, c := range r.Props.List("bucketEncryption.serverSideEncryptionConfiguration") {
			if d := c.Object().Get("serverSideEncryptionByDefault").Object(); d != nil {
				defaults = append(defaults, d)
			}
		}
	default:
		for _, rule := range r.Props.List("rules") {
			if d := rule.Object().Get("applyServerSideEncryptionByDefault").Object(); d != nil {
				defaults = append(defaults, d)
			}
		}
	}
	return defaults, true, ""
}

// sseAspect builds the encryption requirement; judgeDefault judges one
// default-encryption block.
func sseAspect(what string, judgeDefault func(d Props) Result) bucketAspect {
	judge := func(r Resource) Result {
		defaults, present, unknownPath := sseDefaults(r)
		switch {
		case unknownPath != "":
			return CannotJudge(unknownPath)
		case !present:
			return Violation("no %s", what)
		case len(defaults) == 0:
			return Violation("the encryption configuration has no default encryption rule")
		}
		var results []Result
		for _, d := range defaults {
			results = append(results, judgeDefault(d))
		}
		return worst(results)
	}
	return bucketAspect{
		what:       what,
		companions: []string{typeBucketSSE},
		inline: func(b Resource) (Result, bool) {
			if _, present, unknownPath := sseDefaults(b); !present && unknownPath == "" {
				return Result{}, false
			}
			return judge(b), true
		},
		judge: judge,
	}
}

// awsManagedKey reports whether a key reference is an AWS managed key alias
// (alias/aws/...), not a customer managed key.
func awsManagedKey(ref string) bool { return strings.Contains(ref, "alias/aws/") }
