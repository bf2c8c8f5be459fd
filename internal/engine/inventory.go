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
	URN       string `json:"urn"`
	Type      string `json:"type"`
	Name      string `json:"name"`
	ID        string `json:"id,omitempty"`
	Protected bool   `json:"protected,omitempty"`
	// Kept: deleting the stack leaves the resource in AWS (retainOnDelete).
	Kept    bool           `json:"kept,omitempty"`
	Outputs map[string]any `json:"outputs,omitempty"`
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
	return d.where(func(r DeployedResource) bool { return r.Protected })
}

// Kept lists the resources a delete leaves in AWS.
func (d *Deployment) Kept() []DeployedResource {
	return d.where(func(r DeployedResource) bool { return r.Kept })
}

func (d *Deployment) where(keep func(DeployedResource) bool) []DeployedResource {
	var out []DeployedResource
	for _, r := range d.Resources {
		if keep(r) {
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

// deployment is what the operation's stack holds, from an export of its
// state (the stack outputs are the root stack resource's).
func (o *operation) deployment(ctx context.Context) (*Deployment, error) {
	name := o.stack.Name()
	exported, err := o.stack.Export(ctx)
	if err != nil {
		return nil, classify(ctx, fmt.Errorf("export %s: %w", name, err))
	}
	var state apitype.DeploymentV3
	if len(exported.Deployment) > 0 {
		if err := json.Unmarshal(exported.Deployment, &state); err != nil {
			return nil, fmt.Errorf("read the state of %s: %w", name, err)
		}
	}
	d := newDeployment(name)
	for _, r := range state.Resources {
		if string(r.Type) == rootStackType {
			d.setOutputs(r.Outputs)
			continue
		}
		d.add(string(r.URN), string(r.Type), string(r.ID), r.Custom, r.Protect, r.RetainOnDelete, r.Outputs)
	}
	return d, nil
}

func newDeployment(stack string) *Deployment {
	return &Deployment{Stack: stack, Outputs: map[string]any{}, Resources: []DeployedResource{}}
}

// setOutputs records the stack outputs (secrets redacted).
func (d *Deployment) setOutputs(outputs map[string]any) {
	for k, v := range outputs {
		d.Outputs[k] = redactSecrets(v)
	}
}

// add records one resource of the state; components and the engine's own
// resources are left out.
func (d *Deployment) add(urn, typ, id string, custom, protect, retain bool, outputs map[string]any) {
	if !custom || internalType(typ) {
		return
	}
	d.Resources = append(d.Resources, DeployedResource{
		URN: urn, Type: typ, Name: nameOf(urn), ID: id, Protected: protect, Kept: retain, Outputs: redactSecrets(outputs).(map[string]any),
	})
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
