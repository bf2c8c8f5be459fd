package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
)

// StackSummary is one stack in the backend.
type StackSummary struct {
	Name string `json:"name"`
	// LastUpdate is when the last update finished (zero if never).
	LastUpdate       time.Time         `json:"lastUpdate,omitzero"`
	UpdateInProgress bool              `json:"updateInProgress"`
	ResourceCount    int               `json:"resourceCount"`
	Tags             map[string]string `json:"tags,omitempty"`
}

// List returns every mlprov stack in the backend, by name.
func (e *Engine) List(ctx context.Context) ([]StackSummary, error) {
	ws, done, err := e.workspaceOnly(ctx)
	if err != nil {
		return nil, err
	}
	defer done()
	stacks, err := ws.ListStacks(ctx)
	if err != nil {
		return nil, classify(ctx, fmt.Errorf("list stacks in %s: %w", e.backend, err))
	}
	out := make([]StackSummary, 0, len(stacks))
	for _, s := range stacks {
		sum := StackSummary{Name: s.Name, UpdateInProgress: s.UpdateInProgress}
		if s.ResourceCount != nil {
			sum.ResourceCount = *s.ResourceCount
		}
		if t, err := time.Parse(time.RFC3339, s.LastUpdate); err == nil {
			sum.LastUpdate = t
		}
		if tags, err := ws.ListTags(ctx, s.Name); err == nil {
			sum.Tags = tags
		}
		out = append(out, sum)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// DeployedResource is one resource recorded in a stack's state.
type DeployedResource struct {
	URN       string         `json:"urn"`
	Type      string         `json:"type"`
	Name      string         `json:"name"`
	ID        string         `json:"id,omitempty"`
	Protected bool           `json:"protected,omitempty"`
	Outputs   map[string]any `json:"outputs,omitempty"`
}

// Deployment is what a deployed stack holds.
type Deployment struct {
	Stack   string         `json:"stack"`
	Outputs map[string]any `json:"outputs"`
	// Resources are the custom resources (not components or providers).
	Resources []DeployedResource `json:"resources"`
}

// Protected lists the resources protected from deletion.
func (d *Deployment) Protected() []DeployedResource {
	var out []DeployedResource
	for _, r := range d.Resources {
		if r.Protected {
			out = append(out, r)
		}
	}
	return out
}

// Describe reads a deployed stack's outputs and resources (ErrStackNotFound
// when the product was never deployed).
func (e *Engine) Describe(ctx context.Context, stackName string) (*Deployment, error) {
	op, err := e.open(ctx, Target{StackName: stackName}, existingOnly)
	if err != nil {
		return nil, err
	}
	defer op.close()
	outputs, err := op.stack.Outputs(ctx)
	if err != nil {
		return nil, classify(ctx, fmt.Errorf("outputs of %s: %w", stackName, err))
	}
	exported, err := op.stack.Export(ctx)
	if err != nil {
		return nil, classify(ctx, fmt.Errorf("export %s: %w", stackName, err))
	}
	var state apitype.DeploymentV3
	if len(exported.Deployment) > 0 {
		if err := json.Unmarshal(exported.Deployment, &state); err != nil {
			return nil, fmt.Errorf("read the state of %s: %w", stackName, err)
		}
	}
	d := &Deployment{Stack: stackName, Outputs: plainOutputs(outputs), Resources: []DeployedResource{}}
	for _, r := range state.Resources {
		if !r.Custom || internalType(string(r.Type)) {
			continue
		}
		d.Resources = append(d.Resources, DeployedResource{
			URN: string(r.URN), Type: string(r.Type), Name: nameOf(string(r.URN)), ID: string(r.ID),
			Protected: r.Protect, Outputs: redactSecrets(r.Outputs).(map[string]any),
		})
	}
	return d, nil
}

// secretSig marks a secret value in exported state.
const secretSig = "4dabf18193072939515e22adb298388d"

// redactSecrets replaces every secret in exported state by "[secret]", so no
// credential reaches output or logs.
func redactSecrets(v any) any {
	switch x := v.(type) {
	case map[string]any:
		if _, secret := x[secretSig]; secret {
			return "[secret]"
		}
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = redactSecrets(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = redactSecrets(e)
		}
		return out
	}
	return v
}

// Unprotect lifts the deletion protection of every resource in the stack's
// state, lets the provider empty what it must empty before deleting it
// (forceDestroy: an S3 bucket with object versions cannot be deleted), and
// returns how many were protected. It edits state only (export →
// clear protect → import): no infrastructure changes and no program runs, so
// the policy pack's "prod resources are protected" rules are not in the way of
// a delete the user explicitly forced.
func (e *Engine) Unprotect(ctx context.Context, stackName string) (int, error) {
	op, err := e.open(ctx, Target{StackName: stackName}, existingOnly)
	if err != nil {
		return 0, err
	}
	defer op.close()
	exported, err := op.stack.Export(ctx)
	if err != nil {
		return 0, classify(ctx, fmt.Errorf("export %s: %w", stackName, err))
	}
	if exported.Version != 3 {
		return 0, fmt.Errorf("state of %s has deployment version %d; mlprov edits version 3", stackName, exported.Version)
	}
	var state apitype.DeploymentV3
	if err := json.Unmarshal(exported.Deployment, &state); err != nil {
		return 0, fmt.Errorf("read the state of %s: %w", stackName, err)
	}
	lifted, released := 0, 0
	for i := range state.Resources {
		if state.Resources[i].Protect {
			state.Resources[i].Protect = false
			lifted++
		}
		if releaseContents(state.Resources[i].Inputs, state.Resources[i].Outputs) {
			released++
		}
	}
	if lifted == 0 && released == 0 {
		return 0, nil
	}
	if exported.Deployment, err = json.Marshal(state); err != nil {
		return 0, err
	}
	if err := op.stack.Import(ctx, exported); err != nil {
		return 0, classify(ctx, fmt.Errorf("import the unprotected state of %s: %w", stackName, err))
	}
	return lifted, nil
}

// releaseContents sets a false forceDestroy to true in a resource's state;
// the provider's delete reads it from there (terraform-provider-aws
// internal/service/s3/bucket.go, resourceBucketDelete: empties the bucket on
// BucketNotEmpty when force_destroy is set).
func releaseContents(props ...map[string]any) bool {
	changed := false
	for _, p := range props {
		if v, ok := p["forceDestroy"].(bool); ok && !v {
			p["forceDestroy"] = true
			changed = true
		}
	}
	return changed
}
