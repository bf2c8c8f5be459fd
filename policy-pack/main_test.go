package main

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/mlprov/mlprov/policy-pack/rules"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"
)

var testNow = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

// startAnalyzer serves the analyzer on a loopback port and returns a client;
// its clock reads testNow.
func startAnalyzer(t *testing.T) pulumirpc.AnalyzerClient {
	t.Helper()
	return startAnalyzerAt(t, func() time.Time { return testNow })
}

// startAnalyzerAt serves an analyzer with the given clock (injected
// in-process: the protocol has no clock setting).
func startAnalyzerAt(t *testing.T, clock func() time.Time) pulumirpc.AnalyzerClient {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := grpc.NewServer()
	pulumirpc.RegisterAnalyzerServer(srv, newAnalyzer(clock))
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)
	conn, err := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return pulumirpc.NewAnalyzerClient(conn)
}

func marshal(t *testing.T, pm resource.PropertyMap) *structpb.Struct {
	t.Helper()
	s, err := plugin.MarshalProperties(pm, plugin.MarshalOptions{KeepUnknowns: true, KeepSecrets: true})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

const keyURN = "urn:pulumi:dev::mlprov::aws:kms/key:Key::key"

func analyzeKey(t *testing.T, c pulumirpc.AnalyzerClient, rotation resource.PropertyValue) []*pulumirpc.AnalyzeDiagnostic {
	t.Helper()
	resp, err := c.Analyze(context.Background(), &pulumirpc.AnalyzeRequest{
		Type: "aws:kms/key:Key", Urn: keyURN, Name: "key",
		Properties: marshal(t, resource.PropertyMap{
			"enableKeyRotation": rotation,
			"description":       resource.NewStringProperty("product key"),
			"tags":              resource.NewObjectProperty(resource.PropertyMap{"mlprov:managed-by": resource.NewStringProperty("mlprov")}),
		}),
	})
	if err != nil {
		t.Fatal(err)
	}
	return resp.GetDiagnostics()
}

func policiesIn(diags []*pulumirpc.AnalyzeDiagnostic) map[string]*pulumirpc.AnalyzeDiagnostic {
	out := map[string]*pulumirpc.AnalyzeDiagnostic{}
	for _, d := range diags {
		out[d.GetPolicyName()] = d
	}
	return out
}

func TestAnalyzeBlocksKeyWithoutRotation(t *testing.T) {
	c := startAnalyzer(t)
	d := policiesIn(analyzeKey(t, c, resource.NewBoolProperty(false)))["MLP-KMS-001"]
	if d == nil {
		t.Fatal("want a MLP-KMS-001 diagnostic for enableKeyRotation false")
	}
	if d.GetEnforcementLevel() != pulumirpc.EnforcementLevel_MANDATORY || d.GetUrn() != keyURN ||
		d.GetSeverity() != pulumirpc.PolicySeverity_POLICY_SEVERITY_HIGH || !strings.Contains(d.GetMessage(), "enableKeyRotation") {
		t.Errorf("want a mandatory, high-severity diagnostic on the key naming the property, got %v", d)
	}
	if policiesIn(analyzeKey(t, c, resource.NewBoolProperty(true)))["MLP-KMS-001"] != nil {
		t.Error("rotation on: want no MLP-KMS-001 diagnostic")
	}
}

func TestAnalyzeUnknownRotationIsNotAViolation(t *testing.T) {
	c := startAnalyzer(t)
	diags := analyzeKey(t, c, resource.MakeComputed(resource.NewStringProperty("")))
	if d := policiesIn(diags)["MLP-KMS-001"]; d != nil {
		t.Errorf("unknown rotation during preview: want no diagnostic, got %v", d)
	}
	secret := resource.MakeSecret(resource.NewBoolProperty(true))
	if policiesIn(analyzeKey(t, c, secret))["MLP-KMS-001"] == nil {
		t.Error("a secret is judged as the offline gate sees it (redacted), which is not rotation on")
	}
}

func TestAnalyzeStackJudgesCompanionsAndHonoursWaivers(t *testing.T) {
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	c := startAnalyzerAt(t, func() time.Time { return now })
	bucket := &pulumirpc.AnalyzerResource{
		Type: "aws:s3/bucketV2:BucketV2", Urn: "urn:pulumi:dev::mlprov::aws:s3/bucketV2:BucketV2::artifacts", Name: "artifacts",
		Properties: marshal(t, resource.PropertyMap{"bucket": resource.NewStringProperty("acme-artifacts")}),
	}
	stack := &pulumirpc.AnalyzeStackRequest{Resources: []*pulumirpc.AnalyzerResource{bucket}}
	resp, err := c.AnalyzeStack(context.Background(), stack)
	if err != nil {
		t.Fatal(err)
	}
	if policiesIn(resp.GetDiagnostics())["MLP-S3-004"] == nil {
		t.Fatal("a bucket with no TLS policy anywhere in the stack: want MLP-S3-004")
	}
	props, _ := structpb.NewStruct(map[string]any{
		"waivers": []any{map[string]any{"rule": "MLP-S3-004", "resource": "artifacts", "reason": "legacy", "owner": "secops", "expires": "2026-12-31"}},
	})
	if err := configure(c, nil, props); err != nil {
		t.Fatal(err)
	}
	resp, _ = c.AnalyzeStack(context.Background(), stack)
	got := policiesIn(resp.GetDiagnostics())
	if got["MLP-S3-004"] != nil || got["MLP-S3-003"] == nil || got["MLP-WVR-002"] != nil {
		t.Errorf("waived: want S3-004 gone, S3-003 still reported, no expiry finding; got %v", resp.GetDiagnostics())
	}
	now = time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	resp, _ = c.AnalyzeStack(context.Background(), stack)
	if got := policiesIn(resp.GetDiagnostics()); got["MLP-S3-004"] == nil || got["MLP-WVR-002"] == nil {
		t.Errorf("expired waiver: want S3-004 back and MLP-WVR-002, got %v", resp.GetDiagnostics())
	}
}

func TestAnalyzerInfoListsEveryRule(t *testing.T) {
	c := startAnalyzer(t)
	info, err := c.GetAnalyzerInfo(context.Background(), &emptypb.Empty{})
	if err != nil {
		t.Fatal(err)
	}
	if info.GetName() != rules.PackName || !info.GetSupportsConfig() || len(info.GetPolicies()) != len(rules.All()) {
		t.Fatalf("want %s with %d policies and config support, got %s with %d", rules.PackName, len(rules.All()), info.GetName(), len(info.GetPolicies()))
	}
	for i, p := range info.GetPolicies() {
		r := rules.All()[i]
		if p.GetName() != r.ID || p.GetEnforcementLevel() != enforcementLevel(r.Enforcement) || p.GetRemediationSteps() != r.Remediation {
			t.Errorf("policy %d: want %s %s, got %v", i, r.ID, r.Enforcement, p)
		}
	}
	if plug, _ := c.GetPluginInfo(context.Background(), &emptypb.Empty{}); plug.GetVersion() != rules.PackVersion {
		t.Errorf("plugin version %q", plug.GetVersion())
	}
}

func keyResource(t *testing.T, rotation resource.PropertyValue) *pulumirpc.AnalyzerResource {
	return &pulumirpc.AnalyzerResource{
		Type: "aws:kms/key:Key", Urn: keyURN, Name: "key",
		Properties: marshal(t, resource.PropertyMap{
			"enableKeyRotation": rotation,
			"description":       resource.NewStringProperty("product key"),
		}),
	}
}

func analyzeStack(t *testing.T, c pulumirpc.AnalyzerClient, rs ...*pulumirpc.AnalyzerResource) []*pulumirpc.AnalyzeDiagnostic {
	t.Helper()
	resp, err := c.AnalyzeStack(context.Background(), &pulumirpc.AnalyzeStackRequest{Resources: rs})
	if err != nil {
		t.Fatal(err)
	}
	return resp.GetDiagnostics()
}

func countPolicy(diags []*pulumirpc.AnalyzeDiagnostic, policy string) int {
	n := 0
	for _, d := range diags {
		if d.GetPolicyName() == policy {
			n++
		}
	}
	return n
}

// A property unknown when Analyze ran (computed inside an apply) is judged on
// the final values by AnalyzeStack; one Analyze reported is not repeated.
func TestAnalyzeStackReportsWhatAnalyzeDidNot(t *testing.T) {
	c := startAnalyzer(t)
	if d := policiesIn(analyzeKey(t, c, resource.MakeComputed(resource.NewStringProperty(""))))["MLP-KMS-001"]; d != nil {
		t.Fatalf("unknown rotation: Analyze must not judge, got %v", d)
	}
	if n := countPolicy(analyzeStack(t, c, keyResource(t, resource.NewBoolProperty(false))), "MLP-KMS-001"); n != 1 {
		t.Fatalf("final rotation false after an unknown at Analyze: want MLP-KMS-001 once from AnalyzeStack, got %d", n)
	}

	c = startAnalyzer(t)
	if policiesIn(analyzeKey(t, c, resource.NewBoolProperty(false)))["MLP-KMS-001"] == nil {
		t.Fatal("rotation false: want Analyze to report MLP-KMS-001")
	}
	if n := countPolicy(analyzeStack(t, c, keyResource(t, resource.NewBoolProperty(false))), "MLP-KMS-001"); n != 0 {
		t.Errorf("already reported by Analyze: want no repeat from AnalyzeStack, got %d", n)
	}
}

func configure(c pulumirpc.AnalyzerClient, levels map[string]pulumirpc.EnforcementLevel, waiverProps *structpb.Struct) error {
	cfg := map[string]*pulumirpc.PolicyConfig{}
	for _, r := range rules.All() { // the engine always sends every policy with its level
		cfg[r.ID] = &pulumirpc.PolicyConfig{EnforcementLevel: enforcementLevel(r.Enforcement)}
	}
	for name, l := range levels {
		cfg[name] = &pulumirpc.PolicyConfig{EnforcementLevel: l}
	}
	if waiverProps != nil {
		cfg[rules.WaiverConfigPolicy].Properties = waiverProps
	}
	_, err := c.Configure(context.Background(), &pulumirpc.ConfigureAnalyzerRequest{PolicyConfig: cfg})
	return err
}

func TestConfigureHonoursEnforcementOverrides(t *testing.T) {
	c := startAnalyzer(t)
	if err := configure(c, map[string]pulumirpc.EnforcementLevel{"MLP-KMS-001": pulumirpc.EnforcementLevel_ADVISORY}, nil); err != nil {
		t.Fatal(err)
	}
	d := policiesIn(analyzeKey(t, c, resource.NewBoolProperty(false)))["MLP-KMS-001"]
	if d == nil || d.GetEnforcementLevel() != pulumirpc.EnforcementLevel_ADVISORY {
		t.Errorf("MLP-KMS-001 set advisory: want an advisory diagnostic, got %v", d)
	}

	if err := configure(c, map[string]pulumirpc.EnforcementLevel{"MLP-KMS-001": pulumirpc.EnforcementLevel_DISABLED}, nil); err != nil {
		t.Fatal(err)
	}
	if d := policiesIn(analyzeKey(t, c, resource.NewBoolProperty(false)))["MLP-KMS-001"]; d != nil {
		t.Errorf("MLP-KMS-001 disabled: want no diagnostic, got %v", d)
	}
	if n := countPolicy(analyzeStack(t, c, keyResource(t, resource.NewBoolProperty(false))), "MLP-KMS-001"); n != 0 {
		t.Errorf("MLP-KMS-001 disabled: want no AnalyzeStack diagnostic, got %d", n)
	}
}

func TestConfigureRejectsBadConfig(t *testing.T) {
	c := startAnalyzer(t)
	withNow, _ := structpb.NewStruct(map[string]any{"now": "2020-01-01T00:00:00Z"})
	for name, tc := range map[string]struct {
		levels map[string]pulumirpc.EnforcementLevel
		props  *structpb.Struct
		want   string
	}{
		"unknown rule":        {map[string]pulumirpc.EnforcementLevel{"MLP-NOPE-001": pulumirpc.EnforcementLevel_ADVISORY}, nil, "MLP-NOPE-001"},
		"waiver rule lowered": {map[string]pulumirpc.EnforcementLevel{"MLP-WVR-002": pulumirpc.EnforcementLevel_DISABLED}, nil, "MLP-WVR-002"},
		"clock in the config": {nil, withNow, `"now"`},
	} {
		err := configure(c, tc.levels, tc.props)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: want an error naming %s, got %v", name, tc.want, err)
		}
	}
}
