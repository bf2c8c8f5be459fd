package boundary_test

import (
	"strings"
	"testing"

	"github.com/mlprov/mlprov/components/boundary"
	"github.com/mlprov/mlprov/components/identity"
	"github.com/mlprov/mlprov/internal/iampolicy"
	"github.com/mlprov/mlprov/internal/naming"
	"github.com/mlprov/mlprov/internal/policydoc"
)

const (
	base    = "globalbank-prod-c001-ap-southeast-2-demand-forecasting"
	iamBase = "globalbank-prod-c001-demand-forecasting"
)

// access is a worst case: builds in a VPC and an external source.
func access() identity.Access {
	return identity.Access{
		ARNs:           naming.ARNsFor("123456789012", "ap-southeast-2"),
		Roles:          identity.RoleNames{CodeBuild: iamBase + "-codebuild-role", CodePipeline: iamBase + "-codepipeline-role", SageMaker: iamBase + "-sagemaker-execution-role", Events: iamBase + "-events-role"},
		ArtifactBucket: base + "-artifacts", ModelPackageGroup: base + "-models", ResourcePrefix: base,
		BuildProject: base + "-build", DeployProject: base + "-deploy",
		BuildLogGroups: []string{"/aws/codebuild/" + base + "-build", "/aws/codebuild/" + base + "-deploy"},
		BuildPipeline:  base + "-build-pipeline", DeployPipeline: base + "-deploy-pipeline",
		SourceRead: []policydoc.Statement{policydoc.Allow("Src", []string{"codeconnections:UseConnection"}, []string{"arn:aws:codeconnections:ap-southeast-2:123456789012:connection/*"})},
		InVPC:      true,
	}
}

func document() (policydoc.Document, identity.RolePolicies) {
	policies := identity.Policies(access())
	return boundary.Document(boundary.Args{Policies: policies.All(), KeyAlias: "alias/" + base + "-ml",
		ResourcePrefixes: []string{base, iamBase}, ARNs: access().ARNs}), policies
}

// instance turns a resource pattern into one concrete resource it matches.
func instance(pattern string) string { return strings.ReplaceAll(pattern, "*", "x1") }

// contextOf is the request context that satisfies a statement's conditions.
func contextOf(c policydoc.Condition) map[string][]string {
	ctx := map[string][]string{}
	for _, keys := range c {
		for k, v := range keys {
			ctx[k] = []string{instance(v[0])}
		}
	}
	return ctx
}

// Every request a role policy allows, the boundary allows too (evaluated with
// the project's IAM evaluator, which the boundary code does not use).
func TestBoundaryAllowsEveryRoleRequest(t *testing.T) {
	doc, policies := document()
	for _, p := range policies.All() {
		for _, s := range p.Statement {
			if s.Effect != "Allow" {
				continue // a role's Deny allows nothing the boundary must cover
			}
			for _, action := range s.Action {
				for _, resource := range s.Resource {
					req := iampolicy.Request{Action: action, Resource: instance(resource), Context: contextOf(s.Condition)}
					if d, err := iampolicy.Evaluate([]policydoc.Document{doc}, req); err != nil || d != iampolicy.Allowed {
						t.Errorf("boundary: %s (%v, %v); role statement %s allows it", req, d, err, s.Sid)
					}
				}
			}
		}
	}
}

// The boundary confines the roles to the product: the same actions on
// another product's resources, or on a service no role uses, are denied.
func TestBoundaryDeniesOtherResources(t *testing.T) {
	doc, _ := document()
	a := access().ARNs
	for _, req := range []iampolicy.Request{
		{Action: "s3:GetObject", Resource: a.Objects("someone-elses-bucket")},
		{Action: "codebuild:StartBuild", Resource: a.BuildProject("other-product-build")},
		{Action: "sagemaker:CreatePipeline", Resource: a.SageMaker("pipeline", "other")},
		{Action: "iam:PassRole", Resource: a.Role("admin"), Context: map[string][]string{"iam:PassedToService": {"sagemaker.amazonaws.com"}}},
		{Action: "iam:PassRole", Resource: a.Role(iamBase + "-sagemaker-execution-role"), Context: map[string][]string{"iam:PassedToService": {"ec2.amazonaws.com"}}},
		{Action: "dynamodb:GetItem", Resource: "arn:aws:dynamodb:ap-southeast-2:123456789012:table/" + base},
	} {
		if d, err := iampolicy.Evaluate([]policydoc.Document{doc}, req); err != nil || d == iampolicy.Allowed {
			t.Errorf("boundary allows %s (%v, %v)", req, d, err)
		}
	}
}

// The boundary is coarse: one statement per service (two where some actions
// accept no resource scope), conditions only where a policy rule demands them.
func TestBoundaryIsOneCapPerService(t *testing.T) {
	doc, _ := document()
	perService := map[string]int{}
	for _, s := range doc.Statement {
		service, _, _ := strings.Cut(s.Action[0], ":")
		perService[service]++
		for _, a := range s.Action {
			if !strings.HasPrefix(a, service+":") {
				t.Errorf("statement mixes services: %v", s.Action)
			}
		}
		if len(s.Condition) > 0 && service != "iam" && service != "kms" {
			t.Errorf("statement on %s carries a condition %v", service, s.Condition)
		}
	}
	for service, n := range perService {
		if n > 2 {
			t.Errorf("%s has %d statements, want at most 2", service, n)
		}
	}
	if !strings.Contains(doc.JSON(), `"arn:aws:s3:::`+base+`*"`) {
		t.Errorf("artifact bucket and objects not capped by the product prefix: %s", doc.JSON())
	}
}
