package rules

func cp001() Rule {
	return Rule{
		ID:          "MLP-CP-001",
		Name:        "codepipeline-artifacts-cmk",
		Description: "Enterprise pipelines encrypt their artifact store with a customer managed KMS key.",
		Severity:    SeverityHigh,
		Enforcement: Mandatory,
		Remediation: "Set artifactStores[].encryptionKey {id: <product CMK ARN>, type: KMS}.",
		Peers:       Peers{Checkov: []string{"CKV_AWS_219"}},
		Applies:     ofTypes(typePipeline),
		Check: func(r Resource, _ Stack) Result {
			if res, ok := tierGate(r, customerManagedKey); !ok {
				return res
			}
			if p, unknown := r.Props.UnknownAt("artifactStores"); unknown {
				return CannotJudge(p)
			}
			stores := r.Props.List("artifactStores")
			if len(stores) == 0 {
				return Violation("the pipeline declares no artifact store")
			}
			var p problems
			for i, s := range stores {
				key := s.Object().String("encryptionKey.id")
				switch {
				case key == "":
					p.add("artifactStores[%d] uses the AWS managed key", i)
				case awsManagedKey(key):
					p.add("artifactStores[%d] uses AWS managed key %s", i, key)
				}
			}
			return p.result()
		},
	}
}
