package e2e_test

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mlprov/mlprov/internal/naming"
)

// heldDeploy edits the config (editOld → editNew), starts a deploy-product
// of the change and stops it (SIGSTOP to its process group) once it holds the
// stack lock mid-update. resume lets it continue; the deploy's run is
// returned by wait.
func heldDeploy(t *testing.T, p *product, editOld, editNew string) (held *running, resume func()) {
	t.Helper()
	p.editConfig(editOld, editNew)
	held = p.start(p.command("deploy-product", "--force")...)
	if _, ok := held.waitForLine(isProgress, 3*time.Minute); !ok {
		t.Fatalf("the deploy never showed progress: %s", held.wait())
	}
	stopBetweenWrites(t, p, held)
	resumed := false
	resume = func() {
		if !resumed {
			resumed = true
			_ = held.signalGroup(syscall.SIGCONT)
		}
	}
	t.Cleanup(resume)
	if len(p.locks()) == 0 {
		t.Fatal("the held deploy holds no lock")
	}
	return held, resume
}

// stopBetweenWrites stops the running operation (SIGSTOP to its process
// group), but never in the middle of writing a blob's metadata: the file
// backend (gocloud.dev/blob/fileblob attrs.go, setAttrs) truncates the
// "<file>.attrs" sidecar and then writes it, not atomically, and every read
// of the checkpoint decodes it; a writer stopped in between makes every
// other reader fail with "failed to load checkpoint: EOF" for as long as it
// stays stopped. A real writer finishes within microseconds.
func stopBetweenWrites(t *testing.T, p *product, r *running) {
	t.Helper()
	for try := 0; ; try++ {
		if err := r.signalGroup(syscall.SIGSTOP); err != nil {
			t.Fatal(err)
		}
		empty, _ := filepath.Glob(filepath.Join(p.workdir, naming.StateDir, ".pulumi", "stacks", "*", "*.attrs"))
		empty = slices.DeleteFunc(empty, func(f string) bool { st, err := os.Stat(f); return err != nil || st.Size() > 0 })
		if len(empty) == 0 {
			return
		}
		if try == 50 {
			t.Fatalf("the held operation keeps stopping mid-write of %v", empty)
		}
		_ = r.signalGroup(syscall.SIGCONT)
		time.Sleep(20 * time.Millisecond)
	}
}

// TestInterruptedReadOnlyActionsKeepAnotherOperationsLock: operation A holds
// the stack lock (stopped with SIGSTOP); B, a show-changes or check-drift,
// is interrupted. A's lock must still be there and A must complete: a
// preview takes no lock, so B has nothing to release.
func TestInterruptedReadOnlyActionsKeepAnotherOperationsLock(t *testing.T) {
	for _, action := range []string{"show-changes", "check-drift"} {
		t.Run(action, func(t *testing.T) {
			t.Parallel()
			p := deployed(t)
			held, resume := heldDeploy(t, p, `cost_center: "1200"`, `cost_center: "1299"`)
			locksBefore := p.locks()

			b := p.start(p.command(action)...)
			// Interrupt B (mlprov and its CLI, as Ctrl-C in a terminal does)
			// while its CLI runs the preview.
			if !waitForChild(b, engineVerb[action], time.Minute) {
				t.Fatalf("%s never ran `pulumi %s`: %s", action, engineVerb[action], b.wait())
			}
			time.Sleep(300 * time.Millisecond)
			if err := b.signalGroup(syscall.SIGINT); err != nil {
				t.Fatal(err)
			}
			if r := b.wait(); r.code != exitInterrupted {
				t.Errorf("interrupted %s: want exit %d, got %s", action, exitInterrupted, r)
			}
			if after := p.locks(); !slices.Equal(after, locksBefore) {
				t.Errorf("the interrupted %s changed the locks of the running deploy: before %v, after %v", action, locksBefore, after)
			}
			resume()
			if r := held.wait(); r.code != exitOK {
				t.Errorf("the deploy that held the lock did not complete: %s", r)
			}
			if left := p.locks(); len(left) != 0 {
				t.Errorf("locks left after both ended: %v", left)
			}
		})
	}
}

// engineVerb is the CLI subcommand an action runs.
var engineVerb = map[string]string{"show-changes": "preview", "check-drift": "refresh"}

