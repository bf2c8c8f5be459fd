package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/mlprov/mlprov/internal/config"
	"github.com/mlprov/mlprov/internal/engine"
)

// Exit codes: the one documented table (README "Exit codes"). Scripts of the
// old tool check 0 / non-zero; CI gates check the specific codes.
const (
	ExitOK              = 0   // success, nothing to report
	ExitError           = 1   // unexpected failure (AWS, engine, I/O)
	ExitUsage           = 2   // bad command line
	ExitInvalidConfig   = 3   // the config file failed validation
	ExitPolicyViolation = 4   // a mandatory policy rule is violated
	ExitChanges         = 5   // show-changes --detailed-exitcode found changes; check-drift found drift
	ExitLocked          = 6   // the stack is locked by another operation
	ExitRefused         = 7   // a mutating action was run without --force
	ExitInterrupted     = 130 // cancelled by SIGINT/SIGTERM (shell convention 128+2)
)

// ExitCodes describes each code, for `mlprov exit-codes` and the docs test.
var ExitCodes = []ExitCodeEntry{
	{ExitOK, "success"},
	{ExitError, "unexpected error (AWS, engine, file system)"},
	{ExitUsage, "bad command line (unknown action or flag, missing --config)"},
	{ExitInvalidConfig, "invalid configuration file"},
	{ExitPolicyViolation, "a mandatory policy rule is violated"},
	{ExitChanges, "changes found (show-changes --detailed-exitcode) or drift found (check-drift)"},
	{ExitLocked, "the stack is locked by another operation"},
	{ExitRefused, "a mutating action was refused because --force was not given"},
	{ExitInterrupted, "interrupted (SIGINT/SIGTERM); the operation was cancelled cleanly"},
}

// ExitCodeEntry is one line of the exit code table.
type ExitCodeEntry struct {
	Code    int    `json:"code"`
	Meaning string `json:"meaning"`
}

// CodedError carries an exit code with an error. Commands return it (never
// os.Exit); Main maps it to the process exit status.
type CodedError struct {
	Code int
	Err  error
}

func (e *CodedError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit status %d", e.Code)
	}
	return e.Err.Error()
}

func (e *CodedError) Unwrap() error { return e.Err }

// withCode wraps err with an exit code.
func withCode(code int, err error) error {
	if err == nil {
		return nil
	}
	return &CodedError{Code: code, Err: err}
}

// silentExit is a non-zero result whose message was already printed (for
// example the list of policy violations).
func silentExit(code int) error { return &CodedError{Code: code} }

// exitCode maps any error a command returns to its exit code: the one place
// typed errors become codes.
func exitCode(err error) int {
	if err == nil {
		return ExitOK
	}
	var ee *CodedError
	if errors.As(err, &ee) {
		return ee.Code
	}
	var ve *config.ValidationError
	if errors.As(err, &ve) {
		return ExitInvalidConfig
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, engine.ErrInterrupted) {
		return ExitInterrupted
	}
	if errors.Is(err, engine.ErrLocked) {
		return ExitLocked
	}
	var pe *engine.PolicyError
	if errors.As(err, &pe) {
		return ExitPolicyViolation
	}
	return ExitError
}
