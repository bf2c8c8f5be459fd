package cloudstate

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
)

func TestFaultsAreConsumedExactlyOnceUnderConcurrency(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.AddFault(Fault{Op: OpCreate, Type: "aws:s3/bucketV2:BucketV2", Name: "b", Times: 5, Message: "boom"}); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	hits := 0
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			_, found, err := s.ConsumeFault(OpCreate, "aws:s3/bucketV2:BucketV2", "b")
			if err != nil {
				t.Error(err)
			}
			if found {
				mu.Lock()
				hits++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if hits != 5 {
		t.Errorf("fault fired %d times, want 5", hits)
	}
	if faults, _ := s.Faults(); len(faults) != 0 {
		t.Errorf("faults left = %v, want none", faults)
	}
}

func TestFaultMatchesOpTypeAndName(t *testing.T) {
	s, _ := Open(t.TempDir())
	_ = s.AddFault(Fault{Op: OpDelete, Type: "T", Name: "n", Times: 1, Message: "m"})
	for _, miss := range [][3]string{{OpCreate, "T", "n"}, {OpDelete, "U", "n"}, {OpDelete, "T", "other"}} {
		if _, found, _ := s.ConsumeFault(miss[0], miss[1], miss[2]); found {
			t.Errorf("fault fired for %v", miss)
		}
	}
	if f, found, _ := s.ConsumeFault(OpDelete, "T", "", "n"); !found || f.Message != "m" {
		t.Errorf("fault for delete T n: found %v %v", found, f)
	}
}

func TestParallelCallLogAndResourceWrites(t *testing.T) {
	s, _ := Open(t.TempDir())
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Go(func() {
			id := fmt.Sprintf("/ml/p/%d", i)
			if err := s.CreateResource(Resource{Type: "aws:ssm/parameter:Parameter", ID: id, Name: id}); err != nil {
				t.Error(err)
			}
			if err := s.AppendCall(Call{Op: OpCreate, ID: id}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	rs, err := s.Resources()
	if err != nil || len(rs) != 40 {
		t.Fatalf("resources = %d (%v), want 40", len(rs), err)
	}
	calls, err := s.Calls()
	if err != nil || len(calls) != 40 {
		t.Fatalf("calls = %d (%v), want 40", len(calls), err)
	}
	err = s.CreateResource(Resource{Type: "aws:ssm/parameter:Parameter", ID: "/ml/p/1"})
	if !errors.Is(err, ErrAlreadyExists) {
		t.Errorf("duplicate create error = %v, want ErrAlreadyExists", err)
	}
	if _, err := s.GetResource("aws:ssm/parameter:Parameter", "/ml/p/x"); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing resource error = %v, want ErrNotFound", err)
	}
}

func TestFileKeysDoNotCollide(t *testing.T) {
	if a, b := fileKey("T", "/ml/x"), fileKey("T", "_ml_x"); a == b {
		t.Errorf("file keys collide: %s", a)
	}
}

func TestOpenFromEnvNeedsTheDirectory(t *testing.T) {
	t.Setenv(DirEnv, "")
	if _, err := OpenFromEnv(); err == nil || !strings.Contains(err.Error(), DirEnv+" is not set") {
		t.Errorf("error = %v, want %s is not set", err, DirEnv)
	}
}
