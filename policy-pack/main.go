// Command pulumi-analyzer-policy-go serves mlprov's policy rules to the
// Pulumi engine as a CrossGuard analyzer plugin. It is the only file that
// touches the policy protocol: it implements pulumirpc.AnalyzerServer
// directly (policyx fails Analyze on unknown values and drops severity), and
// converts the engine's property structs into rules.Resource values.
//
// Build: go build -o bin/pulumi-analyzer-policy-go ./policy-pack
// The CLI starts it in the pack folder (PulumiPolicy.yaml, runtime: go) with
// the engine address as first argument; it prints its port and serves.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/mlprov/mlprov/policy-pack/rules"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"
)

// packVersion is reported to the engine; bump it when rules change.
const packVersion = "0.1.0"

func main() {
	if err := serve(); err != nil {
		fmt.Fprintln(os.Stderr, "mlprov policy pack:", err)
		os.Exit(1)
	}
}

func serve() error {
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterAnalyzerServer(srv, newAnalyzer(time.Now))
			return nil
		},
	})
	if err != nil {
		return err
	}
	// The plugin protocol: announce the port on stdout, then serve.
	fmt.Printf("%d\n", handle.Port)
	return <-handle.Done
}

// analyzer serves the rules catalogue.
type analyzer struct {
	pulumirpc.UnimplementedAnalyzerServer

	clock func() time.Time

	mu      sync.RWMutex
	waivers []rules.Waiver
	now     time.Time // zero: use clock
}

func newAnalyzer(clock func() time.Time) *analyzer { return &analyzer{clock: clock} }

func (a *analyzer) settings() ([]rules.Waiver, time.Time) {
	a.mu.RLock()
	defer a.mu.RUnlock()
	if a.now.IsZero() {
		return a.waivers, a.clock()
	}
	return a.waivers, a.now
}

// Analyze judges one resource's inputs. Rules that need companion resources
// answer "cannot judge yet" here and are judged again in AnalyzeStack.
func (a *analyzer) Analyze(_ context.Context, req *pulumirpc.AnalyzeRequest) (*pulumirpc.AnalyzeResponse, error) {
	r, err := toResource(req.GetType(), req.GetUrn(), req.GetName(), req.GetProperties(), req.GetOptions())
	if err != nil {
		return nil, err
	}
	waivers, now := a.settings()
	findings := rules.Evaluate(rules.Stack{Resources: []rules.Resource{r}, Partial: true}, waivers, now)
	return &pulumirpc.AnalyzeResponse{Diagnostics: diagnostics(findings, nil)}, nil
}

// AnalyzeStack judges the whole stack (resource, stack and waiver rules),
// leaving out violations Analyze already reported for the same resource.
func (a *analyzer) AnalyzeStack(_ context.Context, req *pulumirpc.AnalyzeStackRequest) (*pulumirpc.AnalyzeResponse, error) {
	var stack rules.Stack
	for _, ar := range req.GetResources() {
		r, err := toResource(ar.GetType(), ar.GetUrn(), ar.GetName(), ar.GetProperties(), ar.GetOptions())
		if err != nil {
			return nil, err
		}
		stack.Resources = append(stack.Resources, r)
	}
	waivers, now := a.settings()
	seen := map[string]bool{}
	for _, r := range stack.Resources {
		for _, f := range rules.Evaluate(rules.Stack{Resources: []rules.Resource{r}, Partial: true}, waivers, now) {
			seen[f.RuleID+" "+f.URN] = f.Status == rules.StatusViolation
		}
	}
	findings := rules.Evaluate(stack, waivers, now)
	return &pulumirpc.AnalyzeResponse{Diagnostics: diagnostics(findings, seen)}, nil
}

// diagnostics reports violations; unknown and waived findings are not
// violations. skip holds rule+URN keys already reported.
func diagnostics(findings []rules.Finding, skip map[string]bool) []*pulumirpc.AnalyzeDiagnostic {
	var out []*pulumirpc.AnalyzeDiagnostic
	for _, f := range findings {
		if f.Status != rules.StatusViolation || skip[f.RuleID+" "+f.URN] {
			continue
		}
		rule, _ := rules.Lookup(f.RuleID)
		message := f.Message + ". Remediation: " + f.Remediation
		if f.URN == "" {
			// Stack and waiver findings have no resource for the engine to show.
			message = f.LogicalName + ": " + message
		}
		out = append(out, &pulumirpc.AnalyzeDiagnostic{
			PolicyName:        f.RuleID,
			PolicyPackName:    rules.PackName,
			PolicyPackVersion: packVersion,
			Description:       rule.Description,
			Message:           message,
			EnforcementLevel:  enforcementLevel(f.Enforcement),
			Urn:               f.URN,
			Severity:          severity(f.Severity),
		})
	}
	return out
}

func enforcementLevel(e rules.Enforcement) pulumirpc.EnforcementLevel {
	if e == rules.Mandatory {
		return pulumirpc.EnforcementLevel_MANDATORY
	}
	return pulumirpc.EnforcementLevel_ADVISORY
}

func severity(s rules.Severity) pulumirpc.PolicySeverity {
	return map[rules.Severity]pulumirpc.PolicySeverity{
		rules.SeverityLow:      pulumirpc.PolicySeverity_POLICY_SEVERITY_LOW,
		rules.SeverityMedium:   pulumirpc.PolicySeverity_POLICY_SEVERITY_MEDIUM,
		rules.SeverityHigh:     pulumirpc.PolicySeverity_POLICY_SEVERITY_HIGH,
		rules.SeverityCritical: pulumirpc.PolicySeverity_POLICY_SEVERITY_CRITICAL,
	}[s]
}

