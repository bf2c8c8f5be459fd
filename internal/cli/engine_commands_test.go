package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mlprov/mlprov/internal/engine"
)

// Without --force, the mutating actions refuse before the engine is built:
// exit 7, a message naming --force, and no backend created.
func TestMutatingActionsRefuseWithoutForceAndTouchNothing(t *testing.T) {
	for _, action := range []string{"deploy-product", "delete-product", "test-deploy"} {
		dir := t.TempDir()
		code, out, errs := run(t, action, "-c", starterExample, "--workdir", dir)
		if code != ExitRefused {
			t.Errorf("%s: exit %d, want %d\n%s%s", action, code, ExitRefused, out, errs)
		}
		if !strings.Contains(errs, "add --force") || !strings.Contains(errs, "techcorp-dev-t001-us-east-1-churn-ml") {
			t.Errorf("%s: refusal does not name the stack and --force: %q", action, errs)
		}
		if _, err := os.Stat(filepath.Join(dir, "ml", "state")); !os.IsNotExist(err) {
			t.Errorf("%s without --force created ml/state", action)
		}
	}
}

func TestEngineCommandsBindTheirFlags(t *testing.T) {
	root, g := newRootCommand(&Deps{})
	want := map[string][]string{
		"show-changes":   {"backend", "secrets-provider", "detailed-exitcode"},
		"deploy-product": {"backend", "secrets-provider"},
		"check-drift":    {"backend", "secrets-provider"},
		"delete-product": {"backend", "secrets-provider", "test-id"},
		"test-deploy":    {"backend", "secrets-provider", "keep"},
		"list-products":  {"backend", "secrets-provider"},
		"show-product":   {"backend", "secrets-provider"},
	}
	for action, flags := range want {
		cmd, _, err := root.Find([]string{action})
		if err != nil || cmd.Name() != action {
			t.Fatalf("%s not registered: %v", action, err)
		}
		for _, f := range flags {
			if cmd.Flags().Lookup(f) == nil {
				t.Errorf("%s has no --%s", action, f)
			}
		}
	}
	cmd, _, _ := root.Find([]string{"test-deploy"})
	if err := cmd.ParseFlags([]string{"--keep", "--backend", "s3://b/p", "--secrets-provider", "awskms://alias/k", "--force", "-c", "x.yaml"}); err != nil {
		t.Fatal(err)
	}
	if v, _ := cmd.Flags().GetBool("keep"); !v {
		t.Error("--keep not parsed")
	}
	if v, _ := cmd.Flags().GetString("secrets-provider"); v != "awskms://alias/k" {
		t.Errorf("--secrets-provider = %q", v)
	}
	if !g.Force || g.ConfigRef != "x.yaml" {
		t.Errorf("global flags not bound: %+v", g)
	}
}

func TestDeleteTestIDMustBeATestID(t *testing.T) {
	code, _, errs := run(t, "delete-product", "-c", starterExample, "--workdir", t.TempDir(), "--test-id", "prod", "--force")
	if code != ExitUsage || !strings.Contains(errs, "--test-id") {
		t.Errorf("--test-id prod: want exit %d naming --test-id, got %d: %s", ExitUsage, code, errs)
	}
}

// With no backend under --workdir and no --backend, the read-only commands
// report "not deployed" / only the blueprints, and create no ml/state.
func TestReadOnlyCommandsWithoutBackendCreateNone(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := run(t, "show-product", "-c", starterExample, "--workdir", dir)
	if code != ExitOK || !strings.Contains(out, "stack techcorp-dev-t001-us-east-1-churn-ml: not deployed") {
		t.Errorf("show-product: exit %d\n%s%s", code, out, errs)
	}
	code, out, errs = run(t, "list-products", "--workdir", dir, "-o", "json")
	var listed map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &listed); err != nil || code != ExitOK || listed["blueprints"] == nil || listed["deployed"] != nil {
		t.Errorf("list-products: exit %d err %v\n%s%s", code, err, out, errs)
	}
	if _, err := os.Stat(filepath.Join(dir, "ml", "state")); !os.IsNotExist(err) {
		t.Error("a read-only command created ml/state")
	}
}

// A backend that exists but no usable Pulumi CLI (no PATH in the test's
// environment): list-products still prints the blueprints, with a note.
func TestListProductsWithoutEngineNotesAndSucceeds(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "ml", "state"), 0o755)
	code, out, errs := run(t, "list-products", "--workdir", dir)
	if code != ExitOK || !strings.Contains(out, "starter:") || !strings.Contains(errs, "deployed products not listed: no Pulumi CLI") {
		t.Errorf("exit %d\n%s%s", code, out, errs)
	}
}

func TestSortSecurityFirst(t *testing.T) {
	rs := []engine.DriftedResource{
		{Name: "dashboard", Kind: engine.DriftChanged, Properties: []engine.DriftedProperty{{Property: "dashboardBody"}}},
		{Name: "key", Kind: engine.DriftChanged, Properties: []engine.DriftedProperty{
			{Property: "description"}, {Property: "enableKeyRotation", Security: "key rotation"}}},
		{Name: "topic", Kind: engine.DriftDeleted},
	}
	sortSecurityFirst(rs)
	if rs[0].Name != "key" || rs[1].Name != "topic" || rs[2].Name != "dashboard" {
		t.Errorf("order: %s %s %s", rs[0].Name, rs[1].Name, rs[2].Name)
	}
	if rs[0].Properties[0].Property != "enableKeyRotation" {
		t.Errorf("security property not first: %+v", rs[0].Properties)
	}
}

func TestResultJSONAddsChangeCount(t *testing.T) {
	res := &engine.Result{Stack: "s", Operation: engine.OpPreview, Changes: []engine.Change{{Name: "a", Op: "create"}},
		Summary: map[string]int{"create": 2, "same": 5}}
	b, err := json.Marshal(resultJSON("show-changes", res))
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	json.Unmarshal(b, &out)
	if out["changeCount"] != 2.0 || out["stack"] != "s" || out["command"] != "show-changes" || out["changes"] == nil {
		t.Errorf("json: %v", out)
	}
}

func TestNewTestIDIsFourHex(t *testing.T) {
	id, err := newTestID()
	if err != nil || len(id) != 4 || strings.Trim(id, "0123456789abcdef") != "" {
		t.Errorf("test id %q, %v", id, err)
	}
}
