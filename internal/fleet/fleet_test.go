package fleet

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func writeFiles(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		path := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// --all takes *.yaml and *.yml recursively and skips dot-folders and other files.
func TestConfigFilesPattern(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"a.yaml": "", "team/b.yml": "", "team/deep/c.yaml": "",
		"README.md": "", "team/notes.txt": "", ".git/x.yaml": "", "team/.hidden/d.yaml": "",
	})
	got, err := ConfigFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(dir, "a.yaml"), filepath.Join(dir, "team/b.yml"), filepath.Join(dir, "team/deep/c.yaml")}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("ConfigFiles = %v, want %v", got, want)
	}
}

func entries(n int) []Entry {
	out := make([]Entry, n)
	for i := range out {
		out[i] = Entry{Config: filepath.Join("configs", string(rune('a'+i))+".yaml")}
	}
	return out
}

// Run runs every entry once, never more than parallel at a time, keeps the
// entries' order, and a failing product does not stop the others.
func TestRunBoundsParallelismAndRunsEveryProduct(t *testing.T) {
	es := entries(20)
	var running, peak atomic.Int32
	var mu sync.Mutex
	seen := map[string]int{}
	products := Run(context.Background(), es, 3, NewProgress(nil, false, len(es)), func(ctx context.Context, e Entry) Product {
		n := running.Add(1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(5 * time.Millisecond)
		running.Add(-1)
		mu.Lock()
		seen[e.Config]++
		mu.Unlock()
		if strings.HasSuffix(e.Config, "c.yaml") {
			return Product{Config: e.Config, Status: StatusError, ExitCode: 1}
		}
		return Product{Config: e.Config, Status: StatusOK}
	})
	if peak.Load() > 3 || peak.Load() < 2 {
		t.Errorf("peak parallelism %d, want 2..3 with --parallel 3", peak.Load())
	}
	for i, e := range es {
		if seen[e.Config] != 1 {
			t.Errorf("%s ran %d times, want once", e.Config, seen[e.Config])
		}
		if products[i].Config != e.Config {
			t.Fatalf("product %d is %s, want %s (entry order)", i, products[i].Config, e.Config)
		}
	}
}

// The fleet's exit code is its most severe product's, in the documented order.
func TestSummaryExitCodeIsTheMostSevere(t *testing.T) {
	cases := []struct {
		statuses []Status
		codes    []int
		want     int
	}{
		{[]Status{StatusOK, StatusOK}, []int{0, 0}, 0},
		{[]Status{StatusOK, StatusDrift}, []int{0, 5}, 5},
		{[]Status{StatusDrift, StatusViolation, StatusOK}, []int{5, 4, 0}, 4},
		{[]Status{StatusViolation, StatusLocked}, []int{4, 6}, 6},
		{[]Status{StatusLocked, StatusInvalidConfig, StatusViolation}, []int{6, 3, 4}, 3},
		{[]Status{StatusInvalidConfig, StatusError}, []int{3, 1}, 1},
		{[]Status{StatusError, StatusInterrupted, StatusOK}, []int{1, 130, 0}, 130},
		{nil, nil, 0},
	}
	for _, c := range cases {
		var ps []Product
		for i, s := range c.statuses {
			ps = append(ps, Product{Config: string(s), Status: s, ExitCode: c.codes[i]})
		}
		if got := NewSummary("plan", "configs", Shard{}, 2, time.Now(), 0, ps).ExitCode; got != c.want {
			t.Errorf("statuses %v: exit %d, want %d", c.statuses, got, c.want)
		}
	}
}

func sampleSummary() Summary {
	ps := []Product{
		{Config: "c/ok.yaml", Stack: "a-ml", Scenario: "s3", Status: StatusOK, Summary: "fine"},
		{Config: "c/drift.yaml", Stack: "b-ml", Scenario: "codecommit", Status: StatusDrift, ExitCode: 5, Drifted: 2, Summary: "2 drifted", Report: "/w/ml/reports/b-ml-codecommit-drift.html"},
		{Config: "c/bad.yaml", Status: StatusInvalidConfig, ExitCode: 3, Summary: "client.account_id: 12 digits"},
		{Config: "c/viol.yaml", Stack: "c-ml", Scenario: "s3", Status: StatusViolation, ExitCode: 4, Violations: 1, Summary: "1 mandatory"},
	}
	return NewSummary("check-drift", "c", Shard{Index: 1, Count: 2}, 4, time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC), 3*time.Second, ps)
}

