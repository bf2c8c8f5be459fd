// Package tags holds the standard mlprov tag keys and builds the tag set of
// a product. It is a leaf package so the policy rules can read the same keys
// the program writes.
package tags

import "strings"

// Standard tag keys on every taggable resource.
const (
	MLName    = "mlprov:ml-name"
	Tier      = "mlprov:tier"
	Env       = "mlprov:env"
	ManagedBy = "mlprov:managed-by"
	// TestID marks the resources of a test deployment.
	TestID = "mlprov:test-id"
	// Shared marks VPC infrastructure a product created for every workload
	// in the VPC (endpoints and their group): kept when the product is
	// deleted, used by the next product in the VPC.
	Shared = "mlprov:shared"
)

// SharedVPCValue is the value of the Shared tag.
const SharedVPCValue = "vpc"

// ManagedByValue is the value of the ManagedBy tag.
const ManagedByValue = "mlprov"

// ReservedPrefix is the prefix users may not use in config tags.
const ReservedPrefix = "mlprov:"

// Required are the keys every mlprov-managed taggable resource carries
// (MLP-TAG-001).
var Required = []string{MLName, Env, ManagedBy}

// Product describes whose tags these are.
type Product struct {
	MLName, Tier, Env, TestID string
}

// For returns the config tags merged with the standard tags (standard wins;
// the config validator rejects the reserved prefix anyway).
func For(p Product, configTags map[string]string) map[string]string {
	out := make(map[string]string, len(configTags)+5)
	for k, v := range configTags {
		out[k] = v
	}
	out[MLName] = p.MLName
	out[Tier] = p.Tier
	out[Env] = p.Env
	out[ManagedBy] = ManagedByValue
	if p.TestID != "" {
		out[TestID] = p.TestID
	}
	return out
}

// IsReserved reports whether a user tag key is reserved by AWS or mlprov.
func IsReserved(key string) bool {
	k := strings.ToLower(key)
	return strings.HasPrefix(k, "aws:") || strings.HasPrefix(k, ReservedPrefix)
}

// FromInputs returns the resource tags of a resource's inputs, in the map
// form of pulumi-aws or the key/value list form of pulumi-aws-native.
func FromInputs(inputs map[string]any) map[string]string {
	out := map[string]string{}
	switch t := inputs["tags"].(type) {
	case map[string]any:
		for k, v := range t {
			if s, ok := v.(string); ok {
				out[k] = s
			}
		}
	case map[string]string:
		for k, v := range t {
			out[k] = v
		}
	case []any:
		for _, e := range t {
			if kv, ok := e.(map[string]any); ok {
				k, _ := kv["key"].(string)
				v, _ := kv["value"].(string)
				out[k] = v
			}
		}
	}
	return out
}
