package e2e_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mlprov/mlprov/internal/engine"
)

// engineTime is the durationNs every engine action's JSON reports: the time
// spent in the Pulumi CLI's operation itself.
type engineTime struct {
	Duration time.Duration `json:"durationNs"`
}

// BenchmarkEnterpriseLifecycle measures the enterprise product's lifecycle
// against the test double: wall time of each mlprov action (preview, deploy,
// no-op deploy, drift check) and where it goes. Every Pulumi CLI process
// mlprov starts is timed (cliTrace): -op-s is the operation itself (up,
// preview, refresh), -reads-s and -calls the other CLI processes (version,
// stack select, outputs, history, tags, export), -mlprov-s the rest (mlprov's
// own start, the analyzer handshake, the reports). -engine-% is the share of
// the wall time the action's JSON reports as the engine's (durationNs). The
// target: a no-op deploy costs at most 1.2 × a preview. Run with
// `go test ./test/e2e -run '^$' -bench EnterpriseLifecycle -benchtime 1x`.
//
// Measured (2 shared cores, 2026-12-01, see the commit for the numbers before
// and after): MEASURED.
func BenchmarkEnterpriseLifecycle(b *testing.B) {
	for range b.N {
		p := newProduct(b, tierCases["enterprise"].config)
		trace := cliTrace(b, p)
		phases := []struct {
			name string
			code int
			args []string
		}{
			{"preview", exitChanges, p.command("show-changes", "--detailed-exitcode", "--output", "json")},
			{"deploy", exitOK, p.command("deploy-product", "--force", "--output", "json")},
			{"noop-deploy", exitOK, p.command("deploy-product", "--force", "--output", "json")},
			{"preview-deployed", exitOK, p.command("show-changes", "--detailed-exitcode", "--output", "json")},
			{"drift", exitOK, p.command("check-drift", "--output", "json")},
		}
		wall := map[string]time.Duration{}
		for _, ph := range phases {
			seen := len(trace.calls(b))
			r := p.expect(ph.code, ph.args...)
			var et engineTime
			decode(b, r, &et)
			wall[ph.name] = r.duration
			calls := trace.calls(b)[seen:]
			var op, reads time.Duration
			var names []string
			for _, c := range calls {
				if c.operation() {
					op += c.took
				} else {
					reads += c.took
				}
				names = append(names, fmt.Sprintf("%s %.2fs", c.command, c.took.Seconds()))
			}
			b.Logf("%s %.2fs, CLI calls: %s", ph.name, r.duration.Seconds(), strings.Join(names, ", "))
			b.ReportMetric(r.duration.Seconds(), ph.name+"-s")
			b.ReportMetric(100*et.Duration.Seconds()/r.duration.Seconds(), ph.name+"-engine-%")
			b.ReportMetric(op.Seconds(), ph.name+"-op-s")
			b.ReportMetric(reads.Seconds(), ph.name+"-reads-s")
			b.ReportMetric(float64(len(calls)), ph.name+"-calls")
			b.ReportMetric((r.duration - op - reads).Seconds(), ph.name+"-mlprov-s")
		}
		b.ReportMetric(wall["noop-deploy"].Seconds()/wall["preview-deployed"].Seconds(), "noop/preview")
		p.expect(exitOK, p.command("delete-product", "--force")...)
	}
}

// cliCall is one Pulumi CLI process: its subcommand and how long it ran.
type cliCall struct {
	command string
	took    time.Duration
}

// operation reports whether the call is an engine operation (not a read).
func (c cliCall) operation() bool {
	switch c.command {
	case "up", "preview", "refresh", "destroy":
		return true
	}
	return false
}

// cliLog is the file a tracing CLI appends its calls to.
type cliLog string

// cliTrace points p's mlprov at a copy of the suite's root whose bin/pulumi
// runs the real CLI and logs each call's start, end and subcommand.
func cliTrace(b *testing.B, p *product) cliLog {
	b.Helper()
	real, err := filepath.EvalSymlinks(filepath.Join(suite.root, "bin", "pulumi"))
	if err != nil {
		b.Fatal(err)
	}
	root := b.TempDir()
	bin := filepath.Join(root, "bin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		b.Fatal(err)
	}
	for _, name := range []string{"pulumi-analyzer-policy-go", "pulumi-language-go"} {
		if err := os.Symlink(filepath.Join(suite.root, "bin", name), filepath.Join(bin, name)); err != nil {
			b.Fatal(err)
		}
	}
	log := filepath.Join(root, "calls.log")
	script := "#!/bin/sh\nstart=$(date +%s%N)\n'" + real + "' \"$@\"\ncode=$?\n" +
		"echo \"$start $(date +%s%N) $*\" >> '" + log + "'\nexit $code\n"
	if err := os.WriteFile(filepath.Join(bin, "pulumi"), []byte(script), 0o755); err != nil {
		b.Fatal(err)
	}
	p.env = append(p.env, engine.EnvPulumiRoot+"="+root)
	return cliLog(log)
}

// calls reads the calls logged so far, in the order they ended.
func (l cliLog) calls(b *testing.B) []cliCall {
	b.Helper()
	data, err := os.ReadFile(string(l))
	if err != nil && !os.IsNotExist(err) {
		b.Fatal(err)
	}
	var out []cliCall
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		f := strings.Fields(line)
		if len(f) < 3 {
			continue
		}
		start, err1 := strconv.ParseInt(f[0], 10, 64)
		end, err2 := strconv.ParseInt(f[1], 10, 64)
		if err1 != nil || err2 != nil {
			b.Fatalf("cli trace line %q", line)
		}
		out = append(out, cliCall{command: subcommand(f[2:]), took: time.Duration(end - start)})
	}
	return out
}

// subcommand is the CLI subcommand in args: its first words that are not
// flags ("up", "stack export").
func subcommand(args []string) string {
	var words []string
	for _, a := range args {
		if strings.HasPrefix(a, "-") {
			if len(words) > 0 {
				break
			}
			continue
		}
		words = append(words, a)
		if words[0] != "stack" || len(words) == 2 {
			break
		}
	}
	return strings.Join(words, " ")
}
