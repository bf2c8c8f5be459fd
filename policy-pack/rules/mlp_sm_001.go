package rules

import (
	"strings"

	"github.com/mlprov/mlprov/internal/tags"
)

func sm001() Rule {
	productTags := append([]string{tags.Tier}, tags.Required...)
	return Rule{
		ID:          "MLP-SM-001",
		Name:        "model-registry-tagged-and-protected",
		Description: "The model package group carries the product tags and, in prod, is protected from deletion.",
		Severity:    SeverityHigh,
		Enforcement: Mandatory,
		Remediation: "Tag the group with the mlprov product tags and set the protect resource option in prod.",
		Applies:     ofTypes(typeModelPkgGroup, typeNativeModelPkg),
		Check: func(r Resource, _ Stack) Result {
			missing, unknown := missingTags(r, productTags)
			if unknown {
				return CannotJudge("tags")
			}
			var p problems
			if len(missing) > 0 {
				p.add("missing product tags %s", strings.Join(missing, ", "))
			}
			// A test deployment (test-deploy) is destroyed by design.
			if r.environment().DeletionProtection && !r.Protect && r.Tag(tags.TestID) == "" {
				p.add("the prod model registry is not protected from deletion")
			}
			res := p.result()
			res.Advisory = !managedByMLProv(r)
			return res
		},
	}
}
