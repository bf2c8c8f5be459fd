package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestWriteReplacesContentWhole(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "report.json")
	if err := WriteFile(path, []byte(`{"v":1}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(path, []byte(`{"v":2}`), 0o644); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	if string(got) != `{"v":2}` {
		t.Fatalf("content = %s", got)
	}
}

func TestFailedWriteLeavesOldFileAndNoTemp(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "policy.json")
	if err := WriteFile(path, []byte("old complete content"), 0o644); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("interrupted half-way")
	err := Write(path, 0o644, func(w io.Writer) error {
		w.Write([]byte("new partial"))
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want the fill error", err)
	}
	got, _ := os.ReadFile(path)
	if string(got) != "old complete content" {
		t.Fatalf("target changed to %q after a failed write", got)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("leftover files: %v", entries)
	}
}
