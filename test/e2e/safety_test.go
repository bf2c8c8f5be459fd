package e2e_test

import (
	"encoding/json"
	"github.com/mlprov/mlprov/test/e2e"
	"os"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mlprov/mlprov/test/fakeaws/control"
)

// starterConfig is the smallest product, for the tests of failure behaviour.
const starterConfig = e2e.StarterConfig

// deployed sets up the starter product and deploys it.
func deployed(t *testing.T) *product {
	t.Helper()
	p := newProduct(t, starterConfig)
	p.expect(exitOK, p.command("deploy-product", "--force")...)
	return p
}

// snapshot is the production stack's state file and the fake cloud's resources.
func (p *product) snapshot() string {
	p.t.Helper()
	state, err := os.ReadFile(p.stateFile(p.names.StackName))
	if err != nil {
		p.t.Fatal(err)
	}
	cloud, err := json.Marshal(p.cloudResources())
	if err != nil {
		p.t.Fatal(err)
	}
	return string(state) + "\n" + string(cloud)
}

// TestTestDeployLeavesNothingAndKeepsProduction: test-deploy deploys an
// isolated {ml_name}-test-{hex} stack, verifies and destroys it; the
// production stack deployed before is untouched.
func TestTestDeployLeavesNothingAndKeepsProduction(t *testing.T) {
	t.Parallel()
	p := deployed(t)
	before := p.snapshot()
	callsBefore := len(callsSince(t, p, 0))
	r := p.expect(exitOK, p.command("test-deploy", "--force")...)
	if !strings.Contains(r.stdout+r.stderr, p.names.StackName+"-test-") {
		t.Errorf("test-deploy does not name its %s-test-{hex} stack:\n%s", p.names.StackName, r)
	}
	if got := p.stacks(); !slices.Equal(got, []string{p.names.StackName}) {
		t.Errorf("after test-deploy the backend holds stacks %v, want only %s", got, p.names.StackName)
	}
	if after := p.snapshot(); after != before {
		t.Error("test-deploy changed the production stack's state or resources")
	}
	production := map[string]bool{}
	for _, r := range p.cloudResources() {
		production[r.Name] = true
	}
	var created []string
	for _, c := range callsSince(t, p, callsBefore) {
		if c.Op == "create" {
			created = append(created, c.Name)
			if c.Name != "" && production[c.Name] {
				t.Errorf("test-deploy created %s %q, a production name", c.Type, c.Name)
			}
		}
	}
	if len(created) == 0 {
		t.Error("test-deploy created nothing in the cloud")
	}
}

// callsSince returns the provider calls after the first n.
func callsSince(t *testing.T, p *product, n int) []control.Call {
	t.Helper()
	calls, err := control.Calls(p.cloud)
	if err != nil {
		t.Fatal(err)
	}
	return calls[n:]
}

// TestMutatingActionsRefuseWithoutForce: deploy-product, delete-product and
// test-deploy without --force exit 7 and touch neither the backend nor the
// cloud.
func TestMutatingActionsRefuseWithoutForce(t *testing.T) {
	t.Parallel()
	p := newProduct(t, starterConfig)
	for _, action := range []string{"deploy-product", "delete-product", "test-deploy"} {
		r := p.expect(exitRefused, p.command(action)...)
		if !strings.Contains(r.stderr, "--force") {
			t.Errorf("%s refusal does not mention --force: %s", action, r)
		}
	}
	if stacks := p.stacks(); len(stacks) != 0 {
		t.Errorf("refused actions created stacks %v", stacks)
	}
	if calls, err := control.Calls(p.cloud); err != nil || len(calls) != 0 {
		t.Errorf("refused actions made provider calls %v (%v)", calls, err)
	}

	p.expect(exitOK, p.command("deploy-product", "--force")...)
	before := p.snapshot()
	callsBefore, _ := control.Calls(p.cloud)
	p.expect(exitRefused, p.command("delete-product")...)
	p.editConfig(`cost_center: "1200"`, `cost_center: "1299"`)
	p.expect(exitRefused, p.command("deploy-product")...)
	if after := p.snapshot(); after != before {
		t.Error("a refused action changed the deployed product")
	}
	if calls, _ := control.Calls(p.cloud); len(calls) != len(callsBefore) {
		t.Errorf("refused actions made provider calls %v", calls[len(callsBefore):])
	}
}

// isProgress matches the plain progress line of a started step.
func isProgress(line string) bool {
	f := strings.Fields(line)
	return len(f) >= 2 && slices.Contains([]string{"create", "update", "delete", "replace"}, f[0]) && strings.HasSuffix(line, "...")
}

