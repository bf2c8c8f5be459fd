package control

import (
	"strings"
	"testing"
)

func TestInjectFaultRejectsIncompleteFaults(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		fault   Fault
		wantErr string
	}{
		{Fault{Op: "explode", Type: "T", Times: 1, Message: "m"}, `fault op "explode"`},
		{Fault{Op: "create", Times: 1, Message: "m"}, "needs a resource type token"},
		{Fault{Op: "create", Type: "T", Message: "m"}, "fault times 0"},
		{Fault{Op: "create", Type: "T", Times: 1}, "needs a message"},
	}
	for _, tt := range tests {
		if err := InjectFault(dir, tt.fault); err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("InjectFault(%+v) = %v, want %q", tt.fault, err, tt.wantErr)
		}
	}
	if pending, _ := PendingFaults(dir); len(pending) != 0 {
		t.Errorf("rejected faults were queued: %v", pending)
	}
}

func TestDriftControlsNeedAnExistingResource(t *testing.T) {
	dir := t.TempDir()
	if err := Remove(dir, "aws:s3/bucketV2:BucketV2", "nope"); err == nil || !strings.Contains(err.Error(), "not found") {
		t.Errorf("Remove of a missing resource = %v, want not found", err)
	}
	if err := Mutate(dir, "aws:s3/bucketV2:BucketV2", "nope", "tags", nil); err == nil || !strings.Contains(err.Error(), "not found") {
		t.Errorf("Mutate of a missing resource = %v, want not found", err)
	}
}

func TestSeededParametersNeedAbsoluteHierarchicalNames(t *testing.T) {
	if err := SeedParameter(t.TempDir(), "vpc/main/VPCId", "vpc-1"); err == nil || !strings.Contains(err.Error(), "must start with /") {
		t.Errorf("SeedParameter with a relative path = %v, want an error", err)
	}
}
