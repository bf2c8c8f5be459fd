package fleet

import (
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
)

// Shard is one runner's part of the fleet: I of N, 1-based. The zero Shard
// holds everything.
type Shard struct {
	Index, Count int
}

// MaxShards bounds N; a larger CI matrix is a typo rather than a plan.
const MaxShards = 1024

// ParseShard reads "I/N" (1 <= I <= N). "" is the whole fleet.
func ParseShard(s string) (Shard, error) {
	if s == "" {
		return Shard{}, nil
	}
	is, ns, ok := strings.Cut(s, "/")
	i, errI := strconv.Atoi(is)
	n, errN := strconv.Atoi(ns)
	if !ok || errI != nil || errN != nil || n < 1 || n > MaxShards || i < 1 || i > n {
		return Shard{}, fmt.Errorf("--shard %q: want I/N with 1 <= I <= N <= %d, e.g. --shard 2/4 for the second of four CI runners", s, MaxShards)
	}
	return Shard{Index: i, Count: n}, nil
}

func (s Shard) String() string {
	if s.Count == 0 {
		return ""
	}
	return fmt.Sprintf("%d/%d", s.Index, s.Count)
}

// Contains reports whether the product with this key (its stack name)
// belongs to the shard. The key's FNV-1a hash modulo N picks exactly one
// shard, the same on every machine and run, and independent of which other
// products exist, so adding a product never moves the others.
func (s Shard) Contains(key string) bool {
	if s.Count <= 1 {
		return true
	}
	h := fnv.New32a()
	h.Write([]byte(key))
	return int(h.Sum32()%uint32(s.Count)) == s.Index-1
}
