package awsrules_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// awsSDK is the module whose api-2.json models the snapshot is extracted from.
const awsSDK = "github.com/aws/aws-sdk-go@v1.55.8"

// TestConstraintSnapshotMatchesTheAWSModels regenerates the snapshot from the
// AWS API models in the module cache (make test downloads them; `make
// api-models`) and compares it with testdata/api-constraints.json, so the
// committed constraints are the models' own. Without the models it skips,
// and under CI=true it fails.
func TestConstraintSnapshotMatchesTheAWSModels(t *testing.T) {
	modCache, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		t.Fatal(err)
	}
	models := filepath.Join(strings.TrimSpace(string(modCache)), awsSDK, "models", "apis")
	if _, err := os.Stat(models); err != nil {
		msg := "AWS API models not in the module cache; run: make api-models (cd /tmp && GOFLAGS=-mod=mod go mod download " + awsSDK + ")"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	out := filepath.Join(t.TempDir(), "api-constraints.json")
	cmd := exec.Command("go", "run", "./internal/genconstraints", models, "members.json", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("genconstraints: %v\n%s", err, b)
	}
	fresh, _ := os.ReadFile(out)
	committed, _ := os.ReadFile(filepath.Join("testdata", "api-constraints.json"))
	if !bytes.Equal(fresh, committed) {
		t.Fatal("testdata/api-constraints.json differs from the AWS API models: run ./gen-api-constraints.sh and review the diff")
	}
}

// Every mapped member resolved to a constraint of the model.
func TestEveryMappedMemberHasItsModelConstraint(t *testing.T) {
	var members struct {
		Types map[string][]struct{ Prop, API string } `json:"types"`
	}
	var snapshot map[string]json.RawMessage
	for file, v := range map[string]any{"members.json": &members, filepath.Join("testdata", "api-constraints.json"): &snapshot} {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(data, v); err != nil {
			t.Fatal(err)
		}
	}
	n := 0
	for typ, list := range members.Types {
		for _, m := range list {
			n++
			if _, ok := snapshot[m.API]; !ok {
				t.Errorf("%s %s: %s is not in the snapshot", typ, m.Prop, m.API)
			}
		}
	}
	if n < 100 {
		t.Errorf("only %d mapped members", n)
	}
}