// waitForChild waits until a process of r's process group runs a command
// line holding word (a Pulumi CLI subcommand).
func waitForChild(r *running, word string, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		procs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
		for _, cmdline := range procs {
			pid, err := strconv.Atoi(filepath.Base(filepath.Dir(cmdline)))
			if err != nil {
				continue
			}
			if pgid, err := syscall.Getpgid(pid); err != nil || pgid != r.cmd.Process.Pid {
				continue
			}
			b, _ := os.ReadFile(cmdline)
			args := strings.Split(string(b), "\x00")
			if len(args) > 1 && strings.HasSuffix(args[0], "pulumi") && slices.Contains(args, word) {
				return true
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return false
}

// checkLockedProdDeleteChangesNothing: a forced delete of a protected prod
// product while another deploy holds the lock (a real one, stopped mid-update)
// exits 6 and changes neither the state nor the cloud: lifting the protection
// is itself a locked operation. The held deploy (reverting tc's config edit)
// then completes.
func checkLockedProdDeleteChangesNothing(t *testing.T, p *product, tc tierCase) {
	t.Helper()
	held, resume := heldDeploy(t, p, tc.editNew, tc.editOld)
	locksBefore := p.locks()
	before := p.snapshot()
	callsBefore := len(p.mutatingCalls())
	r := p.mlprov(p.command("delete-product", "--force")...)
	if r.code != exitLocked {
		t.Errorf("prod delete while another update holds the lock: want exit %d, got %s", exitLocked, r)
	}
	if after := p.snapshot(); after != before {
		t.Error("the locked prod delete changed the state or the cloud")
	}
	if calls := p.mutatingCalls(); len(calls) != callsBefore {
		t.Errorf("the locked prod delete made provider calls %v", calls[callsBefore:])
	}
	if after := p.locks(); !slices.Equal(after, locksBefore) {
		t.Errorf("the locked prod delete changed the held deploy's lock: before %v, after %v", locksBefore, after)
	}
	resume()
	if r := held.wait(); r.code != exitOK {
		t.Errorf("the deploy that held the lock did not complete: %s", r)
	}
	if left := p.locks(); len(left) != 0 {
		t.Errorf("locks left after the held deploy ended: %v", left)
	}
}

// TestKeptTestDeploymentIsListedAndRemovable: test-deploy refuses without
// --force (exit 7, nothing created); with --keep the test stack stays, is
// listed by list-products with its id, and delete-product --test-id removes
// it without touching production.
func TestKeptTestDeploymentIsListedAndRemovable(t *testing.T) {
	t.Parallel()
	p := newProduct(t, starterConfig)
	if r := p.expect(exitRefused, p.command("test-deploy")...); !strings.Contains(r.stderr, "--force") {
		t.Errorf("test-deploy refusal does not mention --force: %s", r)
	}
	if stacks, calls := p.stacks(), p.mutatingCalls(); len(stacks) != 0 || len(calls) != 0 {
		t.Fatalf("a refused test-deploy created stacks %v and made calls %v", stacks, calls)
	}

	p.expect(exitOK, p.command("test-deploy", "--force", "--keep")...)
	stacks := p.stacks()
	if len(stacks) != 1 {
		t.Fatalf("after test-deploy --keep the backend holds %v, want the test stack", stacks)
	}
	_, id, ok := naming.ParseTestStack(stacks[0])
	if !ok {
		t.Fatalf("%s is not a test stack name", stacks[0])
	}
	var listed struct {
		Deployed []struct {
			Name   string `json:"name"`
			TestID string `json:"testId"`
		} `json:"deployed"`
	}
	decode(t, p.expect(exitOK, p.command("list-products", "--output", "json")...), &listed)
	if len(listed.Deployed) != 1 || listed.Deployed[0].Name != stacks[0] || listed.Deployed[0].TestID != id {
		t.Errorf("list-products: want %s with test id %s, got %+v", stacks[0], id, listed.Deployed)
	}
	p.expect(exitRefused, p.command("delete-product", "--test-id", id)...)
	p.expect(exitOK, p.command("delete-product", "--test-id", id, "--force")...)
	if left, cloud := p.stacks(), p.cloudResources(); len(left) != 0 || len(cloud) != 0 {
		t.Errorf("delete-product --test-id left stacks %v and %d resources", left, len(cloud))
	}
}
