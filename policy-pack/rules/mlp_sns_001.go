package rules

func sns001() Rule {
	return Rule{
		ID:          "MLP-SNS-001",
		Name:        "sns-topic-encrypted",
		Description: "Topics are encrypted with KMS; enterprise topics use the product CMK, not alias/aws/sns.",
		Severity:    SeverityMedium,
		Enforcement: Mandatory,
		Remediation: "Set kmsMasterKeyId (enterprise: the product CMK ARN, with a key policy allowing sns and cloudwatch).",
		Peers:       Peers{Checkov: []string{"CKV_AWS_26"}, Trivy: []string{"AVD-AWS-0136"}, CDKNag: []string{"AwsSolutions-SNS2"}},
		Applies:     ofTypes(typeTopic),
		Check: func(r Resource, _ Stack) Result {
			v := r.Props.Get("kmsMasterKeyId")
			if v.Unknown() {
				return CannotJudge("kmsMasterKeyId")
			}
			key := v.String()
			if key == "" {
				return Violation("the topic is not encrypted (no kmsMasterKeyId)")
			}
			if res, ok := tierGate(r, customerManagedKey); !ok {
				return res
			}
			if awsManagedKey(key) {
				return Violation("the enterprise topic uses the AWS managed key %s, not the product CMK", key)
			}
			return Pass()
		},
	}
}
