// Package quota checks the rendered product against AWS's size quotas on
// policy documents, which no name-length check catches: a policy grows with
// every name it carries. validate-config runs it before anything is deployed.
package quota

import (
	"fmt"
	"github.com/mlprov/mlprov/internal/awstypes"
	"sort"
	"unicode"

	"github.com/mlprov/mlprov/internal/provtemplate"
)

// AWS's policy size quotas.
const (
	// ManagedPolicyChars: "Managed policy size: 6,144 characters"; IAM does
	// not count white space.
	// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-entity-length
	ManagedPolicyChars = 6144
	// RoleInlinePoliciesChars: "Role policy size: 10,240 characters", the
	// total of all inline policies of one role (same page).
	RoleInlinePoliciesChars = 10240
	// TrustPolicyChars: "Role trust policy length: 2,048 characters"
	// (the default quota; same page).
	TrustPolicyChars = 2048
	// KeyPolicyBytes: "The maximum length of a key policy document is 32 KB
	// (32,768 bytes)".
	// https://docs.aws.amazon.com/kms/latest/developerguide/resource-limits.html#key-policy-limit
	KeyPolicyBytes = 32768
)

// Type tokens of the resources that carry the documents.
const (
	typeRole       = awstypes.IAMRole
	typeRolePolicy = awstypes.IAMRolePolicy
	typePolicy     = awstypes.IAMPolicy
	typeKMSKey     = awstypes.KMSKey
)

// Usage is one document (or set of documents) measured against its quota.
type Usage struct {
	What  string // "IAM managed policy", "inline policies of IAM role" …
	Name  string // physical name of the policy, role or key
	Size  int
	Limit int
	Unit  string // "characters" or "bytes"
}

// Over reports whether the usage exceeds its quota.
func (u Usage) Over() bool { return u.Size > u.Limit }

func (u Usage) String() string {
	return fmt.Sprintf("%s %s is %d %s, over the AWS limit of %d", u.What, u.Name, u.Size, u.Unit, u.Limit)
}

// Measure returns every quota-bound document of the rendered resources with
// its size, sorted by what and name.
func Measure(resources []provtemplate.Resource) []Usage {
	var out []Usage
	inline := map[string]int{}
	for _, r := range resources {
		switch r.Type {
		case typePolicy:
			out = append(out, Usage{"IAM managed policy", r.PhysicalName, iamChars(r.Inputs["policy"]), ManagedPolicyChars, "characters"})
		case typeRole:
			out = append(out, Usage{"trust policy of IAM role", r.PhysicalName, iamChars(r.Inputs["assumeRolePolicy"]), TrustPolicyChars, "characters"})
			for _, p := range asList(r.Inputs["inlinePolicies"]) {
				m, _ := p.(map[string]any)
				inline[r.PhysicalName] += iamChars(m["policy"])
			}
		case typeRolePolicy:
			role, _ := r.Inputs["role"].(string)
			inline[role] += iamChars(r.Inputs["policy"])
		case typeKMSKey:
			policy, _ := r.Inputs["policy"].(string)
			out = append(out, Usage{"key policy of KMS key", r.LogicalName, len(policy), KeyPolicyBytes, "bytes"})
		}
	}
	for role, size := range inline {
		out = append(out, Usage{"inline policies of IAM role", role, size, RoleInlinePoliciesChars, "characters"})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].What != out[j].What {
			return out[i].What < out[j].What
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// Check returns the documents that exceed their quota.
func Check(resources []provtemplate.Resource) []Usage {
	var over []Usage
	for _, u := range Measure(resources) {
		if u.Over() {
			over = append(over, u)
		}
	}
	return over
}

// iamChars counts a policy document as IAM does: without white space.
func iamChars(v any) int {
	s, _ := v.(string)
	n := 0
	for _, r := range s {
		if !unicode.IsSpace(r) {
			n++
		}
	}
	return n
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}
