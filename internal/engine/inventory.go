package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"

	"github.com/mlprov/mlprov/internal/naming"
)

// StackSummary is one stack in the backend.
type StackSummary struct {
	Name string `json:"name"`
	// LastUpdate is when the last update finished (zero if never).
	LastUpdate       time.Time         `json:"lastUpdate,omitzero"`
	UpdateInProgress bool              `json:"updateInProgress"`
	ResourceCount    int               `json:"resourceCount"`
	Tags             map[string]string `json:"tags,omitempty"`
	// TestID is set for a test deployment's stack (test-deploy).
	TestID string `json:"testId,omitempty"`
}

// List returns every mlprov stack in the backend, by name.
func (e *Engine) List(ctx context.Context) ([]StackSummary, error) {
	if dir := fileBackendDir(e.backend); dir != "" {
		if _, err := os.Stat(dir); os.IsNotExist(err) {
			return []StackSummary{}, nil // no stack was ever created there
		}
	}
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
		_, sum.TestID, _ = naming.ParseTestStack(s.Name)
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
	return op.deployment(ctx)
}

// rootStackType is the type of the stack's root resource, which holds the
// stack outputs.
const rootStackType = "pulumi:pulumi:Stack"

// deployment is what the operation's stack holds, from one state export
// (the one its up made, if any).
func (o *operation) deployment(ctx context.Context) (*Deployment, error) {
	name := o.stack.Name()
	state, err := o.ws.state(ctx, name)
	if err != nil {
		return nil, err
	}
	d := &Deployment{Stack: name, Outputs: map[string]any{}, Resources: []DeployedResource{}}
	for k, v := range rootOutputs(state) {
		d.Outputs[k] = redactSecrets(v)
	}
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

// rootOutputs are the stack outputs: the root stack resource's outputs.
func rootOutputs(state *apitype.DeploymentV3) map[string]any {
	for _, r := range state.Resources {
		if string(r.Type) == rootStackType {
			return r.Outputs
		}
	}
	return nil
}

// secretSig marks a secret value in exported state.
const secretSig = "4dabf18193072939515e22adb298388d"

// redactSecrets replaces every secret in exported state by "[secret]", so no
// credential reaches output or logs.
func redactSecrets(v any) any {
	out, _ := replaceSecrets(v, func(map[string]any) any { return "[secret]" })
	return out
}

// revealSecrets replaces every secret in state exported with --show-secrets
// by its plaintext value, and reports whether v held a secret.
func revealSecrets(v any) (any, bool) {
	return replaceSecrets(v, func(secret map[string]any) any {
		var plain any
		if text, ok := secret["plaintext"].(string); !ok || json.Unmarshal([]byte(text), &plain) != nil {
			return "[secret]"
		}
		return plain
	})
}

// replaceSecrets returns v with every secret object replaced by replace(it)
// and whether it found one.
func replaceSecrets(v any, replace func(secret map[string]any) any) (any, bool) {
	found := false
	var walk func(any) any
	walk = func(v any) any {
		switch x := v.(type) {
		case map[string]any:
			if _, secret := x[secretSig]; secret {
				found = true
				return replace(x)
			}
			out := make(map[string]any, len(x))
			for k, e := range x {
				out[k] = walk(e)
			}
			return out
		case []any:
			out := make([]any, len(x))
			for i, e := range x {
				out[i] = walk(e)
			}
			return out
		}
		return v
	}
	return walk(v), found
}
