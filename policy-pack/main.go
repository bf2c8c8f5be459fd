// Command pulumi-analyzer-policy-go serves mlprov's policy rules to the
// Pulumi engine as a CrossGuard analyzer plugin. It is the only file that
// touches the policy protocol: it implements pulumirpc.AnalyzerServer
// directly (policyx fails Analyze on unknown values and drops severity), and
// converts the engine's property structs into rules.Resource values.
//
// Build: go build -o bin/pulumi-analyzer-policy-go ./policy-pack (make build).
// The CLI starts it with the engine address as first argument — mlprov passes
// the executable itself as --policy-pack — and it prints its port and serves.
// With rules.IdentityFlag it prints rules.Identity (mlprov's handshake).
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/mlprov/mlprov/policy-pack/rules"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"
)

func main() {
	if len(os.Args) == 2 && os.Args[1] == rules.IdentityFlag {
		// mlprov's handshake: which pack and catalogue this executable serves.
		fmt.Println(rules.Identity())
		return
	}
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

// analyzer serves the rules catalogue. One analyzer process serves one
// engine operation, so what Analyze reported is what this operation showed.
type analyzer struct {
	pulumirpc.UnimplementedAnalyzerServer

	// clock decides waiver expiry (tests inject their own in-process).
	clock func() time.Time

	mu        sync.Mutex
	waivers   []rules.Waiver
	overrides rules.Overrides
	// reported holds the rule+URN of every violation Analyze reported, so
	// AnalyzeStack reports each remaining one exactly once.
	reported map[string]bool
}

func newAnalyzer(clock func() time.Time) *analyzer {
	return &analyzer{clock: clock, reported: map[string]bool{}}
}

func findingKey(f rules.Finding) string { return f.RuleID + " " + f.URN }

// Analyze judges one resource's inputs. Rules that need companion resources,
// or values still unknown, answer "cannot judge yet" here; AnalyzeStack
// judges them again on the final values.
func (a *analyzer) Analyze(_ context.Context, req *pulumirpc.AnalyzeRequest) (*pulumirpc.AnalyzeResponse, error) {
	r, err := toResource(req.GetType(), req.GetUrn(), req.GetName(), req.GetProperties(), req.GetOptions())
	if err != nil {
		return nil, err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	findings := a.overrides.Apply(rules.Evaluate(rules.Stack{Resources: []rules.Resource{r}, Partial: true}, a.waivers, a.clock()))
	out := diagnostics(findings, nil)
	for _, f := range findings {
		if f.Status == rules.StatusViolation {
			a.reported[findingKey(f)] = true
		}
	}
	return &pulumirpc.AnalyzeResponse{Diagnostics: out}, nil
}

// AnalyzeStack judges the whole stack on its final values (resource, stack
// and waiver rules) and reports every violation Analyze did not report — in
// particular one whose property was unknown when Analyze ran.
func (a *analyzer) AnalyzeStack(_ context.Context, req *pulumirpc.AnalyzeStackRequest) (*pulumirpc.AnalyzeResponse, error) {
	var stack rules.Stack
	for _, ar := range req.GetResources() {
		r, err := toResource(ar.GetType(), ar.GetUrn(), ar.GetName(), ar.GetProperties(), ar.GetOptions())
		if err != nil {
			return nil, err
		}
		stack.Resources = append(stack.Resources, r)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	findings := a.overrides.Apply(rules.Evaluate(stack, a.waivers, a.clock()))
	return &pulumirpc.AnalyzeResponse{Diagnostics: diagnostics(findings, a.reported)}, nil
}

// diagnostics reports violations; unknown and waived findings are not
// violations. skip holds rule+URN keys already reported.
func diagnostics(findings []rules.Finding, skip map[string]bool) []*pulumirpc.AnalyzeDiagnostic {
	var out []*pulumirpc.AnalyzeDiagnostic
	for _, f := range findings {
		if f.Status != rules.StatusViolation || skip[findingKey(f)] {
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
			PolicyPackVersion: rules.PackVersion,
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
		Version:        rules.PackVersion,
		Policies:       policies,
		SupportsConfig: true,
	}, nil
}

func (a *analyzer) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: rules.PackVersion}, nil
}

// Configure takes the engine's policy config: every rule's enforcement level
// (the pack's defaults with the user's or policy group's overrides applied,
// see rules.NewOverrides) and the waivers from the waiver policy's
// properties. An unknown rule name, level or property is an error.
func (a *analyzer) Configure(_ context.Context, req *pulumirpc.ConfigureAnalyzerRequest) (*emptypb.Empty, error) {
	levels := map[string]rules.Enforcement{}
	for name, cfg := range req.GetPolicyConfig() {
		levels[name] = fromEnforcementLevel(cfg.GetEnforcementLevel())
	}
	overrides, err := rules.NewOverrides(levels)
	if err != nil {
		return nil, err
	}
	var pc rules.PackConfig
	if cfg := req.GetPolicyConfig()[rules.WaiverConfigPolicy]; cfg != nil && cfg.GetProperties() != nil {
		b, err := cfg.GetProperties().MarshalJSON()
		if err != nil {
			return nil, err
		}
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&pc); err != nil {
			return nil, fmt.Errorf("policy pack config %s: %w (it takes only \"waivers\")", rules.WaiverConfigPolicy, err)
		}
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.waivers, a.overrides = pc.Waivers, overrides
	return &emptypb.Empty{}, nil
}

func fromEnforcementLevel(l pulumirpc.EnforcementLevel) rules.Enforcement {
	switch l {
	case pulumirpc.EnforcementLevel_ADVISORY:
		return rules.Advisory
	case pulumirpc.EnforcementLevel_DISABLED:
		return rules.Disabled
	case pulumirpc.EnforcementLevel_REMEDIATE:
		return rules.Remediate
	}
	return rules.Mandatory
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

// toResource converts the engine's view of a resource with the rules'
// conversion (the same the offline gate uses).
func toResource(typ, urn, name string, props *structpb.Struct, opts *pulumirpc.AnalyzerResourceOptions) (rules.Resource, error) {
	pm, err := plugin.UnmarshalProperties(props, plugin.MarshalOptions{KeepUnknowns: true, KeepSecrets: true, KeepResources: true, KeepOutputValues: true, SkipNulls: true})
	if err != nil {
		return rules.Resource{}, fmt.Errorf("%s: reading properties: %w", urn, err)
	}
	return rules.Resource{URN: urn, Type: typ, Name: logicalName(urn, name), Props: rules.FromPropertyMap(pm), Protect: opts.GetProtect()}, nil
}

// logicalName prefers the request's name, else the URN's last segment.
func logicalName(urn, name string) string {
	if name != "" {
		return name
	}
	return urn[strings.LastIndex(urn, "::")+2:]
}
