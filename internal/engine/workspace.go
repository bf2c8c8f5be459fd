package engine

import (
	"context"
	"fmt"
	"maps"
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
	if dir := fileBackendDir(e.backend); dir != "" {
		if _, err := os.Stat(dir); err != nil {
			if mode == existingOnly {
				return nil, fmt.Errorf("stack %s: %w", t.StackName, ErrStackNotFound)
			}
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return nil, fmt.Errorf("create the file backend %s: %w", dir, err)
			}
		}
	}
	dir, err := os.MkdirTemp("", "mlprov-op-")
	if err != nil {
		return nil, err
	}
	op := &operation{dir: dir}
	if err := op.writePolicyConfig(t); err != nil {
		op.close()
		return nil, err
	}
	program := t.Program
	if program == nil {
		program = func(*pulumi.Context) error { return nil }
	}
	opts := append(e.workspaceOptions(dir, op.pidFile()), auto.Program(program))
	if e.secrets != "" {
		opts = append(opts, auto.SecretsProvider(e.secrets))
	}
	local, err := auto.NewLocalWorkspace(ctx, opts...)
	if err != nil {
		op.close()
		return nil, classify(ctx, fmt.Errorf("open stack %s: %w", t.StackName, err))
	}
	ws := eventOutputsWorkspace{local}
	stack, err := auto.SelectStack(ctx, t.StackName, ws)
	if err != nil && auto.IsSelectStack404Error(err) {
		if mode == existingOnly {
			op.close()
			return nil, fmt.Errorf("stack %s: %w", t.StackName, ErrStackNotFound)
		}
		stack, err = auto.NewStack(ctx, t.StackName, ws)
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
	ws, err := auto.NewLocalWorkspace(ctx, e.workspaceOptions(dir, "")...)
	if err != nil {
		os.RemoveAll(dir)
		return nil, nil, classify(ctx, err)
	}
	return ws, func() { os.RemoveAll(dir) }, nil
}

// workspaceOptions: the pinned CLI, the operation's own directory, the
// engine's environment (with the file the CLI wrapper records its pids in)
// and the project on the chosen backend.
func (e *Engine) workspaceOptions(dir, pidFile string) []auto.LocalWorkspaceOption {
	env := maps.Clone(e.env)
	if pidFile != "" {
		env[envCLIPids] = pidFile
	}
	return []auto.LocalWorkspaceOption{
		auto.Pulumi(e.cli),
		auto.WorkDir(dir),
		auto.EnvVars(env),
		auto.Project(workspace.Project{
			Name:    naming.Project,
			Runtime: workspace.NewProjectRuntimeInfo("go", nil),
			Backend: &workspace.ProjectBackend{URL: e.backend},
		}),
	}
}

// eventOutputsWorkspace is an operation's LocalWorkspace less one read:
// auto.Stack.Up reads the stack outputs after every up (two `stack output`
// runs, plain and with secrets). mlprov takes the outputs, with the rest of
// the stack's state, from the up's own event stream (collector.deployment),
// so here they are answered empty without starting the CLI. (The other read
// Up makes, the update summary, is left out by withoutSummaryRead.)
type eventOutputsWorkspace struct{ auto.Workspace }

func (eventOutputsWorkspace) StackOutputs(context.Context, string) (auto.OutputMap, error) {
	return auto.OutputMap{}, nil
}
