package fleet

import (
	"context"
	"runtime"
	"sync"
)

// DefaultParallel is what this machine sensibly runs at once: one product
// per CPU (rendering is CPU-bound, and each engine operation runs a Pulumi
// CLI and its plugins).
func DefaultParallel() int { return runtime.NumCPU() }

// Task runs the action on one entry and says how it went. It must not panic
// and must return even when ctx is cancelled (reporting the product as
// interrupted).
type Task func(ctx context.Context, e Entry) Product

// Run runs task over every entry, at most parallel at a time, and returns
// the products in the entries' order. Every entry is run: a failure is the
// product's status, never the end of the run.
func Run(ctx context.Context, entries []Entry, parallel int, progress Progress, task Task) []Product {
	if parallel < 1 {
		parallel = 1
	}
	results := make([]Product, len(entries))
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < min(parallel, len(entries)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				progress.Started(entries[i])
				results[i] = task(ctx, entries[i])
				progress.Finished(results[i])
			}
		}()
	}
	for i := range entries {
		next <- i
	}
	close(next)
	wg.Wait()
	progress.Close()
	return results
}
