package fleet

import (
	"fmt"
	"testing"
)

// fleetOfStackNames is n realistic stack names (ml_name form).
func fleetOfStackNames(n int) []string {
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("co%02d-%s-t%03d-us-east-1-uc%d-ml", i%37, []string{"dev", "test", "staging", "prod"}[i%4], i, i%11)
	}
	return names
}

// Every product falls in exactly one of the N shards, for N = 1…16, and
// no shard is starved (a CI matrix spreads the work).
func TestShardIsAPartition(t *testing.T) {
	names := fleetOfStackNames(1000)
	for n := 1; n <= 16; n++ {
		perShard := make([]int, n+1)
		for _, name := range names {
			var in []int
			for i := 1; i <= n; i++ {
				if (Shard{Index: i, Count: n}).Contains(name) {
					in = append(in, i)
				}
			}
			if len(in) != 1 {
				t.Fatalf("N=%d: %s is in shards %v, want exactly one", n, name, in)
			}
			perShard[in[0]]++
		}
		mean := len(names) / n
		for i := 1; i <= n; i++ {
			if perShard[i] < mean/2 || perShard[i] > mean*3/2 {
				t.Errorf("N=%d: shard %d holds %d of %d products, want about %d", n, i, perShard[i], len(names), mean)
			}
		}
	}
}

// The zero shard holds everything; a shard's verdict never changes with the
// rest of the fleet (it depends on the name alone).
func TestShardIsDeterministic(t *testing.T) {
	if !(Shard{}).Contains("anything") {
		t.Fatal("the zero Shard must hold every product")
	}
	s := Shard{Index: 3, Count: 7}
	for _, name := range fleetOfStackNames(50) {
		first := s.Contains(name)
		for range 3 {
			if s.Contains(name) != first {
				t.Fatalf("%s changed shard between calls", name)
			}
		}
	}
}

func TestParseShard(t *testing.T) {
	good := map[string]Shard{"": {}, "1/1": {1, 1}, "2/4": {2, 4}, "16/16": {16, 16}}
	for in, want := range good {
		got, err := ParseShard(in)
		if err != nil || got != want {
			t.Errorf("ParseShard(%q) = %v, %v; want %v", in, got, err, want)
		}
		if got.String() != in {
			t.Errorf("Shard%v.String() = %q, want %q", got, got.String(), in)
		}
	}
	for _, bad := range []string{"0/4", "5/4", "1/0", "-1/2", "a/b", "2", "1/2/3", "1/2000"} {
		if _, err := ParseShard(bad); err == nil {
			t.Errorf("ParseShard(%q) accepted a bad shard", bad)
		}
	}
}
