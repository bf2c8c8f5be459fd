package provider

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/mlprov/mlprov/test/fakeaws/cloudstate"
	"github.com/mlprov/mlprov/test/fakeaws/control"
)

const testAccount = "111122223333"

// newConfigured returns a server configured for us-west-2 and its state dir.
func newConfigured(t *testing.T, pkg string, config map[string]any) (*Server, string) {
	t.Helper()
	dir := t.TempDir()
	store, err := cloudstate.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	s := New(pkg, "0.0.1", store, testAccount)
	if config == nil {
		config = map[string]any{}
	}
	config["region"] = "us-west-2"
	if _, err := s.Configure(context.Background(), &pulumirpc.ConfigureRequest{Args: mustStruct(t, config)}); err != nil {
		t.Fatalf("Configure: %v", err)
	}
	return s, dir
}

func mustStruct(t *testing.T, m map[string]any) *structpb.Struct {
	t.Helper()
	st, err := structpb.NewStruct(m)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func create(t *testing.T, s *Server, typ, name string, inputs map[string]any) (*pulumirpc.CreateResponse, error) {
	t.Helper()
	return s.Create(context.Background(), &pulumirpc.CreateRequest{
		Type: typ, Name: name, Urn: "urn:pulumi:test::p::" + typ + "::" + name, Properties: mustStruct(t, inputs),
	})
}

func mustCreate(t *testing.T, s *Server, typ, name string, inputs map[string]any) (string, map[string]any) {
	t.Helper()
	resp, err := create(t, s, typ, name, inputs)
	if err != nil {
		t.Fatalf("Create %s: %v", typ, err)
	}
	return resp.GetId(), resp.GetProperties().AsMap()
}

func TestCreateSynthesizesAWSAttributes(t *testing.T) {
	s, dir := newConfigured(t, "aws", map[string]any{"defaultTags": map[string]any{"tags": map[string]any{"team": "ml"}}})
	tests := []struct {
		typ, logical string
		inputs       map[string]any
		wantID       string // "" when generated
		want         map[string]any
	}{
		{typeBucket, "artifacts", map[string]any{"bucket": "acme-artifacts", "tags": map[string]any{"env": "dev"}},
			"acme-artifacts", map[string]any{
				"arn": "arn:aws:s3:::acme-artifacts", "bucketRegionalDomainName": "acme-artifacts.s3.us-west-2.amazonaws.com",
				"tagsAll":     map[string]any{"team": "ml", "env": "dev"},
				"versionings": []any{map[string]any{"enabled": false, "mfaDelete": false}},
				"serverSideEncryptionConfigurations": []any{map[string]any{"rules": []any{map[string]any{
					"applyServerSideEncryptionByDefaults": []any{map[string]any{"kmsMasterKeyId": "", "sseAlgorithm": "AES256"}},
				}}}},
			}},
		{typeBucket, "declared", map[string]any{"bucket": "acme-declared", "versionings": []any{map[string]any{"enabled": true}}},
			"acme-declared", map[string]any{"versionings": []any{map[string]any{"enabled": true}}}},
		{typeSSMParameter, "p", map[string]any{"name": "/ml/x/Name", "type": "String", "value": "v"},
			"/ml/x/Name", map[string]any{"arn": "arn:aws:ssm:us-west-2:111122223333:parameter/ml/x/Name", "version": 1.0}},
		{typeCodeCommitRepository, "repo", map[string]any{"repositoryName": "r1"}, "r1", map[string]any{
			"arn":          "arn:aws:codecommit:us-west-2:111122223333:r1",
			"cloneUrlHttp": "https://git-codecommit.us-west-2.amazonaws.com/v1/repos/r1",
			"cloneUrlSsh":  "ssh://git-codecommit.us-west-2.amazonaws.com/v1/repos/r1",
		}},
		{"aws:cloudwatch/logGroup:LogGroup", "logs", map[string]any{"name": "lg"}, "lg",
			map[string]any{"arn": "arn:aws:logs:us-west-2:111122223333:log-group:lg"}},
		{"aws:cloudwatch/eventRule:EventRule", "rule", map[string]any{"name": "approved"}, "approved",
			map[string]any{"arn": "arn:aws:events:us-west-2:111122223333:rule/approved"}},
		{typeIAMRole, "role", map[string]any{"name": "r-role"}, "r-role",
			map[string]any{"arn": "arn:aws:iam::111122223333:role/r-role"}},
		{typeTopicSubscription, "sub", map[string]any{"topic": "arn:aws:sns:us-west-2:111122223333:t", "protocol": "email", "endpoint": "a@b.example"},
			"", map[string]any{"pendingConfirmation": true}},
		{typeCodeStarConnection, "conn", map[string]any{"name": "c1", "providerType": "GitHub"}, "",
			map[string]any{"connectionStatus": "PENDING"}},
	}
	for _, tt := range tests {
		t.Run(tt.typ, func(t *testing.T) {
			id, outs := mustCreate(t, s, tt.typ, tt.logical, tt.inputs)
			if tt.wantID != "" && id != tt.wantID {
				t.Errorf("id = %q, want %q", id, tt.wantID)
			}
			if outs["id"] != id {
				t.Errorf("outputs id = %v, want %q", outs["id"], id)
			}
			for k, want := range tt.want {
				if got := outs[k]; !equalJSON(got, want) {
					t.Errorf("%s = %v, want %v", k, got, want)
				}
			}
			rs, err := control.Resources(dir)
			if err != nil {
				t.Fatal(err)
			}
			if !containsResource(rs, tt.typ, id) {
				t.Errorf("%s %q not persisted; have %v", tt.typ, id, rs)
			}
		})
	}
}

func containsResource(rs []control.Resource, typ, id string) bool {
	for _, r := range rs {
		if r.Type == typ && r.ID == id {
			return true
		}
	}
	return false
}

// equalJSON compares decoded property values (maps, lists, float64 numbers).
func equalJSON(a, b any) bool { return reflect.DeepEqual(a, b) }

func TestGeneratedIDsAndARNs(t *testing.T) {
	s, _ := newConfigured(t, "aws", nil)
	id, outs := mustCreate(t, s, typeVPCEndpoint, "s3", map[string]any{"vpcId": "vpc-1", "serviceName": "com.amazonaws.us-west-2.s3"})
	if !strings.HasPrefix(id, "vpce-0") || len(id) != len("vpce-0")+16 {
		t.Errorf("vpc endpoint id = %q, want vpce-0 and 16 hex digits", id)
	}
	if want := "arn:aws:ec2:us-west-2:111122223333:vpc-endpoint/" + id; outs["arn"] != want {
		t.Errorf("arn = %v, want %s", outs["arn"], want)
	}
	keyID, keyOuts := mustCreate(t, s, typeKMSKey, "key", map[string]any{"enableKeyRotation": true})
	if keyOuts["keyId"] != keyID || keyOuts["arn"] != "arn:aws:kms:us-west-2:111122223333:key/"+keyID {
		t.Errorf("kms key outputs = %v for id %q", keyOuts, keyID)
	}
	mpgID, mpg := mustCreate(t, s, typeModelPackageGroup, "models", map[string]any{"modelPackageGroupName": "Acme-Models"})
	if want := "arn:aws:sagemaker:us-west-2:111122223333:model-package-group/acme-models"; mpgID != want || mpg["modelPackageGroupArn"] != want {
		t.Errorf("model package group id %q arn %v, want %s", mpgID, mpg["modelPackageGroupArn"], want)
	}
}

func TestCreateTwiceFailsLikeAWS(t *testing.T) {
	s, _ := newConfigured(t, "aws", nil)
	mustCreate(t, s, typeBucket, "a", map[string]any{"bucket": "dup"})
	_, err := create(t, s, typeBucket, "b", map[string]any{"bucket": "dup"})
	if err == nil || !strings.Contains(err.Error(), `"dup" already exists`) {
		t.Fatalf("second create error = %v, want already exists", err)
	}
}

func TestPreviewCreatePersistsNothingAndHidesUnknowns(t *testing.T) {
	s, dir := newConfigured(t, "aws", nil)
	resp, err := s.Create(context.Background(), &pulumirpc.CreateRequest{
		Type: typeVPCEndpoint, Name: "s3", Preview: true,
		Properties: mustStruct(t, map[string]any{"vpcId": "vpc-1"}),
	})
	if err != nil {
		t.Fatal(err)
	}
	outs := resp.GetProperties().AsMap()
	if resp.GetId() != "" || outs["arn"] != plugin.UnknownStringValue || outs["vpcId"] != "vpc-1" {
		t.Errorf("preview id %q outputs %v: want no id, unknown arn, known vpcId", resp.GetId(), outs)
	}
	if rs, _ := control.Resources(dir); len(rs) != 0 {
		t.Errorf("preview persisted %v", rs)
	}
	if calls, _ := control.Calls(dir); len(calls) != 1 || calls[0].Op != cloudstate.OpConfigure {
		t.Errorf("calls after preview = %v, want only the configure", calls)
	}
}

// A bucket's versioning is computed by the provider: unknown when planning a
// create, kept from the stored outputs when planning an update.
func TestPreviewPlansReportedAttributes(t *testing.T) {
	s, _ := newConfigured(t, "aws", nil)
	created, err := s.Create(context.Background(), &pulumirpc.CreateRequest{
		Type: typeBucket, Name: "b", Preview: true, Properties: mustStruct(t, map[string]any{"bucket": "planned"}),
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := created.GetProperties().AsMap()["versionings"]; got != plugin.UnknownStringValue {
		t.Errorf("create preview versionings = %v, want unknown", got)
	}
	olds := map[string]any{"bucket": "planned", "versionings": []any{map[string]any{"enabled": false, "mfaDelete": false}}}
	updated, err := s.Update(context.Background(), &pulumirpc.UpdateRequest{
		Type: typeBucket, Id: "planned", Preview: true, Olds: mustStruct(t, olds), News: mustStruct(t, map[string]any{"bucket": "planned"}),
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := updated.GetProperties().AsMap()["versionings"]; !equalJSON(got, olds["versionings"]) {
		t.Errorf("update preview versionings = %v, want the stored %v", got, olds["versionings"])
	}
}

func TestDiffReportsChangesAndReplacements(t *testing.T) {
	s, _ := newConfigured(t, "aws", nil)
	olds := map[string]any{"bucket": "b1", "tags": map[string]any{"a": "1"}, "arn": "arn:aws:s3:::b1"}
	oldInputs := map[string]any{"bucket": "b1", "tags": map[string]any{"a": "1"}}
	tests := []struct {
		name         string
		news         map[string]any
		wantChanges  pulumirpc.DiffResponse_DiffChanges
		wantDiffs    []string
		wantReplaces []string
	}{
		{"same", map[string]any{"bucket": "b1", "tags": map[string]any{"a": "1"}}, pulumirpc.DiffResponse_DIFF_NONE, nil, nil},
		{"tags", map[string]any{"bucket": "b1", "tags": map[string]any{"a": "2"}}, pulumirpc.DiffResponse_DIFF_SOME, []string{"tags"}, nil},
		{"rename", map[string]any{"bucket": "b2", "tags": map[string]any{"a": "1"}}, pulumirpc.DiffResponse_DIFF_SOME, []string{"bucket"}, []string{"bucket"}},
		{"removed tags", map[string]any{"bucket": "b1"}, pulumirpc.DiffResponse_DIFF_SOME, []string{"tags"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := s.Diff(context.Background(), &pulumirpc.DiffRequest{
				Type: typeBucket, Id: "b1", Olds: mustStruct(t, olds), OldInputs: mustStruct(t, oldInputs), News: mustStruct(t, tt.news),
			})
			if err != nil {
				t.Fatal(err)
			}
			if resp.Changes != tt.wantChanges || strings.Join(resp.Diffs, ",") != strings.Join(tt.wantDiffs, ",") ||
				strings.Join(resp.Replaces, ",") != strings.Join(tt.wantReplaces, ",") {
				t.Errorf("diff = changes %v diffs %v replaces %v; want %v %v %v",
					resp.Changes, resp.Diffs, resp.Replaces, tt.wantChanges, tt.wantDiffs, tt.wantReplaces)
			}
		})
	}
}

func TestConfigureEnforcesAllowedAccounts(t *testing.T) {
	dir := t.TempDir()
	store, _ := cloudstate.Open(dir)
	s := New("aws", "0.0.1", store, testAccount)
	for _, allowed := range []any{[]any{"999999999999"}, `["999999999999"]`} {
		_, err := s.Configure(context.Background(), &pulumirpc.ConfigureRequest{
			Args: mustStruct(t, map[string]any{"region": "eu-west-1", "allowedAccountIds": allowed}),
		})
		if err == nil || !strings.Contains(err.Error(), "AWS account ID not allowed: "+testAccount) {
			t.Errorf("allowedAccountIds %v: error = %v, want account not allowed", allowed, err)
		}
	}
	_, err := s.Configure(context.Background(), &pulumirpc.ConfigureRequest{
		Args: mustStruct(t, map[string]any{"region": "eu-west-1", "allowedAccountIds": []any{testAccount}}),
	})
	if err != nil {
		t.Errorf("allowed account refused: %v", err)
	}
}

func TestReadSeesDriftAndDeletion(t *testing.T) {
	s, dir := newConfigured(t, "aws", nil)
	id, _ := mustCreate(t, s, typeBucket, "b", map[string]any{"bucket": "drifty", "tags": map[string]any{"a": "1"}})
	if err := control.Mutate(dir, typeBucket, id, "tags", map[string]any{"a": "changed"}); err != nil {
		t.Fatal(err)
	}
	read := func() *pulumirpc.ReadResponse {
		resp, err := s.Read(context.Background(), &pulumirpc.ReadRequest{Type: typeBucket, Id: id})
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	resp := read()
	if got := resp.GetProperties().AsMap()["tags"]; !equalJSON(got, map[string]any{"a": "changed"}) {
		t.Errorf("read tags = %v, want the mutated value", got)
	}
	if got := resp.GetInputs().AsMap()["tags"]; !equalJSON(got, map[string]any{"a": "changed"}) {
		t.Errorf("read input tags = %v, want the mutated value", got)
	}
	if err := control.Remove(dir, typeBucket, id); err != nil {
		t.Fatal(err)
	}
	if resp := read(); resp.GetId() != "" {
		t.Errorf("read of a removed resource returned id %q, want empty", resp.GetId())
	}
	if _, err := s.Update(context.Background(), &pulumirpc.UpdateRequest{Type: typeBucket, Id: id, News: mustStruct(t, map[string]any{"bucket": "drifty"})}); err == nil ||
		!strings.Contains(err.Error(), "does not exist") {
		t.Errorf("update of a removed resource: error = %v, want does not exist", err)
	}
	if _, err := s.Delete(context.Background(), &pulumirpc.DeleteRequest{Type: typeBucket, Id: id}); err != nil {
		t.Errorf("delete of a removed resource: %v, want success", err)
	}
}

func TestInjectedFaultFailsOnceAndPersistsNothing(t *testing.T) {
	s, dir := newConfigured(t, "aws", nil)
	err := control.InjectFault(dir, control.Fault{Op: "create", Type: typeBucket, Name: "flaky", Times: 1, Message: "InternalError: try again"})
	if err != nil {
		t.Fatal(err)
	}
	mustCreate(t, s, typeBucket, "other", map[string]any{"bucket": "not-flaky"})
	if _, err := create(t, s, typeBucket, "f", map[string]any{"bucket": "flaky"}); err == nil || !strings.Contains(err.Error(), "InternalError: try again") {
		t.Fatalf("faulted create error = %v, want the injected message", err)
	}
	if rs, _ := control.Resources(dir); containsResource(rs, typeBucket, "flaky") {
		t.Error("faulted create persisted the bucket")
	}
	mustCreate(t, s, typeBucket, "f", map[string]any{"bucket": "flaky"})
	if pending, _ := control.PendingFaults(dir); len(pending) != 0 {
		t.Errorf("pending faults = %v, want none", pending)
	}
	calls, _ := control.Calls(dir)
	var failed []string
	for _, c := range calls {
		if c.Error != "" {
			failed = append(failed, c.Op+" "+c.Name)
		}
	}
	if strings.Join(failed, ";") != "create flaky" {
		t.Errorf("failed calls logged = %v, want [create flaky]", failed)
	}
}

func TestSSMParameterVersionFollowsValue(t *testing.T) {
	s, _ := newConfigured(t, "aws", nil)
	id, _ := mustCreate(t, s, typeSSMParameter, "p", map[string]any{"name": "/p", "type": "String", "value": "a"})
	update := func(value string) float64 {
		resp, err := s.Update(context.Background(), &pulumirpc.UpdateRequest{Type: typeSSMParameter, Id: id,
			News: mustStruct(t, map[string]any{"name": "/p", "type": "String", "value": value})})
		if err != nil {
			t.Fatal(err)
		}
		return resp.GetProperties().AsMap()["version"].(float64)
	}
	if v := update("b"); v != 2 {
		t.Errorf("version after a value change = %v, want 2", v)
	}
	if v := update("b"); v != 2 {
		t.Errorf("version after an unchanged value = %v, want 2", v)
	}
}

func invoke(t *testing.T, s *Server, tok string, args map[string]any) (map[string]any, error) {
	t.Helper()
	resp, err := s.Invoke(context.Background(), &pulumirpc.InvokeRequest{Tok: tok, Args: mustStruct(t, args)})
	if err != nil {
		return nil, err
	}
	return resp.GetReturn().AsMap(), nil
}

func TestInvokes(t *testing.T) {
	s, dir := newConfigured(t, "aws", nil)
	if err := control.SeedParameter(dir, "/vpc/main/VPCId", "vpc-0aaa"); err != nil {
		t.Fatal(err)
	}
	if err := control.SeedVPC(dir, "vpc-0aaa", "10.1.0.0/16", []string{"subnet-1", "subnet-2"}); err != nil {
		t.Fatal(err)
	}
	mustCreate(t, s, typeSSMParameter, "p", map[string]any{"name": "/ml/x/Out", "type": "String", "value": "from-stack"})

	tests := []struct {
		tok     string
		args    map[string]any
		key     string
		want    any
		wantErr string
	}{
		{"aws:index/getCallerIdentity:getCallerIdentity", nil, "accountId", testAccount, ""},
		{"aws:index/getRegion:getRegion", nil, "name", "us-west-2", ""},
		{"aws:ssm/getParameter:getParameter", map[string]any{"name": "/vpc/main/VPCId"}, "value", "vpc-0aaa", ""},
		{"aws:ssm/getParameter:getParameter", map[string]any{"name": "/ml/x/Out"}, "value", "from-stack", ""},
		{"aws:ssm/getParameter:getParameter", map[string]any{"name": "/missing"}, "", nil, "ParameterNotFound"},
		{"aws:ec2/getVpc:getVpc", map[string]any{"id": "vpc-0aaa"}, "cidrBlock", "10.1.0.0/16", ""},
		{"aws:ec2/getVpc:getVpc", map[string]any{"id": "vpc-0zzz"}, "", nil, "no matching EC2 VPC found"},
		{"aws:ec2/getSubnet:getSubnet", map[string]any{"id": "subnet-2"}, "vpcId", "vpc-0aaa", ""},
		{"aws:ec2/getSubnet:getSubnet", map[string]any{"id": "subnet-9"}, "", nil, "no matching EC2 Subnet found"},
		{"aws:index/getAmi:getAmi", nil, "", nil, "does not serve aws:index/getAmi:getAmi"},
	}
	for _, tt := range tests {
		t.Run(tt.tok+tt.wantErr, func(t *testing.T) {
			if tt.args == nil {
				tt.args = map[string]any{}
			}
			got, err := invoke(t, s, tt.tok, tt.args)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got[tt.key] != tt.want {
				t.Errorf("%s = %v, want %v", tt.key, got[tt.key], tt.want)
			}
		})
	}
}

func TestUnknownAuthorizerKindFailsCalls(t *testing.T) {
	s, dir := newConfigured(t, "aws", nil)
	if err := control.SetAuthorizer(dir, control.AuthorizerConfig{Kind: "iam-policy"}); err != nil {
		t.Fatal(err)
	}
	_, err := create(t, s, typeBucket, "b", map[string]any{"bucket": "b"})
	if err == nil || !strings.Contains(err.Error(), `unknown authorizer kind "iam-policy"`) {
		t.Errorf("create error = %v, want unknown authorizer kind", err)
	}
}

func TestEveryKindCanMakeAnID(t *testing.T) {
	for token, k := range kinds {
		if k.newID == nil && k.nameProperty == "" {
			t.Errorf("%s has neither a name property nor an id generator", token)
		}
		if k.attributes == nil {
			t.Errorf("%s has no attributes function", token)
		}
	}
}

func TestPartitionFollowsRegion(t *testing.T) {
	store, _ := cloudstate.Open(t.TempDir())
	s := New("aws", "0.0.1", store, testAccount)
	if _, err := s.Configure(context.Background(), &pulumirpc.ConfigureRequest{
		Args: mustStruct(t, map[string]any{"region": "cn-north-1"}),
	}); err != nil {
		t.Fatal(err)
	}
	_, outs := mustCreate(t, s, typeIAMRole, "r", map[string]any{"name": "r"})
	if want := "arn:aws-cn:iam::111122223333:role/r"; outs["arn"] != want {
		t.Errorf("arn = %v, want %s", outs["arn"], want)
	}
}
