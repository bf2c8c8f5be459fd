package cli

import (
	"context"

	"github.com/mlprov/mlprov/internal/engine"
)

// Engine is what the CLI's engine commands need from internal/engine. The
// commands depend on this interface so their orchestration (refusal, report
// and audit writing, cleanup, interrupts) is tested with a fake engine.
type Engine interface {
	Backend() string
	List(ctx context.Context) ([]engine.StackSummary, error)
	Describe(ctx context.Context, stack string) (*engine.Deployment, error)
	Preview(ctx context.Context, t engine.Target) (*engine.Result, error)
	Up(ctx context.Context, t engine.Target) (*engine.Result, error)
	Destroy(ctx context.Context, t engine.Target, remove bool) (*engine.Result, error)
	Drift(ctx context.Context, t engine.Target) (*engine.DriftReport, error)
}

var _ Engine = (*engine.Engine)(nil)

// newRealEngine builds the Automation API engine.
func newRealEngine(opts engine.Options) (Engine, error) { return engine.New(opts) }
