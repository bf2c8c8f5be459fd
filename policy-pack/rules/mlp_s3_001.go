package rules

// sseAlgorithms are the server-side encryption algorithms S3 accepts.
var sseAlgorithms = map[string]bool{"AES256": true, "aws:kms": true, "aws:kms:dsse": true}

func s3001() Rule {
	aspect := sseAspect("server-side encryption", func(d Props) Result {
		if p, unknown := d.UnknownAt("sseAlgorithm"); unknown {
			return CannotJudge(p)
		}
		if alg := d.String("sseAlgorithm"); !sseAlgorithms[alg] {
			return Violation("default encryption algorithm %q is not AES256, aws:kms or aws:kms:dsse", alg)
		}
		return Pass()
	})
	return Rule{
		ID:          "MLP-S3-001",
		Name:        "s3-bucket-encrypted",
		Description: "Every bucket has default server-side encryption configured.",
		Severity:    SeverityHigh,
		Enforcement: Mandatory,
		Remediation: "Add a BucketServerSideEncryptionConfigurationV2 (or inline rule) with sseAlgorithm aws:kms or AES256.",
		Peers:       Peers{Checkov: []string{"CKV_AWS_19"}, CDKNag: []string{"AwsSolutions-S1"}},
		Applies:     aspect.applies,
		Check:       aspect.check,
	}
}
