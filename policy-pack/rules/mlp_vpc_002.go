package rules

import (
	"regexp"
	"strings"
)

// An endpoint policy may leave a statement open to Principal * without
// conditions only when it names what may be reached: read or federation
// actions (no service-wide wildcard) on resources of one named account or
// one named bucket. That is how AWS-owned buckets (ECR layers, package
// repositories) and unsigned federation calls stay usable through a shared
// endpoint (components/network, README "Shared VPC endpoints").
func vpc002() Rule {
	return Rule{
		ID:          "MLP-VPC-002",
		Name:        "endpoint-policy-restrictive",
		Description: "VPC endpoints have an endpoint policy, and it does not allow Principal * without conditions, except named actions on named resources.",
		Severity:    SeverityMedium,
		Enforcement: Mandatory,
		Remediation: "Attach an endpoint policy limited to this account's principals (e.g. a condition on aws:PrincipalAccount); an unconditioned Principal * statement must name its actions and its resources' account or bucket.",
		Applies:     ofTypes(typeVPCEndpoint),
		Check: func(r Resource, _ Stack) Result {
			doc, state := parsePolicy(r.Props.Get("policy"))
			if res, ok := policyResult(state, "policy", true); !ok {
				return res
			}
			var open []int
			for _, i := range publicStatements(doc) {
				if !namesWhatItReaches(doc.Statements[i]) {
					open = append(open, i)
				}
			}
			if len(open) > 0 {
				return Violation("policy statements %v allow Principal * without conditions on unnamed actions or resources", open)
			}
			return Pass()
		},
	}
}

// accountID is a 12-digit AWS account id.
var accountID = regexp.MustCompile(`^\d{12}$`)

func namesWhatItReaches(s Statement) bool {
	if len(s.NotActions) > 0 || len(s.NotResources) > 0 || len(s.Actions) == 0 || len(s.Resources) == 0 {
		return false
	}
	for _, a := range s.Actions {
		if _, name, ok := strings.Cut(a, ":"); !ok || strings.Contains(name, "*") {
			return false
		}
	}
	for _, res := range s.Resources {
		parts := strings.SplitN(res, ":", 6)
		if len(parts) != 6 || parts[0] != "arn" {
			return false
		}
		service, account, rest := parts[2], parts[4], parts[5]
		if service == "s3" {
			bucket, _, _ := strings.Cut(rest, "/")
			if bucket == "" || strings.ContainsAny(bucket, "*?") {
				return false
			}
		} else if !accountID.MatchString(account) {
			return false
		}
	}
	return true
}
