package engine

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
)

// cancelTimeout bounds the clean-up after an interrupt.
const cancelTimeout = 30 * time.Second

// Preview runs a preview with the policy pack. A stack created only for the
// preview is removed again, so previewing never leaves a product behind.
func (e *Engine) Preview(ctx context.Context, t Target) (*Result, error) {
	op, err := e.open(ctx, t, createIfMissing)
	if err != nil {
		return nil, err
	}
	defer op.close()
	if op.created {
		defer e.removeStack(op)
	}
	c := newCollector(newProgress(e.progress, e.terminal, "preview", true))
	c.run()
	start := time.Now()
	_, err = op.stack.Preview(ctx,
		optpreview.PolicyPacks(e.analyzer), optpreview.PolicyPackConfigs(op.packConfig),
		optpreview.EventStreams(c.ch))
	c.wait(err)
	return e.finish(ctx, op, c, OpPreview, start, err)
}

// Up deploys the program with the policy pack, then records t.Tags on the stack.
func (e *Engine) Up(ctx context.Context, t Target) (*Result, error) {
	op, err := e.open(ctx, t, createIfMissing)
	if err != nil {
		return nil, err
	}
	defer op.close()
	c := newCollector(newProgress(e.progress, e.terminal, "deploy", false))
	c.run()
	start := time.Now()
	up, err := op.stack.Up(ctx,
		optup.PolicyPacks(e.analyzer), optup.PolicyPackConfigs(op.packConfig),
		optup.EventStreams(c.ch), optup.SuppressOutputs())
	c.wait(err)
	res, err := e.finish(ctx, op, c, OpUp, start, err)
	if err != nil {
		return res, err
	}
	res.Outputs = plainOutputs(up.Outputs)
	for k, v := range t.Tags {
		if err := op.stack.SetTag(ctx, k, v); err != nil {
			return res, classify(ctx, fmt.Errorf("tag stack %s: %w", t.StackName, err))
		}
	}
	return res, nil
}

// Destroy deletes every resource of the stack and, with remove, the stack.
func (e *Engine) Destroy(ctx context.Context, t Target, remove bool) (*Result, error) {
	op, err := e.open(ctx, t, existingOnly)
	if err != nil {
		return nil, err
	}
	defer op.close()
	c := newCollector(newProgress(e.progress, e.terminal, "destroy", false))
	c.run()
	opts := []optdestroy.Option{optdestroy.EventStreams(c.ch)}
	if remove {
		opts = append(opts, optdestroy.Remove())
	}
	start := time.Now()
	_, err = op.stack.Destroy(ctx, opts...)
	c.wait(err)
	return e.finish(ctx, op, c, OpDestroy, start, err)
}

// finish builds the Result and types the error of an operation.
func (e *Engine) finish(ctx context.Context, op *operation, c *collector, kind string, start time.Time, err error) (*Result, error) {
	c.progress.end()
	res := &Result{
		Stack: op.stack.Name(), Operation: kind, Changes: c.changes, Summary: c.summary,
		Policy: c.advisory(), Duration: time.Since(start),
	}
	if res.Changes == nil {
		res.Changes = []Change{}
	}
	if err == nil {
		return res, nil
	}
	if ctx.Err() != nil {
		return res, e.afterInterrupt(op, ctx.Err())
	}
	if v := c.mandatory(); len(v) > 0 {
		return res, &PolicyError{Violations: v}
	}
	if len(c.failures) > 0 {
		return res, c.failures[0]
	}
	if typed := classify(ctx, err); typed != err {
		return res, e.withLockRecovery(typed, op.stack.Name())
	}
	return res, &OperationError{Op: kind, Detail: errorsFirst(stderrOf(err))}
}

// afterInterrupt runs once the CLI has exited after SIGINT (the Automation
// API interrupts it when ctx is cancelled, and the engine stops after the
// in-flight steps). It makes sure no lock of the cancelled update is left
// behind, so the next run is not blocked.
func (e *Engine) afterInterrupt(op *operation, cause error) error {
	ctx, cancel := context.WithTimeout(context.Background(), cancelTimeout)
	defer cancel()
	if err := op.stack.Cancel(ctx); err != nil {
		return fmt.Errorf("%w (%w); releasing the stack lock failed: %s", ErrInterrupted, cause, firstLine(stderrOf(err)))
	}
	return fmt.Errorf("%w (%w)", ErrInterrupted, cause)
}

// removeStack removes a stack this operation created (best effort: the
// operation's own error matters more).
func (e *Engine) removeStack(op *operation) {
	ctx, cancel := context.WithTimeout(context.Background(), cancelTimeout)
	defer cancel()
	_ = op.stack.Workspace().RemoveStack(ctx, op.stack.Name())
}

// plainOutputs drops the Automation API's secret wrapper.
func plainOutputs(m auto.OutputMap) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		if v.Secret {
			out[k] = "[secret]"
			continue
		}
		out[k] = v.Value
	}
	return out
}

// IsNotFound reports whether err says the stack does not exist.
func IsNotFound(err error) bool { return errors.Is(err, ErrStackNotFound) }
