package rules

import (
	"github.com/mlprov/mlprov/internal/tiers"
)

func iam004() Rule {
	return Rule{
		ID:          "MLP-IAM-004",
		Name:        "iam-permission-boundary",
		Description: "Enterprise roles have a permission boundary attached.",
		Severity:    SeverityHigh,
		Enforcement: Mandatory,
		Remediation: "Set permissionsBoundary on the role to the product's permission boundary policy ARN.",
		Applies:     ofTypes(typeRole, typeNativeRole),
		Check: func(r Resource, _ Stack) Result {
			return enterpriseRequires(r, func(c tiers.Capabilities) bool { return c.PermissionBoundary }, "permissionsBoundary", "the role has no permission boundary")
		},
	}
}
