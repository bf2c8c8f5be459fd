package engine

import (
	"errors"
	"strings"
	"testing"
)

func TestOperationErrorLeadsWithTheCause(t *testing.T) {
	cli := errors.New("failed to run update: exit status 255\ncode: 255\nstdout: \nstderr: " +
		"Policies:\n    - [advisory] mlprov-policy-pack MLP-LOG-001 retention is 90 days\n" +
		"Diagnostics:\n  pulumi:pulumi:Stack (p):\n    error: an unhandled error occurred: runtime error: invalid memory address")
	got := errorsFirst(stderrOf(cli))
	if first, _, _ := strings.Cut(got, "\n"); !strings.HasPrefix(first, "error: an unhandled error occurred") {
		t.Errorf("headline = %q, want the program's error", first)
	}
	if !strings.Contains(got, "MLP-LOG-001") {
		t.Error("the rest of the output was dropped")
	}
}

func TestEmptyStderrFallsBackToStdoutTail(t *testing.T) {
	cli := errors.New("failed to run update: exit status 255\ncode: 255\nstdout: Resources:\n    error: invocation of aws:ec2/getVpc:getVpc returned an error\nstderr: ")
	if got := stderrOf(cli); !strings.Contains(got, "getVpc returned an error") {
		t.Errorf("detail = %q, want the stdout that carries the cause", got)
	}
}
