package engine

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
)

// Preview runs a preview with the policy pack. Previewing never creates
// anything on the backend: for a product not deployed yet (Result.NotDeployed)
// the preview runs on a scratch file backend of its own, removed after, so
// it still lists everything a deploy would create.
func (e *Engine) Preview(ctx context.Context, t Target) (*Result, error) {
	if e.analyzerErr != nil {
		return nil, e.analyzerErr
	}
	op, err := e.open(ctx, t, existingOnly)
	notDeployed := IsNotFound(err)
	if notDeployed {
		scratch, remove, serr := e.scratch()
		if serr != nil {
			return nil, serr
		}
		defer remove()
		op, err = scratch.open(ctx, t, createIfMissing)
	}
	if err != nil {
		return nil, err
	}
	defer op.close()
	c := newCollector(newProgress(e.progress, e.terminal, "preview", true))
	c.run()
	start := time.Now()
	_, err = op.stack.Preview(ctx,
		optpreview.PolicyPacks(e.analyzer), optpreview.PolicyPackConfigs(op.packConfig),
		optpreview.EventStreams(c.ch))
	c.wait(err)
	res, err := e.finish(ctx, op, c, OpPreview, start, err)
	if res != nil {
		res.NotDeployed = notDeployed
	}
	return res, err
}

// scratch is a copy of the engine on a new, empty file backend (with the
// fixed local passphrase: it holds nothing worth protecting and is removed
// by the returned function).
func (e *Engine) scratch() (*Engine, func(), error) {
	dir, err := os.MkdirTemp("", "mlprov-preview-backend-")
	if err != nil {
		return nil, nil, err
	}
	s := *e
	s.backend, s.secrets = "file://"+dir, "passphrase"
	s.env = maps.Clone(e.env)
	s.env["PULUMI_BACKEND_URL"] = s.backend
	s.env[EnvPulumiPassphrase] = DefaultLocalPassphrase
	return &s, func() { os.RemoveAll(dir) }, nil
}

// Up deploys the program with the policy pack, then records t.Tags on the stack.
func (e *Engine) Up(ctx context.Context, t Target) (*Result, error) {
	if e.analyzerErr != nil {
		return nil, e.analyzerErr
	}
	op, err := e.open(ctx, t, createIfMissing)
	if err != nil {
		return nil, err
	}
	defer op.close()
	// The recorded tags are read while the up runs (they change only after
	// it); only a tag that differs costs a CLI call (a no-op deploy sets none).
	tagsRead := make(chan tagRead, 1)
	go func() {
		tags, err := op.stack.Workspace().ListTags(ctx, t.StackName)
		tagsRead <- tagRead{tags, err}
	}()
	c := newCollector(newProgress(e.progress, e.terminal, "deploy", false))
	c.run()
	start := time.Now()
	_, err = op.stack.Up(ctx,
		optup.PolicyPacks(e.analyzer), optup.PolicyPackConfigs(op.packConfig),
		optup.EventStreams(c.ch), optup.SuppressOutputs())
	c.wait(err)
	res, err := e.finish(ctx, op, c, OpUp, start, err)
	recorded := <-tagsRead
	switch {
	case err == nil:
		// Every resource of the stack had a step in a successful up, so its
		// events hold the whole state, outputs included.
		res.State = c.deployment(t.StackName)
		res.Outputs = res.State.Outputs
	case res != nil && ctx.Err() == nil:
		// A failed up stopped part-way: read what exists now.
		res.State, _ = op.deployment(ctx)
	}
	if err != nil {
		return res, err
	}
	if recorded.err != nil {
		return res, classify(ctx, fmt.Errorf("read the tags of stack %s: %w", t.StackName, recorded.err))
	}
	for k, v := range t.Tags {
		if recorded.tags[k] == v {
			continue
		}
		if err := op.stack.SetTag(ctx, k, v); err != nil {
			return res, classify(ctx, fmt.Errorf("tag stack %s: %w", t.StackName, err))
		}
	}
	return res, nil
}

// tagRead is the outcome of reading a stack's tags.
type tagRead struct {
	tags map[string]string
	err  error
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
		Policy: c.advisory(), Warnings: c.warnings, Duration: time.Since(start),
	}
	if res.Changes == nil {
		res.Changes = []Change{}
	}
	if err == nil {
		return res, nil
	}
	if ctx.Err() != nil {
		return res, e.afterInterrupt(op, kind, ctx.Err())
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
// API interrupts it when ctx is cancelled; the engine stops after the
// in-flight steps and releases its own lock). A preview or refresh preview
// takes no lock on self-managed backends, so nothing is released after one;
// after an up or destroy only a lock this run provably left is removed
// (releaseOwnLock).
func (e *Engine) afterInterrupt(op *operation, kind string, cause error) error {
	if kind != OpUp && kind != OpDestroy {
		return fmt.Errorf("%w (%w)", ErrInterrupted, cause)
	}
	if left := e.releaseOwnLock(op); left != "" {
		return fmt.Errorf("%w (%w); %s", ErrInterrupted, cause, left)
	}
	return fmt.Errorf("%w (%w); no lock of %s is left", ErrInterrupted, cause, op.stack.Name())
}

// IsNotFound reports whether err says the stack does not exist.
func IsNotFound(err error) bool { return errors.Is(err, ErrStackNotFound) }
