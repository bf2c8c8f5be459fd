package rules

import "strings"

// deniesInsecureTransport reports whether a statement denies requests made
// without TLS (aws:SecureTransport false) for S3 actions.
func deniesInsecureTransport(s Statement) bool {
	if !strings.EqualFold(s.Effect, "Deny") || !s.Principal.Public() {
		return false
	}
	if !anyActionMatches(s.Actions, "s3:GetObject") || !anyActionMatches(s.Actions, "s3:PutObject") {
		return false
	}
	values, ok := s.ConditionKey("aws:SecureTransport")
	return ok && len(values) == 1 && strings.EqualFold(values[0], "false")
}

func judgeTLSPolicy(v Value, what string) Result {
	doc, state := parsePolicy(v)
	if res, ok := policyResult(state, what, true); !ok {
		return res
	}
	for _, s := range doc.Statements {
		if deniesInsecureTransport(s) {
			return Pass()
		}
	}
	return Violation("the bucket policy has no statement denying s3:* to * when aws:SecureTransport is false")
}

func s3004() Rule {
	aspect := bucketAspect{
		what:       "bucket policy denying non-TLS requests",
		companions: []string{typeBucketPolicy, typeNativeBktPolicy},
		inline: func(b Resource) (Result, bool) {
			v := b.Props.Get("policy")
			if !v.Present() || v.String() == "" && !v.Unknown() {
				return Result{}, false
			}
			return judgeTLSPolicy(v, "policy"), true
		},
		judge: func(c Resource) Result {
			if c.Type == typeNativeBktPolicy {
				return judgeTLSPolicy(c.Props.Get("policyDocument"), "policyDocument")
			}
			return judgeTLSPolicy(c.Props.Get("policy"), "policy")
		},
	}
	return Rule{
		ID:          "MLP-S3-004",
		Name:        "s3-tls-only",
		Description: "The bucket policy denies every request not made over TLS.",
		Severity:    SeverityHigh,
		Enforcement: Mandatory,
		Remediation: "Add a bucket policy statement: Deny s3:* to Principal * on the bucket and its objects when aws:SecureTransport is false.",
		Peers:       Peers{Checkov: []string{"CKV_AWS_379"}, CDKNag: []string{"AwsSolutions-S10"}, SecurityHub: []string{"S3.5"}},
		Applies:     aspect.applies,
		Check:       aspect.check,
	}
}
