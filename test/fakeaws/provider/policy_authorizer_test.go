package provider

import (
	"context"
	"strings"
	"testing"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"github.com/mlprov/mlprov/internal/config"
	"github.com/mlprov/mlprov/internal/iampolicy"
	"github.com/mlprov/mlprov/internal/naming"
	"github.com/mlprov/mlprov/internal/provtemplate"
	"github.com/mlprov/mlprov/internal/render"
	"github.com/mlprov/mlprov/stacks"
	"github.com/mlprov/mlprov/test/fakeaws/cloudstate"
	"github.com/mlprov/mlprov/test/fakeaws/control"
)

const (
	starterConfig    = "../../../configs/techcorp-dev-t001-us-east-1-churn-ml-codecommit.yaml"
	enterpriseConfig = "../../../configs/globalbank-prod-c001-us-west-2-churn-ml-codecommit-standalone-ssm.yaml"
)

// enforcing renders a shipped config, and returns a server of pkg in that
// product's account and region that enforces its generated deployer policy
// (with the caller context), with the rendered document to take inputs from.
func enforcing(t *testing.T, pkg, configPath string, caller map[string][]string) (*Server, string, *provtemplate.Document) {
	t.Helper()
	cfg, err := config.Load(configPath)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := render.Product(cfg, naming.For(cfg), stacks.Program(cfg))
	if err != nil {
		t.Fatal(err)
	}
	policy, err := iampolicy.Generate(doc)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	t.Setenv(cloudstate.DirEnv, dir) // the plugin process finds its state this way
	store, err := cloudstate.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	authz, err := NewPolicyAuthorizerConfig(policy, caller)
	if err != nil {
		t.Fatal(err)
	}
	if err := control.SetAuthorizer(dir, authz); err != nil {
		t.Fatal(err)
	}
	s := New(pkg, "0.0.1", store, cfg.Client.AccountID)
	if _, err := s.Configure(context.Background(), &pulumirpc.ConfigureRequest{Args: mustStruct(t, map[string]any{"region": cfg.Environment.Region})}); err != nil {
		t.Fatalf("Configure: %v", err)
	}
	return s, dir, doc
}

// inputsOf returns a copy of the inputs of the first resource of typ in doc.
func inputsOf(t *testing.T, doc *provtemplate.Document, typ string) map[string]any {
	t.Helper()
	rs := doc.ByType(typ)
	if len(rs) == 0 {
		t.Fatalf("no %s in the rendered product", typ)
	}
	out := map[string]any{}
	for k, v := range rs[0].Inputs {
		out[k] = v
	}
	return out
}

func wantDenied(t *testing.T, err error, action string) {
	t.Helper()
	if err == nil || !strings.Contains(err.Error(), "AccessDenied") || !strings.Contains(err.Error(), action) {
		t.Errorf("error = %v, want AccessDenied naming %s", err, action)
	}
}

func TestPolicyAuthorizerAllowsTheProductAndDeniesAnother(t *testing.T) {
	s, dir, doc := enforcing(t, "aws", starterConfig, nil)
	bucket := inputsOf(t, doc, "aws:s3/bucketV2:BucketV2")
	id, _ := mustCreate(t, s, "aws:s3/bucketV2:BucketV2", "artifacts", bucket)

	other := inputsOf(t, doc, "aws:s3/bucketV2:BucketV2")
	other["bucket"] = "techcorp-dev-t001-us-east-1-fraud-artifacts"
	_, err := create(t, s, "aws:s3/bucketV2:BucketV2", "theirs", other)
	wantDenied(t, err, "s3:CreateBucket on resource: arn:aws:s3:::techcorp-dev-t001-us-east-1-fraud-artifacts")

	rs, _ := control.Resources(dir)
	if len(rs) != 1 || rs[0].ID != id {
		t.Errorf("resources = %+v, want only the product's bucket (a denied call persists nothing)", rs)
	}
	if _, err := s.Read(context.Background(), &pulumirpc.ReadRequest{Type: "aws:s3/bucketV2:BucketV2", Id: id, Urn: "urn:pulumi:test::p::b::artifacts"}); err != nil {
		t.Errorf("read (drift check) of the product's bucket: %v", err)
	}
	if _, err := s.Delete(context.Background(), &pulumirpc.DeleteRequest{Type: "aws:s3/bucketV2:BucketV2", Id: id}); err != nil {
		t.Errorf("delete of a dev product's bucket: %v", err)
	}
}

