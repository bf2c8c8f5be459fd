package iampolicy

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/mlprov/mlprov/internal/atomicfile"
	"github.com/mlprov/mlprov/internal/naming"
	"github.com/mlprov/mlprov/internal/policydoc"
)

// Paths are the files of a policy of n documents under workdir: the old
// tool's {ml_name}-{scenario}-iam-policy.json first, then -2.json, -3.json …
// only when AWS's managed-policy size forced a split.
func Paths(workdir string, names naming.Names, n int) []string {
	out := make([]string, max(n, 1))
	out[0] = filepath.Join(workdir, names.PolicyFile())
	for i := 1; i < n; i++ {
		out[i] = filepath.Join(workdir, names.PolicyPartFile(i+1))
	}
	return out
}

// WriteFiles writes the documents atomically and removes the files of an
// earlier policy of this product that the new one no longer uses (further
// documents beyond the new count).
func WriteFiles(workdir string, names naming.Names, docs []policydoc.Document) ([]string, error) {
	paths := Paths(workdir, names, len(docs))
	for i, d := range docs {
		b, err := json.MarshalIndent(d, "", "  ")
		if err != nil {
			return nil, err
		}
		if err := atomicfile.WriteFile(paths[i], append(b, '\n'), 0o644); err != nil {
			return nil, err
		}
	}
	written := map[string]bool{}
	for _, p := range paths {
		written[p] = true
	}
	for _, p := range existing(workdir, names) {
		if !written[p] {
			if err := os.Remove(p); err != nil {
				return nil, err
			}
		}
	}
	return paths, nil
}

// ReadFiles reads the product's policy as written by WriteFiles; no files
// is an empty policy.
func ReadFiles(workdir string, names naming.Names) ([]policydoc.Document, error) {
	var docs []policydoc.Document
	for _, p := range existing(workdir, names) {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		var d policydoc.Document
		if err := json.Unmarshal(b, &d); err != nil {
			return nil, fmt.Errorf("%s: not an IAM policy document: %w", p, err)
		}
		docs = append(docs, d)
	}
	return docs, nil
}

// existing lists the product's policy files on disk: the first file, then
// the further documents in order. Without one, the old tool's file (its
// scenario spelling) is the policy on disk, so --diff shows what changes
// against the policy a user migrates from.
func existing(workdir string, names naming.Names) []string {
	var out []string
	if isFile(filepath.Join(workdir, names.PolicyFile())) {
		out = append(out, filepath.Join(workdir, names.PolicyFile()))
	} else if old := filepath.Join(workdir, names.OldPolicyFile()); names.OldScenario() != names.Scenario && isFile(old) {
		return []string{old}
	}
	for i := 2; ; i++ {
		p := filepath.Join(workdir, names.PolicyPartFile(i))
		if !isFile(p) {
			return out
		}
		out = append(out, p)
	}
}

func isFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}
