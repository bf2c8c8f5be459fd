package rules

import "strings"

func iam003() Rule {
	return Rule{
		ID:          "MLP-IAM-003",
		Name:        "iam-trust-service-principals",
		Description: "A role's trust policy lets only specific AWS service principals assume it.",
		Severity:    SeverityHigh,
		Enforcement: Mandatory,
		Remediation: "Trust only the services that use the role (e.g. codebuild.amazonaws.com), never * or other accounts.",
		Peers:       Peers{Checkov: []string{"CKV_AWS_60", "CKV_AWS_61"}},
		Applies:     ofTypes(typeRole, typeNativeRole),
		Check: func(r Resource, _ Stack) Result {
			path := trustPolicyPath(r)
			doc, state := parsePolicy(r.Props.Get(path))
			if res, ok := policyResult(state, path, true); !ok {
				return res
			}
			var p problems
			for i, s := range doc.Statements {
				if !s.Allows() {
					continue
				}
				if s.NotPrincipal || s.Principal.Public() {
					p.add("statement %d trusts everyone", i)
					continue
				}
				for kind, ids := range s.Principal.ByKind {
					if kind != "Service" {
						p.add("statement %d trusts %s principals %v", i, kind, ids)
						continue
					}
					for _, id := range ids {
						if strings.Contains(id, "*") {
							p.add("statement %d trusts wildcard service %q", i, id)
						}
					}
				}
			}
			return p.result()
		},
	}
}
