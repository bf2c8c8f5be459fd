// Package provider is the fakeaws test double's resource provider: a
// pulumirpc.ResourceProviderServer that stands in for pulumi-resource-aws and
// pulumi-resource-aws-native in end-to-end tests, keeping "cloud" state in a
// cloudstate directory instead of calling AWS. Real users run the real
// providers; nothing shipped imports this package.
package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/mlprov/mlprov/internal/naming"
	"maps"
	"os"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/mlprov/mlprov/test/fakeaws/cloudstate"
)

// Server serves one provider instance (the engine starts one plugin process
// per provider resource, default or explicit).
type Server struct {
	pulumirpc.UnimplementedResourceProviderServer

	pkg     string // "aws" or "aws-native"
	version string
	store   *cloudstate.Store
	account string

	mu     sync.RWMutex
	config providerConfig
}

// New serves package pkg (the plugin name without "pulumi-resource-") at
// version, with state in store, as AWS account account.
func New(pkg, version string, store *cloudstate.Store, account string) *Server {
	return &Server{pkg: pkg, version: version, store: store, account: account}
}

// NewFromEnv is New with the state directory and account from the environment.
func NewFromEnv(pkg, version string) (*Server, error) {
	store, err := cloudstate.OpenFromEnv()
	if err != nil {
		return nil, err
	}
	account := os.Getenv(cloudstate.AccountEnv)
	if account == "" {
		account = cloudstate.DefaultAccount
	}
	return New(pkg, version, store, account), nil
}

// GetPluginInfo implements pulumirpc.ResourceProviderServer.
func (s *Server) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: s.version}, nil
}

// GetSchema returns an empty schema: the double is never used for codegen.
func (s *Server) GetSchema(context.Context, *pulumirpc.GetSchemaRequest) (*pulumirpc.GetSchemaResponse, error) {
	schema, err := json.Marshal(map[string]string{"name": s.pkg, "version": s.version,
		"description": "fakeaws test double: not the real provider"})
	if err != nil {
		return nil, err
	}
	return &pulumirpc.GetSchemaResponse{Schema: string(schema)}, nil
}

// Cancel implements pulumirpc.ResourceProviderServer; calls are short and
// need no cancellation.
func (s *Server) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	return &emptypb.Empty{}, nil
}

// CheckConfig accepts any provider configuration.
func (s *Server) CheckConfig(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	return &pulumirpc.CheckResponse{Inputs: req.GetNews()}, nil
}

// DiffConfig reports changed configuration keys; none forces a replacement.
func (s *Server) DiffConfig(_ context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	olds, news := toMap(req.GetOlds()), toMap(req.GetNews())
	return diffProperties(olds, olds, news, nil, nil), nil
}

// Configure records the provider configuration and, like the real providers,
// refuses credentials whose account is not allowed.
func (s *Server) Configure(_ context.Context, req *pulumirpc.ConfigureRequest) (*pulumirpc.ConfigureResponse, error) {
	cfg, err := parseConfig(s.pkg, req.GetArgs(), req.GetVariables())
	if err == nil {
		err = cfg.admits(s.account)
	}
	s.logCall(cloudstate.Call{Op: cloudstate.OpConfigure, Inputs: map[string]any{
		"region": cfg.region, "allowedAccountIds": cfg.allowedAccountIDs}}, err)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.config = cfg
	s.mu.Unlock()
	return &pulumirpc.ConfigureResponse{SupportsPreview: true}, nil
}

func (s *Server) currentConfig() providerConfig {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.config
}

// Check returns the new inputs unchanged.
func (s *Server) Check(_ context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	return &pulumirpc.CheckResponse{Inputs: req.GetNews()}, nil
}

// Diff compares the stored state with the new inputs; a change to the
// physical name or another replace-on-change property of the type replaces.
func (s *Server) Diff(_ context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	news := toMap(req.GetNews())
	k := kindOf(req.GetType(), news)
	replaceOn := k.replaceOn
	if k.nameProperty != "" {
		replaceOn = append([]string{k.nameProperty}, replaceOn...)
	}
	var oldInputs map[string]any
	if req.GetOldInputs() != nil {
		oldInputs = toMap(req.GetOldInputs())
	}
	return diffProperties(toMap(req.GetOlds()), oldInputs, news, replaceOn, req.GetIgnoreChanges()), nil
}

