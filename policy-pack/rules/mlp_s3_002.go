package rules

func s3002() Rule {
	aspect := sseAspect("SSE-KMS encryption with a customer managed key", func(d Props) Result {
		if p, unknown := d.UnknownAt("sseAlgorithm", "kmsMasterKeyId"); unknown {
			return CannotJudge(p)
		}
		alg, key := d.String("sseAlgorithm"), d.String("kmsMasterKeyId")
		switch {
		case alg != "aws:kms" && alg != "aws:kms:dsse":
			return Violation("default encryption is %q, not SSE-KMS", alg)
		case key == "":
			return Violation("SSE-KMS uses the AWS managed key (no kmsMasterKeyId)")
		case awsManagedKey(key):
			return Violation("SSE-KMS uses the AWS managed key %s", key)
		}
		return Pass()
	})
	return Rule{
		ID:          "MLP-S3-002",
		Name:        "s3-bucket-cmk",
		Description: "Enterprise buckets are encrypted with SSE-KMS under a customer managed key.",
		Severity:    SeverityHigh,
		Enforcement: Mandatory,
		Remediation: "Set sseAlgorithm aws:kms and kmsMasterKeyId to the product's customer managed key.",
		Peers:       Peers{Checkov: []string{"CKV_AWS_145"}, Trivy: []string{"AVD-AWS-0132"}, SecurityHub: []string{"S3.17"}},
		Applies:     ofTypes(typeBucket, typeBucketV2, typeNativeBucket),
		Check: func(r Resource, s Stack) Result {
			if res, ok := tierGate(r, customerManagedKey); !ok {
				return res
			}
			return aspect.check(r, s)
		},
	}
}
