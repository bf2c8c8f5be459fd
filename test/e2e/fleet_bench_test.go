package e2e_test

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mlprov/mlprov/internal/cli"
	"github.com/mlprov/mlprov/internal/engine"
	"github.com/mlprov/mlprov/test/fakeaws/control"
)

// benchFleetSize is the fleet BenchmarkCheckDriftFleet deploys; set
// MLPROV_BENCH_FLEET to try a smaller one.
func benchFleetSize() int {
	if n, err := strconv.Atoi(os.Getenv("MLPROV_BENCH_FLEET")); err == nil && n > 0 {
		return n
	}
	return 24
}

// BenchmarkCheckDriftFleet deploys a fleet of generated starter products
// against the test double (setup, not timed), then runs check-drift --all
// in this process sequentially (--parallel 1) and with --parallel 4,
// reporting wall time (ns/op) and the peak resident memory of this process
// and every process it started (peak-MB).
func BenchmarkCheckDriftFleet(b *testing.B) {
	if suite.unavailable != "" || suite.short {
		b.Skip("needs the end-to-end suite (pinned Pulumi CLI)")
	}
	n := benchFleetSize()
	dir, work := b.TempDir(), b.TempDir()
	starter, err := os.ReadFile(filepath.Join(repoRoot(), starterConfig))
	if err != nil {
		b.Fatal(err)
	}
	var configs []string
	for i := range n {
		path := filepath.Join(dir, fmt.Sprintf("b%03d.yaml", i))
		cfg := strings.Replace(string(starter), "tenant_id: t001", fmt.Sprintf("tenant_id: b%03d", i), 1)
		if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
			b.Fatal(err)
		}
		configs = append(configs, path)
	}
	b.Setenv(control.DirEnv, b.TempDir())
	b.Setenv(control.AccountEnv, "123456789012")
	b.Setenv("PULUMI_HOME", b.TempDir())
	b.Setenv("PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION", "true")
	getenv := func(name string) string {
		switch name {
		case "PATH":
			return suite.pluginDir + string(os.PathListSeparator) + os.Getenv("PATH")
		case engine.EnvPulumiRoot:
			return suite.root
		}
		return os.Getenv(name)
	}
	mlprov := func(args ...string) int {
		return cli.Main(args, cli.Deps{Out: io.Discard, Err: io.Discard, Getenv: getenv})
	}

	// Setup: deploy every product, four at a time.
	next := make(chan string)
	var wg sync.WaitGroup
	var failed sync.Map
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range next {
				if code := mlprov("deploy-product", "--force", "--config", c, "--workdir", work); code != 0 {
					failed.Store(c, code)
				}
			}
		}()
	}
	for _, c := range configs {
		next <- c
	}
	close(next)
	wg.Wait()
	failed.Range(func(k, v any) bool { b.Fatalf("deploy %s: exit %v", k, v); return false })

	for _, parallel := range []int{1, 4} {
		b.Run(fmt.Sprintf("products=%d/parallel=%d", n, parallel), func(b *testing.B) {
			peak := 0
			for range b.N {
				stop := samplePeakRSS()
				code := mlprov("check-drift", "--all", dir, "--workdir", work, "--parallel", strconv.Itoa(parallel))
				peak = max(peak, stop())
				if code != 0 {
					b.Fatalf("check-drift --all --parallel %d: exit %d", parallel, code)
				}
			}
			b.ReportMetric(float64(peak)/1024, "peak-MB")
		})
	}
}

// samplePeakRSS samples, until the returned stop is called, the summed
// resident memory (KiB) of this process and all its descendants (from
// /proc), and stop returns the highest sum seen.
func samplePeakRSS() (stop func() int) {
	done := make(chan struct{})
	result := make(chan int)
	go func() {
		peak := 0
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			peak = max(peak, treeRSS(os.Getpid()))
			select {
			case <-done:
				result <- peak
				return
			case <-tick.C:
			}
		}
	}()
	return func() int { close(done); return <-result }
}

// treeRSS is the VmRSS (KiB) of pid and every process below it.
func treeRSS(root int) int {
	parent := map[int]int{}
	rss := map[int]int{}
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		status, err := os.ReadFile(filepath.Join("/proc", e.Name(), "status"))
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(status), "\n") {
			fields := strings.Fields(line)
			if len(fields) < 2 {
				continue
			}
			switch fields[0] {
			case "PPid:":
				parent[pid], _ = strconv.Atoi(fields[1])
			case "VmRSS:":
				rss[pid], _ = strconv.Atoi(fields[1])
			}
		}
	}
	total := 0
	for pid := range rss {
		for p := pid; p > 0; p = parent[p] {
			if p == root {
				total += rss[pid]
				break
			}
		}
	}
	return total
}