// GetAnalyzerInfo lists every rule as a policy with its enforcement level.
func (a *analyzer) GetAnalyzerInfo(context.Context, *emptypb.Empty) (*pulumirpc.AnalyzerInfo, error) {
	var policies []*pulumirpc.PolicyInfo
	for _, r := range rules.All() {
		info := &pulumirpc.PolicyInfo{
			Name:             r.ID,
			DisplayName:      r.Name,
			Description:      r.Description,
			EnforcementLevel: enforcementLevel(r.Enforcement),
			Severity:         severity(r.Severity),
			PolicyType:       pulumirpc.PolicyType_POLICY_TYPE_RESOURCE,
			RemediationSteps: r.Remediation,
			Tags:             r.Peers.All(),
		}
		if r.IsStackRule() || r.IsWaiverRule() {
			info.PolicyType = pulumirpc.PolicyType_POLICY_TYPE_STACK
		}
		if r.ID == rules.WaiverConfigPolicy {
			schema, err := structpb.NewStruct(map[string]any{
				"waivers": map[string]any{"type": "array", "items": map[string]any{"type": "object"}},
				"now":     map[string]any{"type": "string"},
			})
			if err != nil {
				return nil, err
			}
			info.ConfigSchema = &pulumirpc.PolicyConfigSchema{Properties: schema}
		}
		policies = append(policies, info)
	}
	return &pulumirpc.AnalyzerInfo{
		Name:           rules.PackName,
		DisplayName:    "mlprov policy pack",
		Description:    "Security and compliance rules for ML product infrastructure (KMS, S3, IAM, CodeBuild, CodePipeline, logging, networking, tagging).",
		Version:        packVersion,
		Policies:       policies,
		SupportsConfig: true,
	}, nil
}

func (a *analyzer) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: packVersion}, nil
}

// Configure reads the waivers (and a test clock) from the waiver policy's
// configuration. Enforcement overrides are not honoured: exceptions come
// only from dated, owned waivers.
func (a *analyzer) Configure(_ context.Context, req *pulumirpc.ConfigureAnalyzerRequest) (*emptypb.Empty, error) {
	cfg := req.GetPolicyConfig()[rules.WaiverConfigPolicy]
	if cfg == nil || cfg.GetProperties() == nil {
		return &emptypb.Empty{}, nil
	}
	b, err := cfg.GetProperties().MarshalJSON()
	if err != nil {
		return nil, err
	}
	var pc rules.PackConfig
	if err := json.Unmarshal(b, &pc); err != nil {
		return nil, fmt.Errorf("%s configuration: %w", rules.WaiverConfigPolicy, err)
	}
	var now time.Time
	if pc.Now != "" {
		if now, err = time.Parse(time.RFC3339, pc.Now); err != nil {
			return nil, fmt.Errorf("%s configuration: now: %w", rules.WaiverConfigPolicy, err)
		}
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.waivers, a.now = pc.Waivers, now
	return &emptypb.Empty{}, nil
}

func (a *analyzer) Handshake(context.Context, *pulumirpc.AnalyzerHandshakeRequest) (*pulumirpc.AnalyzerHandshakeResponse, error) {
	return &pulumirpc.AnalyzerHandshakeResponse{}, nil
}

func (a *analyzer) ConfigureStack(context.Context, *pulumirpc.AnalyzerStackConfigureRequest) (*pulumirpc.AnalyzerStackConfigureResponse, error) {
	return &pulumirpc.AnalyzerStackConfigureResponse{}, nil
}

func (a *analyzer) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

// toResource converts the engine's view of a resource; computed values
// become rules.Unknown, secrets are judged by their plaintext (never printed).
func toResource(typ, urn, name string, props *structpb.Struct, opts *pulumirpc.AnalyzerResourceOptions) (rules.Resource, error) {
	pm, err := plugin.UnmarshalProperties(props, plugin.MarshalOptions{KeepUnknowns: true, KeepSecrets: true, KeepResources: true, KeepOutputValues: true, SkipNulls: true})
	if err != nil {
		return rules.Resource{}, fmt.Errorf("%s: reading properties: %w", urn, err)
	}
	out := make(rules.Props, len(pm))
	for k, v := range pm {
		out[string(k)] = toValue(v)
	}
	return rules.Resource{URN: urn, Type: typ, Name: logicalName(urn, name), Props: out, Protect: opts.GetProtect()}, nil
}

// logicalName prefers the request's name, else the URN's last segment.
func logicalName(urn, name string) string {
	if name != "" {
		return name
	}
	return urn[strings.LastIndex(urn, "::")+2:]
}

func toValue(v resource.PropertyValue) any {
	switch {
	case v.IsComputed():
		return rules.Unknown
	case v.IsOutput():
		o := v.OutputValue()
		if !o.Known {
			return rules.Unknown
		}
		return toValue(o.Element)
	case v.IsSecret():
		return toValue(v.SecretValue().Element)
	case v.IsResourceReference():
		ref := v.ResourceReferenceValue()
		if ref.ID.IsString() {
			return ref.ID.StringValue()
		}
		return string(ref.URN)
	case v.IsBool():
		return v.BoolValue()
	case v.IsNumber():
		return v.NumberValue()
	case v.IsString():
		return v.StringValue()
	case v.IsArray():
		arr := v.ArrayValue()
		out := make([]any, len(arr))
		for i, e := range arr {
			out[i] = toValue(e)
		}
		return out
	case v.IsObject():
		obj := v.ObjectValue()
		out := make(map[string]any, len(obj))
		for k, e := range obj {
			out[string(k)] = toValue(e)
		}
		return out
	}
	return nil
}
