package engine

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/mlprov/mlprov/internal/naming"
)

// writeLock writes a lock as the file backend does (pkg/backend/diy/lock.go).
func writeLock(t *testing.T, backendDir, stack, id string, pid int, host string) string {
	t.Helper()
	dir := filepath.Join(backendDir, ".pulumi", "locks", "organization", naming.Project, stack)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(map[string]any{"pid": pid, "username": "someone", "hostname": host, "timestamp": "2026-12-01T00:00:00Z"})
	path := filepath.Join(dir, id+".json")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestReleaseOwnLockRemovesOnlyThisRunsLock(t *testing.T) {
	const stack = "acme-dev-t001-us-east-1-churn-ml"
	backendDir, opDir := t.TempDir(), t.TempDir()
	host, _ := os.Hostname()
	mine := writeLock(t, backendDir, stack, "mine", 4242, host)
	teammate := writeLock(t, backendDir, stack, "teammate", 4343, host)
	otherHost := writeLock(t, backendDir, stack, "elsewhere", 4242, "build-agent-7")
	op := &operation{dir: opDir}
	if err := os.WriteFile(op.pidFile(), []byte(strconv.Itoa(4141)+"\n4242\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	e := &Engine{backend: "file://" + backendDir}
	msg := e.releaseOwnLockOf(op, stack)
	if _, err := os.Stat(mine); !os.IsNotExist(err) {
		t.Error("the lock this run's CLI (pid 4242 on this host) left must be removed")
	}
	for _, path := range []string{teammate, otherHost} {
		if _, err := os.Stat(path); err != nil {
			t.Errorf("%s is not this run's lock and must stay: %v", path, err)
		}
		if !strings.Contains(msg, "rm '"+path+"'") {
			t.Errorf("the message must give the exact command for %s, got %q", path, msg)
		}
	}
}

func TestFixedPassphraseOnlyForTheDefaultBackend(t *testing.T) {
	none := func(string) string { return "" }
	if p, err := passphrase(none, "file:///work/ml/state", true); err != nil || p != DefaultLocalPassphrase {
		t.Errorf("default backend: want the fixed passphrase, got %q, %v", p, err)
	}
	for _, backend := range []string{"file:///mnt/team-share/state", "s3://bucket/prefix"} {
		if _, err := passphrase(none, backend, false); err == nil || !strings.Contains(err.Error(), EnvPassphrase) {
			t.Errorf("%s without a passphrase: want an error naming %s, got %v", backend, EnvPassphrase, err)
		}
	}
	set := func(name string) string {
		if name == EnvPassphrase {
			return "s3cret"
		}
		return ""
	}
	if p, err := passphrase(set, "s3://bucket/prefix", false); err != nil || p != "s3cret" {
		t.Errorf("with %s set: got %q, %v", EnvPassphrase, p, err)
	}
}
