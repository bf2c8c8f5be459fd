package rules

import (
	"regexp"
	"strings"
)

// broadManagedPolicy matches AWS managed policies that grant admin or full
// access (AdministratorAccess, PowerUserAccess, IAMFullAccess, *FullAccess).
var broadManagedPolicy = regexp.MustCompile(`^arn:aws[a-z-]*:iam::aws:policy/(.*/)?(AdministratorAccess|PowerUserAccess|[A-Za-z0-9]*FullAccess[A-Za-z0-9_-]*)$`)

func iam006() Rule {
	return Rule{
		ID:          "MLP-IAM-006",
		Name:        "iam-no-admin-managed-policies",
		Description: "Roles carry no AWS managed administrator or full-access policies.",
		Severity:    SeverityCritical,
		Enforcement: Mandatory,
		Remediation: "Replace AdministratorAccess / *FullAccess with an inline policy scoped to the product's resources.",
		Peers:       Peers{Checkov: []string{"CKV_AWS_274", "CKV2_AWS_56"}, CDKNag: []string{"AwsSolutions-IAM4"}},
		Applies:     ofTypes(typeRole, typeNativeRole, typeRoleAttachment),
		Check: func(r Resource, _ Stack) Result {
			path := "managedPolicyArns"
			if r.Type == typeRoleAttachment {
				path = "policyArn"
			}
			v := r.Props.Get(path)
			if v.ContainsUnknown() {
				return CannotJudge(path)
			}
			var broad []string
			for _, arn := range v.Strings() {
				if broadManagedPolicy.MatchString(arn) {
					broad = append(broad, arn)
				}
			}
			if len(broad) > 0 {
				return Violation("attaches AWS managed admin/full-access policies: %s", strings.Join(broad, ", "))
			}
			return Pass()
		},
	}
}
