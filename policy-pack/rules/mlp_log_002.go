package rules

func log002() Rule {
	return Rule{
		ID:          "MLP-LOG-002",
		Name:        "log-group-kms",
		Description: "Enterprise log groups are encrypted with a KMS key.",
		Severity:    SeverityMedium,
		Enforcement: Mandatory,
		Remediation: "Set kmsKeyId to the product CMK ARN (its key policy must allow logs.<region>.amazonaws.com).",
		Peers:       Peers{Checkov: []string{"CKV_AWS_158"}},
		Applies:     ofTypes(logGroupTypes...),
		Check: func(r Resource, _ Stack) Result {
			return enterpriseRequires(r, customerManagedKey, "kmsKeyId", "the log group is not KMS-encrypted")
		},
	}
}
