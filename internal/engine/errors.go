package engine

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"

	"github.com/mlprov/mlprov/internal/naming"
)

// Typed errors; internal/cli maps them to exit codes.
var (
	// ErrLocked: another operation holds the stack's lock.
	ErrLocked = errors.New("the stack is locked by another operation")
	// ErrInterrupted: the context was cancelled; the operation was cancelled
	// and the lock released.
	ErrInterrupted = errors.New("interrupted: the operation was cancelled")
	// ErrStackNotFound: the stack does not exist in the backend.
	ErrStackNotFound = errors.New("not deployed (no such stack in the backend)")
)

// ResourceError is a failed resource operation, naming the resource.
type ResourceError struct {
	URN  string
	Type string
	Name string
	// Op is the step that failed (create, update, delete…).
	Op      string
	Message string
}

func (e *ResourceError) Error() string {
	return fmt.Sprintf("%s %s (%s) failed: %s", e.Op, e.Name, e.Type, e.Message)
}

// PolicyError is a preview or update blocked by mandatory policy violations.
type PolicyError struct {
	Violations []PolicyViolation
}

func (e *PolicyError) Error() string {
	lines := make([]string, 0, len(e.Violations))
	for _, v := range e.Violations {
		lines = append(lines, v.String())
	}
	return fmt.Sprintf("%d mandatory policy violation(s):\n  %s", len(e.Violations), strings.Join(lines, "\n  "))
}

// OperationError is any other engine failure; Detail is the CLI's stderr
// (what a user needs to act on), without the Automation API's stdout dump.
type OperationError struct {
	Op     string
	Detail string
}

func (e *OperationError) Error() string { return e.Op + " failed: " + e.Detail }

// classify turns an Automation API error into a typed error.
func classify(ctx context.Context, err error) error {
	switch {
	case err == nil:
		return nil
	case ctx.Err() != nil:
		return fmt.Errorf("%w: %w", ErrInterrupted, ctx.Err())
	case auto.IsConcurrentUpdateError(err):
		return fmt.Errorf("%w: %s", ErrLocked, lockHolder(err))
	}
	return err
}

// lockHolder is the CLI's description of the lock (who holds it, since when).
func lockHolder(err error) string {
	msg := strings.TrimSpace(strings.TrimPrefix(stderrOf(err), "error: "))
	if msg == "" {
		return "another update is in progress"
	}
	return msg
}

// stderrOf returns the CLI's stderr carried by an Automation API error.
var stderrField = regexp.MustCompile(`(?s)\nstderr: (.*)$`)

// stdoutField is the CLI's stdout; some failures (post-apply stack policy
// results, engine diagnostics) are only reported there.
var stdoutField = regexp.MustCompile(`(?s)\nstdout: (.*)\nstderr: `)

func stderrOf(err error) string {
	m := stderrField.FindStringSubmatch(err.Error())
	if m == nil {
		return err.Error()
	}
	if msg := strings.TrimSpace(m[1]); msg != "" {
		return msg
	}
	if out := stdoutField.FindStringSubmatch(err.Error()); out != nil {
		return lastLines(strings.TrimSpace(out[1]), 15)
	}
	return err.Error()
}

// lastLines keeps the end of a long output, where the CLI prints its verdict.
func lastLines(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// errorsFirst moves the CLI's "error:" lines to the front of its output, so
// the headline a user reads is the cause (a program failure, a provider
// error) rather than advisory policy lines printed before it.
func errorsFirst(detail string) string {
	var errs, rest []string
	for _, line := range strings.Split(detail, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "error:") {
			errs = append(errs, strings.TrimSpace(line))
		} else {
			rest = append(rest, line)
		}
	}
	if len(errs) == 0 {
		return detail
	}
	return strings.Join(append(errs, rest...), "\n")
}

// withLockRecovery adds to a locked error the exact command that removes a
// stale lock (left by a process killed mid-operation) on a self-managed
// backend; Pulumi Cloud releases such locks itself.
func (e *Engine) withLockRecovery(err error, stack string) error {
	if !errors.Is(err, ErrLocked) || isPulumiCloud(e.backend) {
		return err
	}
	return fmt.Errorf("%w\nIf no other operation is running on this stack (a process was killed mid-operation), remove the stale lock with:\n  %s",
		err, LockRecoveryCommand(e.backend, stack))
}

// LockRecoveryCommand is the command that removes every lock of stack on a
// self-managed backend (pulumi cancel deletes the lock files there).
func LockRecoveryCommand(backend, stack string) string {
	return fmt.Sprintf("PULUMI_BACKEND_URL='%s' pulumi cancel --yes --stack organization/%s/%s", backend, naming.Project, stack)
}