// TestConcurrentDeploysOneIsLocked: while one deploy-product holds the
// stack, a second one fails fast with the locked exit code. The first is
// held mid-update (SIGSTOP to its process group) so the race is certain,
// then resumed to finish.
func TestConcurrentDeploysOneIsLocked(t *testing.T) {
	t.Parallel()
	p := deployed(t)
	p.editConfig(`cost_center: "1200"`, `cost_center: "1299"`)
	first := p.start(p.command("deploy-product", "--force")...)
	if _, ok := first.waitForLine(isProgress, 3*time.Minute); !ok {
		t.Fatalf("the first deploy never showed progress: %s", first.wait())
	}
	stopBetweenWrites(t, p, first)
	resumed := false
	resume := func() {
		if !resumed {
			resumed = true
			_ = first.signalGroup(syscall.SIGCONT)
		}
	}
	defer resume()
	second := p.mlprov(p.command("deploy-product", "--force")...)
	resume()
	firstRun := first.wait()
	if second.code != exitLocked {
		t.Errorf("the second deploy while the first held the lock: want exit %d, got %s", exitLocked, second)
	}
	if !strings.Contains(strings.ToLower(second.stderr), "lock") {
		t.Errorf("the locked error does not say so: %s", second.stderr)
	}
	if firstRun.code != exitOK {
		t.Errorf("the first deploy: %s", firstRun)
	}
	t.Logf("the locked deploy failed after %s", second.duration.Round(time.Millisecond))
	if left := p.locks(); len(left) != 0 {
		t.Errorf("locks left behind: %v", left)
	}
	p.expect(exitOK, p.command("show-changes", "--detailed-exitcode")...)
}

// TestInjectedFailureThenConverge: a provider error on one resource's create
// fails the deploy naming the resource; a re-run converges with no orphan.
func TestInjectedFailureThenConverge(t *testing.T) {
	t.Parallel()
	p := newProduct(t, starterConfig)
	const message = "ThrottlingException: Rate exceeded (injected by fakeaws)"
	err := control.InjectFault(p.cloud, control.Fault{Op: "create", Type: bucketType, Times: 1, Message: message})
	if err != nil {
		t.Fatal(err)
	}
	r := p.mlprov(p.command("deploy-product", "--force")...)
	if r.code == exitOK {
		t.Fatalf("deploy with an injected create fault succeeded: %s", r)
	}
	var failed control.Call
	for _, c := range callsSince(t, p, 0) {
		if c.Op == "create" && c.Error != "" {
			failed = c
			break
		}
	}
	if failed.Type != bucketType || !strings.Contains(failed.Error, "Rate exceeded") {
		t.Fatalf("the fake cloud saw no failed bucket create: %+v", failed)
	}
	if state, cloud := p.stateURNs(p.names.StackName), p.cloudURNs(); !slices.Equal(state, cloud) {
		t.Errorf("after the failed deploy the state and the cloud differ:\nstate %v\ncloud %v", state, cloud)
	}
	p.expect(exitOK, p.command("deploy-product", "--force")...)
	state, cloud := p.stateURNs(p.names.StackName), p.cloudURNs()
	if !slices.Equal(state, cloud) {
		t.Errorf("after the re-run the state and the cloud differ (orphans or missing):\nstate %v\ncloud %v", state, cloud)
	}
	var urn string
	for _, res := range p.cloudResources() {
		if res.Type == failed.Type && (res.Name == failed.Name || res.ID == failed.Name) {
			urn = res.URN
		}
	}
	if urn == "" {
		t.Fatalf("the re-run did not create the bucket %q", failed.Name)
	}
	if name := nameOfURN(urn); !strings.Contains(r.stderr, name) || !strings.Contains(r.stderr, "Rate exceeded") {
		t.Errorf("the failed deploy does not name the resource %q with the provider's message: %s", name, r)
	}
}

// nameOfURN is the logical name at the end of a URN.
func nameOfURN(urn string) string {
	if i := strings.LastIndex(urn, "::"); i >= 0 {
		return urn[i+2:]
	}
	return ""
}

// TestInterruptLeavesNothingBlocking: SIGINT during a deploy cancels it
// (exit 130) and the next deploy-product --force runs and converges.
func TestInterruptLeavesNothingBlocking(t *testing.T) {
	t.Parallel()
	p := newProduct(t, starterConfig)
	deploy := p.start(p.command("deploy-product", "--force")...)
	// Interrupt once a first resource exists, so some are created and some
	// in flight.
	finished := func(line string) bool {
		return strings.HasPrefix(strings.TrimSpace(line), "create") && strings.HasSuffix(line, " done")
	}
	if _, ok := deploy.waitForLine(finished, 3*time.Minute); !ok {
		t.Fatalf("the deploy never finished a resource: %s", deploy.wait())
	}
	if err := deploy.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	interrupted := deploy.wait()
	if interrupted.code != exitInterrupted {
		t.Errorf("interrupted deploy: want exit %d, got %s", exitInterrupted, interrupted)
	}
	if left := p.locks(); len(left) != 0 {
		t.Errorf("the interrupted deploy left locks %v", left)
	}
	t.Logf("interrupted after %s with %d resources created; pending operations in the state: %d",
		interrupted.duration.Round(time.Millisecond), len(p.cloudResources()), len(p.deployment(p.names.StackName).PendingOperations))
	if state, cloud := p.stateURNs(p.names.StackName), p.cloudURNs(); !slices.Equal(state, cloud) {
		t.Errorf("after the interrupt the state and the cloud differ:\nstate %v\ncloud %v", state, cloud)
	}
	p.expect(exitOK, p.command("deploy-product", "--force")...)
	if pending := p.deployment(p.names.StackName).PendingOperations; len(pending) != 0 {
		t.Errorf("after the next deploy the state still has pending operations %v", pending)
	}
	if state, cloud := p.stateURNs(p.names.StackName), p.cloudURNs(); !slices.Equal(state, cloud) {
		t.Errorf("after interrupt and re-run the state and the cloud differ:\nstate %v\ncloud %v", state, cloud)
	}
}
