package boundary_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/mlprov/mlprov/components/boundary"
	"github.com/mlprov/mlprov/components/identity"
	"github.com/mlprov/mlprov/components/policydoc"
	"github.com/mlprov/mlprov/internal/naming"
)

// access is a worst case: long names, builds in a VPC, an external source.
func access() identity.Access {
	long := strings.Repeat("x", 40)
	return identity.Access{
		ARNs:           naming.ARNsFor("123456789012", "ap-southeast-2"),
		Roles:          identity.RoleNames{CodeBuild: long + "-codebuild-role", CodePipeline: long + "-codepipeline-role", SageMaker: long + "-sagemaker-execution-role", Events: long + "-events-role"},
		ArtifactBucket: long + "-artifacts", ModelPackageGroup: long + "-models", ResourcePrefix: long,
		BuildProject: long + "-build", DeployProject: long + "-deploy",
		BuildLogGroups: []string{"/aws/codebuild/" + long + "-build", "/aws/codebuild/" + long + "-deploy"},
		BuildPipeline:  long + "-build-pipeline", DeployPipeline: long + "-deploy-pipeline",
		SourceRead: []policydoc.Statement{policydoc.Allow("Src", []string{"codeconnections:UseConnection"}, []string{"arn:aws:codeconnections:ap-southeast-2:123456789012:connection/*"})},
		InVPC:      true,
	}
}

// AWS counts a managed policy's size without whitespace; the limit is 6,144.
func TestBoundaryFitsTheManagedPolicySizeLimit(t *testing.T) {
	doc := boundary.Document(boundary.Args{Policies: identity.Policies(access()).All(), KeyAlias: "alias/" + strings.Repeat("y", 60), ARNs: access().ARNs})
	if n := len(doc.JSON()); n > 6144 {
		t.Fatalf("boundary is %d characters, over the 6144 limit", n)
	}
}

func TestBoundaryAllowsEveryRoleStatementOnceAndTheKeyByAlias(t *testing.T) {
	policies := identity.Policies(access())
	doc := boundary.Document(boundary.Args{Policies: policies.All(), KeyAlias: "alias/p", ARNs: access().ARNs})
	total := 0
	for _, p := range policies.All() {
		total += len(p.Statement)
		for _, s := range p.Statement {
			found := slices.ContainsFunc(doc.Statement, func(b policydoc.Statement) bool {
				return slices.Equal(b.Action, s.Action) && slices.Equal(b.Resource, s.Resource)
			})
			if !found {
				t.Errorf("boundary misses role statement %s", s.Sid)
			}
		}
	}
	if len(doc.Statement) >= total+1 {
		t.Errorf("boundary has %d statements for %d role statements: duplicates were not merged", len(doc.Statement), total)
	}
	last := doc.Statement[len(doc.Statement)-1]
	if !slices.Equal(last.Condition["ForAnyValue:StringEquals"]["kms:ResourceAliases"], []string{"alias/p"}) {
		t.Errorf("key statement %+v", last)
	}
	without := boundary.Document(boundary.Args{Policies: policies.All(), ARNs: access().ARNs})
	if len(without.Statement) != len(doc.Statement)-1 {
		t.Error("key statement present without a key alias")
	}
}
