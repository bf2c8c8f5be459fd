package rules

import (
	"strings"

	"github.com/mlprov/mlprov/internal/tags"
)

func tag001() Rule {
	return Rule{
		ID:          "MLP-TAG-001",
		Name:        "standard-tags",
		Description: "Taggable resources carry mlprov:ml-name, mlprov:env and mlprov:managed-by (advisory for resources mlprov does not manage).",
		Severity:    SeverityLow,
		Enforcement: Mandatory,
		Remediation: "Apply the product's standard tags to the resource (mlprov does this for every resource it creates).",
		Applies:     isTaggable,
		Check: func(r Resource, _ Stack) Result {
			missing, unknown := missingTags(r, tags.Required)
			if unknown {
				return CannotJudge("tags")
			}
			if len(missing) == 0 {
				return Pass()
			}
			res := Violation("missing standard tags %s", strings.Join(missing, ", "))
			res.Advisory = !managedByMLProv(r)
			return res
		},
	}
}