// The table lists violating and drifted products first and ends with totals.
func TestWriteTableAttentionFirst(t *testing.T) {
	var b bytes.Buffer
	if err := sampleSummary().WriteTable(&b); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	order := []string{"STATUS", "violation", "drift", "invalid-config", "ok", "check-drift --all c: 4 product(s) (shard 1/2): 1 ok, 1 drift, 1 violation, 1 invalid-config; exit 3"}
	if len(lines) != len(order) {
		t.Fatalf("table has %d lines, want %d:\n%s", len(lines), len(order), b.String())
	}
	for i, want := range order {
		if !strings.HasPrefix(lines[i], want) {
			t.Errorf("line %d = %q, want it to start with %q", i, lines[i], want)
		}
	}
}

// The HTML report is written atomically with its JSON twin, rows in
// attention order, and links relative to the report's folder.
func TestWriteReports(t *testing.T) {
	dir := t.TempDir()
	s := sampleSummary()
	htmlPath, jsonPath := ReportPaths(dir, "check-drift", Shard{Index: 1, Count: 2})
	if filepath.Base(htmlPath) != "fleet-check-drift-shard-1-of-2.html" {
		t.Errorf("report name %s", htmlPath)
	}
	s.Products[1].Report = filepath.Join(dir, "ml/reports/b-ml-codecommit-drift.html")
	if err := s.WriteReports(htmlPath, jsonPath); err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(htmlPath)
	if err != nil {
		t.Fatal(err)
	}
	html := string(page)
	if !strings.Contains(html, `<a href="b-ml-codecommit-drift.html">`) {
		t.Errorf("the drifted product's report is not linked relative to the fleet report:\n%s", html)
	}
	iv, id, iok := strings.Index(html, `data-status="violation"`), strings.Index(html, `data-status="drift"`), strings.Index(html, `data-status="ok"`)
	if iv < 0 || id < 0 || iok < 0 || iv > id || id > iok {
		t.Errorf("rows not in attention order (violation %d, drift %d, ok %d)", iv, id, iok)
	}
	twin, err := os.ReadFile(jsonPath)
	if err != nil || !strings.Contains(string(twin), `"schemaVersion": 1`) {
		t.Errorf("JSON twin: %v\n%s", err, twin)
	}
}

// Plain progress writes one line per start and finish; the live display
// redraws its block in place with cursor movements and prints each finished
// product once.
func TestProgressDisplays(t *testing.T) {
	var plain bytes.Buffer
	p := NewProgress(&plain, false, 2)
	e := Entry{Config: "c/a.yaml", Stack: "a-ml", Scenario: "s3"}
	p.Started(e)
	p.Finished(Product{Config: e.Config, Stack: e.Stack, Scenario: e.Scenario, Status: StatusOK, Summary: "fine"})
	p.Close()
	if got := plain.String(); got != "started a-ml [s3]\n[1/2] ok             a-ml [s3] (0s) fine\n" {
		t.Errorf("plain progress:\n%q", got)
	}
	if strings.Contains(plain.String(), "\x1b[") {
		t.Error("plain progress must not hold terminal escapes")
	}

	var live bytes.Buffer
	l := NewProgress(&live, true, 2)
	l.Started(e)
	l.Finished(Product{Config: e.Config, Stack: e.Stack, Scenario: e.Scenario, Status: StatusDrift, Summary: "1 drifted"})
	l.Close()
	out := live.String()
	for _, want := range []string{"  running  a-ml [s3]", "0/2 done, 1 running", "\x1b[2A\x1b[J", "[1/2] drift          a-ml [s3] (0s) 1 drifted\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("live progress lacks %q:\n%q", want, out)
		}
	}
	if strings.Count(out, "a-ml [s3] (0s) 1 drifted") != 1 {
		t.Errorf("a finished product must be printed exactly once:\n%q", out)
	}
}
