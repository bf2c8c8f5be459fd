// Package render runs the Pulumi program offline under Pulumi mocks — no AWS,
// no network, no Pulumi CLI — and records every registered resource with its
// inputs into the provisioning template document.
package render

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlprov/mlprov/internal/naming"
	"github.com/mlprov/mlprov/internal/provtemplate"
)

// Options says where the rendered program pretends to run.
type Options struct {
	Project   string // default naming.Project
	Stack     string
	AccountID string
	Region    string
}

// Recording is what one offline run registered.
type Recording struct {
	Resources []provtemplate.Resource
	Lookups   []provtemplate.Lookup
}

// ByType returns the recorded resources of one type token.
func (r *Recording) ByType(token string) []provtemplate.Resource {
	var out []provtemplate.Resource
	for _, res := range r.Resources {
		if res.Type == token {
			out = append(out, res)
		}
	}
	return out
}

// Find returns the resource with a type token and logical name.
func (r *Recording) Find(token, logicalName string) (provtemplate.Resource, bool) {
	for _, res := range r.Resources {
		if res.Type == token && res.LogicalName == logicalName {
			return res, true
		}
	}
	return provtemplate.Resource{}, false
}

// Program runs a Pulumi program under mocks and records what it registers.
func Program(run pulumi.RunFunc, opts Options) (*Recording, error) {
	if opts.Project == "" {
		opts.Project = naming.Project
	}
	if opts.Stack == "" {
		opts.Stack = "offline"
	}
	m := &recorder{opts: opts, arns: naming.ARNsFor(opts.AccountID, opts.Region)}
	if err := pulumi.RunErr(run, pulumi.WithMocks(opts.Project, opts.Stack, m)); err != nil {
		return nil, err
	}
	return m.recording(), nil
}

// recorder is the mock resource monitor: it answers every registration with
// the inputs plus the attributes AWS would compute, and every invoke with a
// clearly marked placeholder.
type recorder struct {
	opts Options
	arns naming.ARNs

	mu        sync.Mutex
	resources []provtemplate.Resource
	lookups   []provtemplate.Lookup
}

func (m *recorder) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	req := args.RegisterRPC
	inputs := plainMap(args.Inputs)
	physical := PhysicalName(inputs)
	res := provtemplate.Resource{
		Type:         args.TypeToken,
		LogicalName:  args.Name,
		PhysicalName: physical,
		Parent:       req.GetParent(),
		DependsOn:    append([]string(nil), req.GetDependencies()...),
		Custom:       args.Custom,
		Protect:      req.GetProtect(),
		Inputs:       inputs,
	}
	if args.Custom {
		res.Provider = PackageOf(args.TypeToken)
	}
	sort.Strings(res.DependsOn)

	id := ""
	state := args.Inputs.Copy()
	if args.Custom {
		var attrs map[string]string
		id, attrs = Synthesize(m.arns, args.TypeToken, args.Name, physical, inputs)
		for k, v := range attrs {
			if _, set := state[resource.PropertyKey(k)]; !set {
				state[resource.PropertyKey(k)] = resource.NewStringProperty(v)
			}
		}
	}
	m.mu.Lock()
	m.resources = append(m.resources, res)
	m.mu.Unlock()
	return id, state, nil
}

func (m *recorder) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	result, err := OfflineLookup(m.opts, args.Token, plainMap(args.Args))
	m.mu.Lock()
	m.lookups = append(m.lookups, provtemplate.Lookup{
		Token: args.Token, Args: plainMap(args.Args), Placeholder: true, Result: result,
	})
	m.mu.Unlock()
	if err != nil {
		return nil, err
	}
	return resource.NewPropertyMapFromMap(result), nil
}

// recording fills in URNs (the mock monitor computes them the same way the
// engine does) and orders resources by URN for stable output.
func (m *recorder) recording() *Recording {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := &Recording{Resources: m.resources, Lookups: m.lookups}
	for i := range out.Resources {
		r := &out.Resources[i]
		r.URN = URN(m.opts.Project, m.opts.Stack, r.Parent, r.Type, r.LogicalName)
	}
	sort.SliceStable(out.Resources, func(i, j int) bool { return out.Resources[i].URN < out.Resources[j].URN })
	sort.SliceStable(out.Lookups, func(i, j int) bool {
		return out.Lookups[i].Token+fmt.Sprint(out.Lookups[i].Args) < out.Lookups[j].Token+fmt.Sprint(out.Lookups[j].Args)
	})
	return out
}

// URN is the engine's URN for a resource: urn:pulumi:{stack}::{project}::{parent types$}{type}::{name}.
func URN(project, stack, parentURN, typ, name string) string {
	qualified := typ
	if parentURN != "" {
		if pt := resource.URN(parentURN).QualifiedType(); pt != "pulumi:pulumi:Stack" {
			qualified = string(pt) + "$" + typ
		}
	}
	return "urn:pulumi:" + stack + "::" + project + "::" + qualified + "::" + name
}

// PackageOf returns the provider package of a type token ("aws", "aws-native").
func PackageOf(token string) string {
	pkg, _, _ := strings.Cut(token, ":")
	return pkg
}

// nameKeys are the input properties that carry a resource's AWS name, most
// specific first.
var nameKeys = []string{"bucket", "modelPackageGroupName", "repositoryName", "dashboardName", "roleName", "name"}

// PhysicalName returns the AWS name a resource's inputs give it, "" if none.
func PhysicalName(inputs map[string]any) string {
	for _, k := range nameKeys {
		if s, ok := inputs[k].(string); ok && s != "" {
			return s
		}
	}
	return ""
}

// fakeID derives a stable id for resources AWS names itself (keys, endpoints).
func fakeID(prefix, name string) string {
	sum := sha256.Sum256([]byte(name))
	return prefix + hex.EncodeToString(sum[:8])
}