// diffProperties compares each input key (new, or old when oldInputs is
// given) against the stored value, which reflects drift after a refresh.
func diffProperties(olds, oldInputs, news map[string]any, replaceOn, ignore []string) *pulumirpc.DiffResponse {
	keys := map[string]bool{}
	for k := range news {
		keys[k] = true
	}
	for k := range oldInputs {
		keys[k] = true
	}
	resp := &pulumirpc.DiffResponse{
		Changes:         pulumirpc.DiffResponse_DIFF_NONE,
		DetailedDiff:    map[string]*pulumirpc.PropertyDiff{},
		HasDetailedDiff: true,
	}
	for _, key := range slices.Sorted(maps.Keys(keys)) {
		if slices.Contains(ignore, key) {
			continue
		}
		oldValue, hadOld := olds[key]
		newValue, hasNew := news[key]
		if hadOld && hasNew && reflect.DeepEqual(oldValue, newValue) {
			continue
		}
		replace := slices.Contains(replaceOn, key)
		var kind pulumirpc.PropertyDiff_Kind
		switch {
		case !hadOld:
			kind = pulumirpc.PropertyDiff_ADD
		case !hasNew:
			kind = pulumirpc.PropertyDiff_DELETE
		default:
			kind = pulumirpc.PropertyDiff_UPDATE
		}
		if replace {
			kind++ // each *_REPLACE kind directly follows its plain kind
			resp.Replaces = append(resp.Replaces, key)
		}
		resp.Diffs = append(resp.Diffs, key)
		resp.DetailedDiff[key] = &pulumirpc.PropertyDiff{Kind: kind, InputDiff: true}
		resp.Changes = pulumirpc.DiffResponse_DIFF_SOME
	}
	return resp
}

// Create makes a resource in the fake cloud. In a preview it persists
// nothing and reports attributes it cannot know yet as unknown.
func (s *Server) Create(_ context.Context, req *pulumirpc.CreateRequest) (*pulumirpc.CreateResponse, error) {
	inputs := toMap(req.GetProperties())
	typ := req.GetType()
	k := kindOf(typ, inputs)
	c := s.attrContext(typ, inputs, nil)
	c.name = k.physicalName(inputs, req.GetName())

	if req.GetPreview() {
		c.preview = true
		c.id = plugin.UnknownStringValue
		if k.newID == nil {
			c.id = c.name
		}
		props, err := toStruct(markUnknowns(k.outputs(c, s.pkg, s.currentConfig())))
		return &pulumirpc.CreateResponse{Properties: props}, err
	}

	call := cloudstate.Call{Op: cloudstate.OpCreate, Type: typ, Name: c.name, Inputs: inputs}
	err := s.admit(call, c.name)
	if err == nil {
		err = s.checkAWSRules(&call, inputs)
	}
	if err == nil {
		c.id = c.name
		if k.newID != nil {
			c.id = k.newID(c)
		}
		if c.id == "" {
			err = fmt.Errorf("fakeaws: cannot create %s %q: its id input is empty", typ, req.GetName())
		}
	}
	var outputs map[string]any
	if err == nil {
		outputs = k.outputs(c, s.pkg, s.currentConfig())
		err = s.store.CreateResource(cloudstate.Resource{
			Type: typ, ID: k.storeID(c.id, inputs), Name: c.name, URN: req.GetUrn(), Inputs: inputs, Outputs: outputs,
		})
		if errors.Is(err, cloudstate.ErrAlreadyExists) {
			err = fmt.Errorf("fakeaws: %s %q already exists in account %s", typ, c.id, s.account)
		}
	}
	call.ID = c.id
	s.logCall(call, err)
	if err != nil {
		return nil, err
	}
	props, err := toStruct(outputs)
	return &pulumirpc.CreateResponse{Id: c.id, Properties: props}, err
}

