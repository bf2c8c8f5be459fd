package rules

import (
	"strings"

	"github.com/mlprov/mlprov/internal/tags"
)

// ssmRoot is where mlprov publishes a product's parameters: /ml/{ml_name}/.
const ssmRoot = "/ml/"

func ssm001() Rule {
	return Rule{
		ID:          "MLP-SSM-001",
		Name:        "ssm-parameter-path-and-secrets",
		Description: "A product's SSM parameters live under /ml/{ml_name}/, and secret-looking values are SecureString.",
		Severity:    SeverityHigh,
		Enforcement: Mandatory,
		Remediation: "Name the parameter /ml/{ml_name}/<Key>; store credentials as type SecureString.",
		Peers:       Peers{Checkov: []string{"CKV2_AWS_34"}},
		Applies:     ofTypes(typeSSMParameter),
		Check: func(r Resource, _ Stack) Result {
			if p, unknown := r.Props.UnknownAt("name", "type"); unknown {
				return CannotJudge(p)
			}
			name, kind := r.Props.String("name"), r.Props.String("type")
			var p problems
			if mlName := r.Tag(tags.MLName); mlName != "" && !strings.HasPrefix(name, ssmRoot+mlName+"/") {
				p.add("parameter %q is not under %s%s/", name, ssmRoot, mlName)
			}
			if kind != "SecureString" {
				value := r.Props.Get("value")
				if !value.Present() {
					value = r.Props.Get("insecureValue")
				}
				switch {
				case looksSecretName(name):
					p.add("parameter %q looks like a credential but is %s, not SecureString", name, kind)
				case value.Unknown() && len(p) == 0:
					return CannotJudge("value")
				case looksSecretValue(value.String()):
					p.add("parameter %q holds a credential-shaped value as %s", name, kind)
				}
			}
			return p.result()
		},
	}
}
