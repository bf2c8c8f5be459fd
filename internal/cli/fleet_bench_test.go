package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// generateFleet writes n distinct starter products (tenant ids f000…) under
// a new folder, ten team sub-folders deep.
func generateFleet(tb testing.TB, n int) string {
	tb.Helper()
	starter, err := os.ReadFile(starterExample)
	if err != nil {
		tb.Fatal(err)
	}
	dir := tb.TempDir()
	for i := range n {
		tenant := fmt.Sprintf("f%03x", i)
		cfg := strings.Replace(string(starter), "tenant_id: t001", "tenant_id: "+tenant, 1)
		sub := filepath.Join(dir, fmt.Sprintf("team-%02d", i%10))
		if err := os.MkdirAll(sub, 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(sub, tenant+".yaml"), []byte(cfg), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
	return dir
}

// BenchmarkPlanAll measures plan --all (default --parallel) over 10, 100
// and 1,000 generated products; ms/product should stay flat as the fleet
// grows (a linear cost per product). Run with -benchtime=1x for 1,000.
func BenchmarkPlanAll(b *testing.B) {
	for _, n := range []int{10, 100, 1000} {
		b.Run(fmt.Sprintf("products=%d", n), func(b *testing.B) {
			dir := generateFleet(b, n)
			b.ResetTimer()
			var took time.Duration
			for range b.N {
				work := b.TempDir()
				start := time.Now()
				code := Main([]string{"plan", "--all", dir, "--workdir", work}, Deps{Out: io.Discard, Err: io.Discard})
				took += time.Since(start)
				if code != ExitOK {
					b.Fatalf("plan --all over %d products: exit %d", n, code)
				}
			}
			b.ReportMetric(float64(took.Milliseconds())/float64(b.N*n), "ms/product")
		})
	}
}
