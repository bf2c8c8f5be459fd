package rules

func kms001() Rule {
	return Rule{
		ID:          "MLP-KMS-001",
		Name:        "kms-key-rotation",
		Description: "Customer managed KMS keys rotate their key material automatically.",
		Severity:    SeverityHigh,
		Enforcement: Mandatory,
		Remediation: "Set enableKeyRotation: true on the KMS key.",
		Peers:       Peers{Checkov: []string{"CKV_AWS_7"}, Trivy: []string{"AVD-AWS-0065"}, CDKNag: []string{"AwsSolutions-KMS5"}, SecurityHub: []string{"KMS.4"}},
		Applies:     ofTypes(typeKMSKey, typeNativeKMSKey),
		Check: func(r Resource, _ Stack) Result {
			if p, unknown := r.Props.UnknownAt("enableKeyRotation", "customerMasterKeySpec", "keySpec"); unknown {
				return CannotJudge(p)
			}
			if !symmetricKey(r) {
				return Pass()
			}
			if !r.Props.Bool("enableKeyRotation") {
				return Violation("automatic key rotation is off (enableKeyRotation is not true)")
			}
			return Pass()
		},
	}
}
