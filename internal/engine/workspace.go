package engine

import (
	"context"
	"fmt"
	"os"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/mlprov/mlprov/internal/naming"
)

// operation is one stack operation's workspace: a temporary directory that
// holds the project file and the policy pack's config, removed by
// close.
type operation struct {
	dir   string
	stack auto.Stack
	// created is true when this operation created the stack.
	created bool
	// packConfig is the policy pack's config file.
	packConfig string
}

func (o *operation) close() { os.RemoveAll(o.dir) }

// stackMode says what to do when the stack does not exist yet.
type stackMode int

const (
	existingOnly stackMode = iota // ErrStackNotFound
	createIfMissing
)

// open prepares a workspace for t and selects (or creates) its stack.
func (e *Engine) open(ctx context.Context, t Target, mode stackMode) (*operation, error) {
	dir, err := os.MkdirTemp("", "mlprov-op-")
	if err != nil {
		return nil, err
	}
	op := &operation{dir: dir}
	if err := op.writePolicyConfig(t.Suppressions); err != nil {
		op.close()
		return nil, err
	}
	program := t.Program
	if program == nil {
		program = func(*pulumi.Context) error { return nil }
	}
	opts := e.workspaceOptions(dir)
	if e.secrets != "" {
		opts = append(opts, auto.SecretsProvider(e.secrets))
	}
	stack, err := auto.SelectStackInlineSource(ctx, t.StackName, naming.Project, program, opts...)
	if err != nil && auto.IsSelectStack404Error(err) {
		if mode == existingOnly {
			op.close()
			return nil, fmt.Errorf("stack %s: %w", t.StackName, ErrStackNotFound)
		}
		stack, err = auto.NewStackInlineSource(ctx, t.StackName, naming.Project, program, opts...)
		op.created = err == nil
	}
	if err != nil {
		op.close()
		return nil, classify(ctx, fmt.Errorf("open stack %s: %w", t.StackName, err))
	}
	op.stack = stack
	return op, nil
}

// workspaceOnly opens a workspace without a stack, for backend-wide queries.
func (e *Engine) workspaceOnly(ctx context.Context) (auto.Workspace, func(), error) {
	dir, err := os.MkdirTemp("", "mlprov-op-")
	if err != nil {
		return nil, nil, err
	}
	ws, err := auto.NewLocalWorkspace(ctx, e.workspaceOptions(dir)...)
	if err != nil {
		os.RemoveAll(dir)
		return nil, nil, classify(ctx, err)
	}
	return ws, func() { os.RemoveAll(dir) }, nil
}

// workspaceOptions: the pinned CLI, the operation's own directory, the
// engine's environment and the project on the chosen backend.
func (e *Engine) workspaceOptions(dir string) []auto.LocalWorkspaceOption {
	return []auto.LocalWorkspaceOption{
		auto.Pulumi(e.cli),
		auto.WorkDir(dir),
		auto.EnvVars(e.env),
		auto.Project(workspace.Project{
			Name:    naming.Project,
			Runtime: workspace.NewProjectRuntimeInfo("go", nil),
			Backend: &workspace.ProjectBackend{URL: e.backend},
		}),
	}
}
