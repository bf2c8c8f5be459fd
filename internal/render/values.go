package render

import (
	"github.com/mlprov/mlprov/policy-pack/rules"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// SecretValue stands in for a secret in the template: the document is written
// to disk and reviewed, so secrets never appear in it.
const SecretValue = rules.SecretMarker

// UnknownValue marks a value not known offline (the engine's own marker, which
// the offline gate reads back as "cannot judge yet").
const UnknownValue = rules.UnknownMarker

// plainMap converts engine property values with the policy rules' own
// conversion, so the offline gate judges exactly what the engine's gate does.
func plainMap(pm resource.PropertyMap) map[string]any { return rules.FromPropertyMap(pm) }