// Read returns what the fake cloud holds, which tests may have changed behind
// the engine's back; a resource that no longer exists reads as an empty id.
func (s *Server) Read(_ context.Context, req *pulumirpc.ReadRequest) (*pulumirpc.ReadResponse, error) {
	typ, id := req.GetType(), req.GetId()
	known := toMap(req.GetProperties())
	if len(known) == 0 {
		known = toMap(req.GetInputs())
	}
	stored, err := s.store.GetResource(typ, kindOf(typ, known).storeID(id, known))
	missing := errors.Is(err, cloudstate.ErrNotFound)
	if missing {
		err = nil
	}
	call := cloudstate.Call{Op: cloudstate.OpRead, Type: typ, ID: id, Name: stored.Name}
	if err == nil {
		err = s.admit(call, stored.Name, id)
	}
	s.logCall(call, err)
	switch {
	case err != nil:
		return nil, err
	case missing:
		return &pulumirpc.ReadResponse{}, nil
	}
	props, err := toStruct(stored.Outputs)
	if err != nil {
		return nil, err
	}
	inputs, err := toStruct(stored.Inputs)
	return &pulumirpc.ReadResponse{Id: id, Properties: props, Inputs: inputs}, err
}

// Update persists new inputs and recomputed outputs. Updating a resource that
// was deleted behind the engine's back fails, as it would in AWS.
func (s *Server) Update(_ context.Context, req *pulumirpc.UpdateRequest) (*pulumirpc.UpdateResponse, error) {
	typ, id := req.GetType(), req.GetId()
	news := toMap(req.GetNews())
	k := kindOf(typ, news)

	if req.GetPreview() {
		olds := toMap(req.GetOlds())
		c := s.attrContext(typ, news, olds)
		c.preview = true
		c.id, c.name = id, k.physicalName(news, "")
		if c.name == "" {
			c.name, _ = olds[k.nameProperty].(string)
		}
		props, err := toStruct(markUnknowns(k.outputs(c, s.pkg, s.currentConfig())))
		return &pulumirpc.UpdateResponse{Properties: props}, err
	}

	stored, err := s.store.GetResource(typ, k.storeID(id, toMap(req.GetOlds())))
	if errors.Is(err, cloudstate.ErrNotFound) {
		err = fmt.Errorf("fakeaws: cannot update %s %q: it does not exist in account %s", typ, id, s.account)
	}
	call := cloudstate.Call{Op: cloudstate.OpUpdate, Type: typ, ID: id, Name: stored.Name, Inputs: news}
	if err == nil {
		err = s.admit(call, stored.Name, id)
	}
	if err == nil {
		err = s.checkAWSRules(&call, news)
	}
	var outputs map[string]any
	if err == nil {
		c := s.attrContext(typ, news, stored.Outputs)
		c.id, c.name = id, stored.Name
		outputs = k.outputs(c, s.pkg, s.currentConfig())
		stored.Inputs, stored.Outputs = news, outputs
		err = s.store.PutResource(stored)
	}
	s.logCall(call, err)
	if err != nil {
		return nil, err
	}
	props, err := toStruct(outputs)
	return &pulumirpc.UpdateResponse{Properties: props}, err
}

// Delete removes a resource; deleting one that is already gone succeeds, as
// with the real AWS providers.
func (s *Server) Delete(_ context.Context, req *pulumirpc.DeleteRequest) (*emptypb.Empty, error) {
	typ, id := req.GetType(), req.GetId()
	props := toMap(req.GetProperties())
	storeID := kindOf(typ, props).storeID(id, props)
	stored, err := s.store.GetResource(typ, storeID)
	if errors.Is(err, cloudstate.ErrNotFound) {
		err = nil
	}
	call := cloudstate.Call{Op: cloudstate.OpDelete, Type: typ, ID: id, Name: stored.Name}
	if err == nil {
		err = s.admit(call, stored.Name, id)
	}
	if err == nil && stored.ID != "" {
		err = s.checkAWSRules(&call, toMap(req.GetProperties()))
	}
	if err == nil {
		_, err = s.store.DeleteResource(typ, storeID)
	}
	s.logCall(call, err)
	if err != nil {
		return nil, err
	}
	return &emptypb.Empty{}, nil
}

