package teamstate

import (
	"path/filepath"
	"strings"
	"testing"
)

// The servers start, the bucket exists and is empty, and the KMS emulator
// answers the AWS JSON protocol (a ListAliases call names the state key).
func TestServersStart(t *testing.T) {
	root, _ := filepath.Abs("../..")
	s := Start(t, root)
	if keys := s.Keys(t, ""); len(keys) != 0 {
		t.Errorf("new bucket holds %v", keys)
	}
	out, _ := s.call(t, "ListAliases", `{}`)
	if !strings.Contains(out, StateKeyAlias) {
		t.Errorf("ListAliases does not name %s: %s", StateKeyAlias, out)
	}
	if got := s.BackendURL(); !strings.HasPrefix(got, "s3://mlprov-team-state?endpoint=http%3A%2F%2F127.0.0.1%3A") || !strings.Contains(got, "s3ForcePathStyle=true") {
		t.Errorf("backend URL %s", got)
	}
}
