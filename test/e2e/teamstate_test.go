package e2e_test

import (
	"encoding/json"
	"net"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mlprov/mlprov/internal/engine"
	"github.com/mlprov/mlprov/test/teamstate"
)

// secretSig marks a secret value in Pulumi state (apitype: a map with this
// key, holding "ciphertext" when encrypted, "plaintext" when not).
const secretSig = "4dabf18193072939515e22adb298388d"

// teamProduct is the starter product on the shared S3 backend with its
// secrets encrypted by the KMS emulator's key.
func teamProduct(t *testing.T) (*product, *teamstate.Servers, []string) {
	t.Helper()
	p := newProduct(t, starterConfig)
	s := teamstate.Start(t, repoRoot())
	p.env = teamstate.Env()
	return p, s, []string{"--backend", s.BackendURL(), "--secrets-provider", s.SecretsProvider(teamstate.StateKeyAlias)}
}

// TestTeamStateOnSharedBackend runs the team workflow against the real
// object store and KMS emulator: two people deploying at once (one wins,
// the other exits 6 and changes nothing), state secrets under the KMS key,
// and a process killed mid-deploy whose lock the next run reports with the
// exact command that removes it.
func TestTeamStateOnSharedBackend(t *testing.T) {
	p, s, team := teamProduct(t)
	deploy := append(p.command("deploy-product", "--force"), team...)
	stack := p.names.StackName

	// Two deploys of the same product through the shared backend: the
	// first is held mid-update (SIGSTOP) so the race is certain.
	first := p.start(deploy...)
	if _, ok := first.waitForLine(isProgress, 10*time.Minute); !ok {
		t.Fatalf("the first deploy never showed progress: %s", first.wait())
	}
	if err := first.signalGroup(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	second := p.mlprov(deploy...)
	_ = first.signalGroup(syscall.SIGCONT)
	if firstRun := first.wait(); firstRun.code != exitOK {
		t.Fatalf("the first deploy: %s", firstRun)
	}
	if second.code != exitLocked || !strings.Contains(second.stderr, "locked") {
		t.Fatalf("the concurrent deploy: want exit %d saying locked, got %s", exitLocked, second)
	}
	if history := s.Keys(t, ".pulumi/history/mlprov/"+stack+"/"); countSuffix(history, ".history.json") != 1 {
		t.Errorf("the backend records %d updates, want exactly the winner's: %v", countSuffix(history, ".history.json"), history)
	}
	if locks := s.Keys(t, ".pulumi/locks/"); len(locks) != 0 {
		t.Errorf("locks left behind: %v", locks)
	}

	// The checkpoint names the KMS key as its secrets provider, its data
	// key is KMS ciphertext, and no secret is stored in plain text.
	raw, ok := s.Object(t, ".pulumi/stacks/mlprov/"+stack+".json")
	if !ok {
		t.Fatalf("no checkpoint of %s in the bucket: %v", stack, s.Keys(t, ""))
	}
	var checkpoint struct {
		Checkpoint struct {
			Latest struct {
				SecretsProviders struct {
					Type  string `json:"type"`
					State struct {
						URL          string `json:"url"`
						EncryptedKey string `json:"encryptedkey"`
					} `json:"state"`
				} `json:"secrets_providers"`
			} `json:"latest"`
		} `json:"checkpoint"`
	}
	if err := json.Unmarshal([]byte(raw), &checkpoint); err != nil {
		t.Fatal(err)
	}
	sp := checkpoint.Checkpoint.Latest.SecretsProviders
	if sp.Type != "cloud" || !strings.HasPrefix(sp.State.URL, "awskms://"+teamstate.StateKeyAlias) || sp.State.EncryptedKey == "" {
		t.Fatalf("secrets provider in state: %+v", sp)
	}
	if plain := s.Decrypt(t, sp.State.EncryptedKey); len(plain) != 32 {
		t.Errorf("the state's data key does not decrypt under the KMS key to a 32-byte key (got %d bytes)", len(plain))
	}
	secrets, plaintext := countSecrets(raw)
	if plaintext > 0 {
		t.Errorf("the checkpoint holds %d secret(s) in plain text", plaintext)
	}
	t.Logf("checkpoint: %d secret value(s), all ciphertext under %s", secrets, sp.State.URL)

	// A deploy killed mid-update leaves its lock; the next run exits 6 and
	// prints the exact command that removes it, which works.
	p.editConfig(`cost_center: "1200"`, `cost_center: "1299"`)
	killed := p.start(deploy...)
	if _, ok := killed.waitForLine(isProgress, 10*time.Minute); !ok {
		t.Fatalf("the deploy to kill never showed progress: %s", killed.wait())
	}
	if err := killed.signalGroup(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	killed.wait()
	if locks := s.Keys(t, ".pulumi/locks/"); len(locks) != 1 {
		t.Fatalf("the killed deploy left %d locks, want 1: %v", len(locks), locks)
	}
	blocked := p.expect(exitLocked, deploy...)
	recovery := engine.LockRecoveryCommand(s.BackendURL(), stack)
	if !strings.Contains(blocked.stderr, recovery) {
		t.Fatalf("the locked run does not print the recovery command %q:\n%s", recovery, blocked.stderr)
	}
	cancel := exec.Command("bash", "-c", strings.Replace(recovery, "pulumi cancel", filepath.Join(suite.root, "bin", "pulumi")+" cancel", 1))
	cancel.Env = p.environ()
	if out, err := cancel.CombinedOutput(); err != nil {
		t.Fatalf("the recovery command failed: %v\n%s", err, out)
	}
	p.expect(exitOK, deploy...)
	p.expect(exitOK, append(p.command("show-changes", "--detailed-exitcode"), team...)...)
}

// A KMS key that does not exist, or an object store that does not answer,
// is a clear error before anything is created: no stack in the bucket, no
// call that changes the (fake) cloud.
func TestTeamStateWrongKeyOrUnreachableStore(t *testing.T) {
	p, s, _ := teamProduct(t)
	wrongKey := p.mlprov(append(p.command("deploy-product", "--force"),
		"--backend", s.BackendURL(), "--secrets-provider", s.SecretsProvider("alias/no-such-key"))...)
	if wrongKey.code == exitOK || !strings.Contains(wrongKey.stderr, "alias/no-such-key") {
		t.Errorf("deploy with a KMS key that does not exist: %s", wrongKey)
	}
	if keys := s.Keys(t, ".pulumi/stacks/"); len(keys) != 0 {
		t.Errorf("the failed deploy left stacks in the bucket: %v", keys)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String()
	ln.Close()
	unreachable := p.mlprov(append(p.command("deploy-product", "--force"),
		"--backend", teamstate.BackendURL(s.Bucket, closed), "--secrets-provider", s.SecretsProvider(teamstate.StateKeyAlias))...)
	if unreachable.code == exitOK || !strings.Contains(unreachable.stderr, strings.TrimPrefix(closed, "http://")) {
		t.Errorf("deploy to an object store that does not answer: %s", unreachable)
	}
	if calls := p.mutatingCalls(); len(calls) != 0 {
		t.Errorf("failed deploys changed the cloud: %v", calls)
	}
}

func countSuffix(keys []string, suffix string) int {
	n := 0
	for _, k := range keys {
		if strings.HasSuffix(k, suffix) {
			n++
		}
	}
	return n
}

// countSecrets walks a checkpoint for secret values: how many, and how many
// of them are plain text.
func countSecrets(raw string) (secrets, plaintext int) {
	var doc any
	if json.Unmarshal([]byte(raw), &doc) != nil {
		return 0, 0
	}
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if _, ok := v[secretSig]; ok {
				secrets++
				if _, ok := v["plaintext"]; ok {
					plaintext++
				}
			}
			for _, c := range v {
				walk(c)
			}
		case []any:
			for _, c := range v {
				walk(c)
			}
		}
	}
	walk(doc)
	return secrets, plaintext
}