// Invoke serves the data sources the program uses (see invokes.go).
func (s *Server) Invoke(_ context.Context, req *pulumirpc.InvokeRequest) (*pulumirpc.InvokeResponse, error) {
	args := toMap(req.GetArgs())
	call := cloudstate.Call{Op: cloudstate.OpInvoke, Type: req.GetTok(), Inputs: args}
	var result map[string]any
	err := s.authorize(call)
	if err == nil {
		result, err = s.invoke(req.GetTok(), args)
	}
	s.logCall(call, err)
	if err != nil {
		return nil, err
	}
	ret, err := toStruct(result)
	return &pulumirpc.InvokeResponse{Return: ret}, err
}

// admit runs the authorizer and consumes a matching injected fault.
func (s *Server) admit(call cloudstate.Call, names ...string) error {
	if err := s.authorize(call); err != nil {
		return err
	}
	fault, found, err := s.store.ConsumeFault(call.Op, call.Type, names...)
	if err != nil {
		return err
	}
	if found {
		return status.Error(codes.Unknown, fault.Message)
	}
	return nil
}

func (s *Server) authorize(call cloudstate.Call) error {
	cfg, err := s.store.Authorizer()
	if err != nil {
		return err
	}
	authorizer, err := LoadAuthorizer(cfg)
	if err != nil {
		return err
	}
	return authorizer.Authorize(AuthorizationRequest{
		Provider: s.pkg, Op: call.Op, Type: call.Type, ID: call.ID, Name: call.Name,
		Account: s.account, Region: s.currentConfig().region, Inputs: call.Inputs,
	})
}

// logCall appends to the call log; a failure to log is reported on stderr
// (which the engine shows) rather than failing the call.
func (s *Server) logCall(call cloudstate.Call, callErr error) {
	call.Time = time.Now().UTC()
	call.Provider = s.pkg
	if callErr != nil {
		call.Error = callErr.Error()
	}
	if err := s.store.AppendCall(call); err != nil {
		fmt.Fprintf(os.Stderr, "fakeaws: %v\n", err)
	}
}

func (s *Server) attrContext(typ string, inputs, previous map[string]any) *attrContext {
	region := s.currentConfig().region
	return &attrContext{
		partition: naming.Partition(region), region: region, account: s.account,
		token: typ, inputs: inputs, previous: previous,
	}
}

// physicalName is the name input, or an auto-name from the logical name
// (as Pulumi's auto-naming does) when the input is absent.
func (k kind) physicalName(inputs map[string]any, logicalName string) string {
	if k.nameProperty == "" {
		return ""
	}
	if name, ok := inputs[k.nameProperty].(string); ok && name != "" {
		return name
	}
	if logicalName == "" {
		return ""
	}
	return logicalName + "-" + randomHex(7)
}

// outputs are the inputs plus the attributes AWS computes.
func (k kind) outputs(c *attrContext, pkg string, cfg providerConfig) map[string]any {
	out := maps.Clone(c.inputs)
	if out == nil {
		out = map[string]any{}
	}
	maps.Copy(out, k.attributes(c))
	out["id"] = c.id
	if k.nameProperty != "" {
		out[k.nameProperty] = c.name
	}
	if tags, ok := c.inputs["tags"].(map[string]any); ok && pkg == "aws" {
		all := maps.Clone(cfg.defaultTags)
		if all == nil {
			all = map[string]any{}
		}
		maps.Copy(all, tags)
		out["tagsAll"] = all
	}
	return out
}

// markUnknowns turns every string that was built from an unknown value into
// the unknown sentinel, so a preview never shows a half-known ARN.
func markUnknowns(v map[string]any) map[string]any {
	for key, value := range v {
		switch value := value.(type) {
		case string:
			if strings.Contains(value, plugin.UnknownStringValue) {
				v[key] = plugin.UnknownStringValue
			}
		case map[string]any:
			markUnknowns(value)
		}
	}
	return v
}

func toMap(s *structpb.Struct) map[string]any {
	if s == nil {
		return map[string]any{}
	}
	return s.AsMap()
}

func toStruct(m map[string]any) (*structpb.Struct, error) {
	st, err := structpb.NewStruct(m)
	if err != nil {
		return nil, fmt.Errorf("fakeaws: encode properties: %w", err)
	}
	return st, nil
}