func TestPolicyAuthorizerPassRoleOnlyToTheRightService(t *testing.T) {
	s, _, doc := enforcing(t, "aws", starterConfig, nil)
	project := inputsOf(t, doc, "aws:codebuild/project:Project")
	mustCreate(t, s, "aws:codebuild/project:Project", "build", project)

	project["name"] = "techcorp-dev-t001-us-east-1-churn-build2"
	_, err := create(t, s, "aws:codebuild/project:Project", "build2", project)
	wantDenied(t, err, "codebuild:CreateProject")

	project = inputsOf(t, doc, "aws:codebuild/project:Project")
	project["serviceRole"] = "arn:aws:iam::123456789012:role/techcorp-dev-t001-churn-codepipeline-role"
	_, err = create(t, s, "aws:codebuild/project:Project", "build3", project)
	wantDenied(t, err, "iam:PassRole on resource: arn:aws:iam::123456789012:role/techcorp-dev-t001-churn-codepipeline-role")
}

// mfa is a session that signed in with MFA.
var mfa = map[string][]string{"aws:MultiFactorAuthPresent": {"true"}}

func TestPolicyAuthorizerTagScopedKey(t *testing.T) {
	s, _, doc := enforcing(t, "aws", enterpriseConfig, mfa)
	key := inputsOf(t, doc, "aws:kms/key:Key")
	keyID, _ := mustCreate(t, s, "aws:kms/key:Key", "key", key)

	foreign := inputsOf(t, doc, "aws:kms/key:Key")
	foreign["tags"] = map[string]any{"mlprov:ml-name": "globalbank-prod-c001-us-west-2-fraud-ml"}
	_, err := create(t, s, "aws:kms/key:Key", "their-key", foreign)
	wantDenied(t, err, "kms:CreateKey on resource: *")

	alias := inputsOf(t, doc, "aws:kms/alias:Alias")
	alias["targetKeyId"] = keyID // the alias's key ARN is authorized by the key's tags, read from the store
	aliasID, _ := mustCreate(t, s, "aws:kms/alias:Alias", "alias", alias)
	if _, err := s.Delete(context.Background(), &pulumirpc.DeleteRequest{Type: "aws:kms/alias:Alias", Id: aliasID}); err != nil {
		t.Errorf("production delete with MFA: %v", err)
	}
}

func TestPolicyAuthorizerProductionMutationsNeedMFA(t *testing.T) {
	s, _, doc := enforcing(t, "aws", enterpriseConfig, map[string][]string{"aws:MultiFactorAuthPresent": {"false"}})
	_, err := create(t, s, "aws:kms/key:Key", "key", inputsOf(t, doc, "aws:kms/key:Key"))
	wantDenied(t, err, "kms:CreateKey")
	if err != nil && !strings.Contains(err.Error(), "explicit deny") {
		t.Errorf("production create without MFA: %v, want the explicit MFA deny", err)
	}
}

func TestPolicyAuthorizerInvokes(t *testing.T) {
	s, _, _ := enforcing(t, "aws", enterpriseConfig, mfa)
	invoke := func(tok string, args map[string]any) error {
		_, err := s.Invoke(context.Background(), &pulumirpc.InvokeRequest{Tok: tok, Args: mustStruct(t, args)})
		return err
	}
	if err := invoke("aws:index/getCallerIdentity:getCallerIdentity", map[string]any{}); err != nil {
		t.Errorf("getCallerIdentity: %v", err)
	}
	err := invoke("aws:ssm/getParameter:getParameter", map[string]any{"name": "/vpc/someone-else-vpc/VPCId"})
	wantDenied(t, err, "ssm:GetParameter")
	err = invoke("aws:ec2/getInstance:getInstance", map[string]any{})
	if err == nil || !strings.Contains(err.Error(), "no such call in the provider model") {
		t.Errorf("an invoke the model does not list: %v, want it failed", err)
	}
}

func TestPolicyAuthorizerConfigErrors(t *testing.T) {
	_, err := LoadAuthorizer(cloudstate.AuthorizerConfig{Kind: PolicyAuthorizerKind, Policy: []byte(`{"documents":[]}`)})
	if err == nil || !strings.Contains(err.Error(), "needs policy.documents") {
		t.Errorf("empty policy: %v", err)
	}
}
