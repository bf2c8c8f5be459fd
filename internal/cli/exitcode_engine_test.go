package cli

import (
	"fmt"
	"testing"

	"github.com/mlprov/mlprov/internal/engine"
)

func TestEngineErrorsMapToTheirExitCodes(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want int
	}{
		{fmt.Errorf("deploy: %w: held by ci@runner", engine.ErrLocked), ExitLocked},
		{fmt.Errorf("deploy: %w", engine.ErrInterrupted), ExitInterrupted},
		{&engine.PolicyError{Violations: []engine.PolicyViolation{{Policy: "MLP-KMS-001", Enforcement: "mandatory"}}}, ExitPolicyViolation},
		{&engine.ResourceError{Name: "artifacts", Op: "create", Message: "boom"}, ExitError},
	} {
		if got := exitCode(tc.err); got != tc.want {
			t.Errorf("exitCode(%v) = %d, want %d", tc.err, got, tc.want)
		}
	}
}
