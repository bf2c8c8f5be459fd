package quota_test

import (
	"strings"
	"testing"

	"github.com/mlprov/mlprov/internal/provtemplate"
	"github.com/mlprov/mlprov/internal/quota"
	"github.com/mlprov/mlprov/test/longest"
)

func TestMeasureCountsAsAWSDoes(t *testing.T) {
	policy := `{"Version": "2012-10-17",` + "\n\t" + `"Statement": []}`
	resources := []provtemplate.Resource{
		{Type: "aws:iam/policy:Policy", PhysicalName: "boundary", Inputs: map[string]any{"policy": policy}},
		{Type: "aws:iam/role:Role", PhysicalName: "r", Inputs: map[string]any{"assumeRolePolicy": strings.Repeat("x", 2049)}},
		{Type: "aws:iam/rolePolicy:RolePolicy", Inputs: map[string]any{"role": "r", "policy": strings.Repeat("y", 6000)}},
		{Type: "aws:iam/rolePolicy:RolePolicy", Inputs: map[string]any{"role": "r", "policy": strings.Repeat("y", 4241)}},
		{Type: "aws:kms/key:Key", LogicalName: "key", Inputs: map[string]any{"policy": strings.Repeat("é", 16385)}},
	}
	got := map[string]quota.Usage{}
	for _, u := range quota.Measure(resources) {
		got[u.What+" "+u.Name] = u
	}
	// IAM ignores white space; KMS counts bytes (é is two).
	want := map[string]int{
		"IAM managed policy boundary": len(`{"Version":"2012-10-17","Statement":[]}`),
		"trust policy of IAM role r":  2049, "inline policies of IAM role r": 10241, "key policy of KMS key key": 32770,
	}
	for k, size := range want {
		if got[k].Size != size {
			t.Errorf("%s: size %d, want %d", k, got[k].Size, size)
		}
	}
	over := quota.Check(resources)
	if len(over) != 3 {
		t.Fatalf("over quota: %v, want the trust policy, the inline policies and the key policy", over)
	}
	if s := over[0].String(); !strings.Contains(s, "is 10241 characters, over the AWS limit of 10240") {
		t.Errorf("message %q does not give size and limit", s)
	}
}

// boundaryMargin: the boundary must leave room below IAM's 6,144 characters
// even for the longest names validate-config accepts: 8% (about 490
// characters, one more per-service statement) for what a later release adds.
// At the longest names it is 5,564 characters (the trail, ENI and approval
// statements of the day-one product included); validate-config measures every
// real config against the quota itself.
const boundaryMargin = 0.92

// TestLongestConfigsFitEveryPolicyQuota renders the longest valid config of
// every tier and source (product and test deployment) and checks every policy
// document against its quota, the boundary with a margin.
func TestLongestConfigsFitEveryPolicyQuota(t *testing.T) {
	configs, err := longest.Configs()
	if err != nil {
		t.Fatal(err)
	}
	largest := 0
	for _, c := range configs {
		docs, err := longest.Deployments(c.Config)
		if err != nil {
			t.Fatalf("%s: %v", c.Label, err)
		}
		for _, doc := range docs {
			for _, u := range quota.Measure(doc.Resources) {
				if u.Over() {
					t.Errorf("%s: %s", c.Label, u)
				}
				if u.What == "IAM managed policy" {
					largest = max(largest, u.Size)
					if float64(u.Size) > boundaryMargin*quota.ManagedPolicyChars {
						t.Errorf("%s: boundary %s is %d characters, more than %.0f%% of the %d limit", c.Label, u.Name, u.Size, 100*boundaryMargin, quota.ManagedPolicyChars)
					}
				}
			}
		}
	}
	t.Logf("largest managed policy over %d longest configs: %d of %d characters", len(configs), largest, quota.ManagedPolicyChars)
}
