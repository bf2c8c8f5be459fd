package stacks_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/mlprov/mlprov/internal/config"
	"github.com/mlprov/mlprov/internal/provtemplate"
	"github.com/mlprov/mlprov/stacks"
)

// TestRoleUsersWaitForTheirRolePolicy: IAM is eventually consistent, and a
// project, pipeline or event target created before its role's policy is
// attached fails its first run. Each must depend on the inline policy of the
// role it names.
func TestRoleUsersWaitForTheirRolePolicy(t *testing.T) {
	for _, tier := range config.Tiers {
		t.Run(string(tier), func(t *testing.T) {
			rec := run(t, baseConfig(tier, "prod"), stacks.Options{})
			policyOfRole := map[string]string{} // role name → its inline policy's URN
			for _, p := range rec.ByType(tRolePolicy) {
				policyOfRole[strings.TrimSuffix(p.PhysicalName, "-policy")] = p.URN
			}
			check := func(r provtemplate.Resource, roleArnKey string) {
				t.Helper()
				arn := str(r.Inputs[roleArnKey])
				if arn == "" {
					return // targets without a role (SNS) use the topic policy
				}
				role := arn[strings.LastIndex(arn, "/")+1:]
				want, ok := policyOfRole[role]
				if !ok {
					t.Fatalf("%s %s: %s %q names no product role", r.Type, r.LogicalName, roleArnKey, arn)
				}
				if !slices.Contains(r.DependsOn, want) {
					t.Errorf("%s %s does not depend on the policy of role %s (depends on %v)", r.Type, r.LogicalName, role, r.DependsOn)
				}
			}
			checked := 0
			for _, token := range []string{tProject, tPipeline} {
				for _, r := range rec.ByType(token) {
					key := map[string]string{tProject: "serviceRole", tPipeline: "roleArn"}[token]
					check(r, key)
					checked++
				}
			}
			for _, r := range rec.ByType(tEventTarget) {
				check(r, "roleArn")
				checked++
			}
			if checked < 5 {
				t.Fatalf("checked %d resources, want at least 2 projects, 2 pipelines and a target", checked)
			}
		})
	}
}
