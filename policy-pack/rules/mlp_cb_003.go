package rules

func cb003() Rule {
	return Rule{
		ID:          "MLP-CB-003",
		Name:        "codebuild-no-plaintext-secrets",
		Description: "CodeBuild environment variables carry no credentials in plaintext.",
		Severity:    SeverityCritical,
		Enforcement: Mandatory,
		Remediation: "Store the secret in SSM Parameter Store (SecureString) or Secrets Manager and use type PARAMETER_STORE / SECRETS_MANAGER.",
		Peers:       Peers{SecurityHub: []string{"CodeBuild.2"}},
		Applies:     ofTypes(typeCodeBuild),
		Check: func(r Resource, _ Stack) Result {
			const path = "environment.environmentVariables"
			if r.Props.Get(path).Unknown() {
				return CannotJudge(path)
			}
			var p problems
			unknownValue := ""
			for _, v := range r.Props.List(path) {
				ev := v.Object()
				kind := ev.Get("type")
				if kind.Unknown() {
					unknownValue = ev.String("name")
					continue
				}
				if k := kind.String(); k != "" && k != "PLAINTEXT" {
					continue
				}
				name := ev.String("name")
				switch {
				case looksSecretName(name):
					p.add("plaintext variable %s looks like a credential", name)
				case ev.Get("value").Unknown():
					unknownValue = name
				case looksSecretValue(ev.String("value")):
					p.add("plaintext variable %s holds a credential-shaped value", name)
				}
			}
			if len(p) == 0 && unknownValue != "" {
				return CannotJudge(path + " " + unknownValue)
			}
			return p.result()
		},
	}
}
