package engine

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/mlprov/mlprov/internal/naming"
)

// After an interrupted up or destroy the CLI normally releases its lock
// itself. If it could not (it was killed), the lock left behind is removed
// only when it is provably this run's: the file backend's lock records the
// CLI's pid and host (pkg/backend/diy/lock.go, lockContent), and mlprov
// starts the CLI through a wrapper that records each pid it runs as. Any
// other lock — a teammate's running deploy — is left alone, and the user is
// told the exact command to remove it once they know it is stale.
// `pulumi cancel` is never run: on self-managed backends it deletes every
// lock of the stack (diyBackend.CancelCurrentUpdate).

// envCLIPids is the file the CLI wrapper appends its pid to.
const envCLIPids = "MLPROV_CLI_PIDS"

// cliWrapper is bin/pulumi of the root mlprov hands the Automation API: it
// records the pid and execs the real CLI (same pid).
func cliWrapper(real string) string {
	return "#!/bin/sh\n[ -n \"$" + envCLIPids + "\" ] && echo $$ >> \"$" + envCLIPids + "\"\nexec '" +
		strings.ReplaceAll(real, "'", `'\''`) + "' \"$@\"\n"
}

// lockFile is one lock of a stack on the file backend.
type lockFile struct {
	Path     string
	Pid      int    `json:"pid"`
	Username string `json:"username"`
	Hostname string `json:"hostname"`
}

// stackLocks lists the locks of a stack on a file:// backend (the diy
// backend's .pulumi/locks/organization/{project}/{stack}/*.json).
func stackLocks(backend, stack string) ([]lockFile, error) {
	dir := filepath.Join(strings.TrimPrefix(backend, "file://"), ".pulumi", "locks", "organization", naming.Project, stack)
	paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	var out []lockFile
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			continue // released meanwhile
		}
		l := lockFile{Path: p}
		if err := json.Unmarshal(b, &l); err != nil {
			return nil, fmt.Errorf("read lock %s: %w", p, err)
		}
		out = append(out, l)
	}
	return out, nil
}

// startedPids are the CLI pids this operation's wrapper recorded.
func (o *operation) startedPids() []int {
	b, _ := os.ReadFile(o.pidFile())
	var pids []int
	for _, f := range strings.Fields(string(b)) {
		if pid, err := strconv.Atoi(f); err == nil {
			pids = append(pids, pid)
		}
	}
	return pids
}

func (o *operation) pidFile() string { return filepath.Join(o.dir, "cli-pids") }

// releaseOwnLock runs after an interrupted up or destroy: it removes the
// stack's lock if this operation's CLI left it, and otherwise says what is
// left and how to remove it. The result is a sentence for the user ("" when
// nothing is left).
func (e *Engine) releaseOwnLock(op *operation) string {
	return e.releaseOwnLockOf(op, op.stack.Name())
}

func (e *Engine) releaseOwnLockOf(op *operation, stack string) string {
	if !strings.HasPrefix(e.backend, "file://") {
		return fmt.Sprintf("if %s stays locked and no one else is running an operation on it, release it with: PULUMI_BACKEND_URL=%s pulumi cancel --stack %s --yes", stack, e.backend, stack)
	}
	locks, err := stackLocks(e.backend, stack)
	if err != nil {
		return fmt.Sprintf("could not read the locks of %s: %v", stack, err)
	}
	host, _ := os.Hostname()
	mine := op.startedPids()
	var left []string
	for _, l := range locks {
		if l.Hostname == host && slices.Contains(mine, l.Pid) {
			if err := os.Remove(l.Path); err != nil && !os.IsNotExist(err) {
				left = append(left, fmt.Sprintf("this run's lock %s could not be removed (%v): rm '%s'", l.Path, err, l.Path))
			}
			continue
		}
		left = append(left, fmt.Sprintf("%s is locked by %s@%s (pid %d), not by this run: left alone; if that operation is gone, remove it with: rm '%s'",
			stack, l.Username, l.Hostname, l.Pid, l.Path))
	}
	return strings.Join(left, "; ")
}
