package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/mlprov/mlprov/internal/config"
	"github.com/mlprov/mlprov/internal/iampolicy"
	"github.com/mlprov/mlprov/internal/naming"
	"github.com/mlprov/mlprov/internal/policydoc"
)

const starterPolicyFile = "ml/policies/techcorp-dev-t001-us-east-1-churn-ml-codecommit-iam-policy.json"

func readPolicy(t *testing.T, path string) policydoc.Document {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var d policydoc.Document
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return d
}

func TestCreatePolicyWritesScopedPolicy(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := run(t, "create-policy", "-c", starterExample, "--workdir", dir)
	if code != ExitOK {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	d := readPolicy(t, filepath.Join(dir, starterPolicyFile))
	if !strings.Contains(out, "wrote "+filepath.Join(dir, starterPolicyFile)) {
		t.Errorf("output does not name the file:\n%s", out)
	}
	var bucketActions []string
	for _, s := range d.Statement {
		if slices.Contains(s.Resource, "arn:aws:s3:::techcorp-dev-t001-us-east-1-churn-artifacts") {
			bucketActions = append(bucketActions, s.Action...)
		}
	}
	if !slices.Contains(bucketActions, "s3:CreateBucket") || !slices.Contains(bucketActions, "s3:PutBucketVersioning") {
		t.Errorf("artifact bucket actions = %v, want s3:CreateBucket and s3:PutBucketVersioning", bucketActions)
	}
	for _, s := range d.Statement {
		if s.Effect == "Deny" {
			t.Errorf("a dev product got a deny (%s): dev may deploy and delete everything", s.Sid)
		}
	}
}

func TestCreatePolicyDiffShowsWhatChanged(t *testing.T) {
	dir := t.TempDir()
	if code, out, errs := run(t, "create-policy", "-c", starterExample, "--workdir", dir); code != ExitOK {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	path := filepath.Join(dir, starterPolicyFile)
	d := readPolicy(t, path)
	// Pretend the file on disk is older: without CreateBucket, with an extra resource.
	for i, s := range d.Statement {
		if i := slices.Index(s.Action, "s3:CreateBucket"); i >= 0 {
			s.Action = slices.Delete(slices.Clone(s.Action), i, i+1)
			s.Resource = append(slices.Clone(s.Resource), "arn:aws:s3:::retired-bucket")
		}
		d.Statement[i] = s
	}
	b, _ := json.Marshal(d)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := run(t, "create-policy", "-c", starterExample, "--workdir", dir, "--diff")
	if code != ExitOK {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	for _, want := range []string{"~ statement S3Bucket (changed)", "+ action   s3:CreateBucket", "- resource arn:aws:s3:::retired-bucket"} {
		if !strings.Contains(out, want) {
			t.Errorf("diff output lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = run(t, "create-policy", "-c", starterExample, "--workdir", dir, "--diff")
	if code != ExitOK || !strings.Contains(out, "no changes against the policy on disk") {
		t.Errorf("second run: exit %d, output:\n%s", code, out)
	}
}

func TestCreatePolicySplitsEnterpriseIntoParts(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := run(t, "create-policy", "-c", enterpriseExample, "--workdir", dir, "--output", "json")
	if code != ExitOK {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	var res struct {
		Files []policyFileResult `json:"files"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(res.Files) < 2 {
		t.Fatalf("files = %+v, want the enterprise policy split into parts", res.Files)
	}
	// The first document keeps the old tool's name; the rest are numbered from 2.
	first := filepath.Join(dir, "ml/policies/globalbank-prod-c001-us-west-2-churn-ml-codecommit-standalone-ssm-iam-policy.json")
	for i, f := range res.Files {
		want := strings.TrimSuffix(first, ".json") + "-" + string(rune('1'+i)) + ".json"
		if i == 0 {
			want = first
		}
		if f.File != want || f.Size > 6144 {
			t.Errorf("document %d = %+v, want %s within 6144 characters", i+1, f, want)
		}
	}
	if _, err := os.Stat(strings.TrimSuffix(first, ".json") + "-1.json"); err == nil {
		t.Errorf("a split policy wrote a -1.json file")
	}
}

// A policy that fits one managed policy stays one file, under the old
// tool's name: nothing else is written to ml/policies. No shipped product's
// policy fits one document any more (the S3 starter's grew past 6144
// characters with the read of its source bucket's notification setting), so
// the writer create-policy uses is given the first document of the S3
// starter's policy alone.
func TestCreatePolicyThatFitsStaysOneFile(t *testing.T) {
	const (
		cfgPath = "../../configs/techcorp-dev-t001-us-east-1-churn-ml-s3.yaml"
		file    = "ml/policies/techcorp-dev-t001-us-east-1-churn-ml-s3-iam-policy.json"
	)
	dir := t.TempDir()
	if code, out, errs := run(t, "create-policy", "-c", cfgPath, "--workdir", dir); code != ExitOK {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	first := readPolicy(t, filepath.Join(dir, file))
	cfg, err := config.Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := iampolicy.WriteFiles(dir, naming.For(cfg), []policydoc.Document{first}); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(filepath.Join(dir, "ml/policies"))
	if err != nil || len(entries) != 1 || entries[0].Name() != filepath.Base(file) {
		t.Fatalf("ml/policies holds %v (%v), want only %s", entries, err, filepath.Base(file))
	}
	b, _ := os.ReadFile(filepath.Join(dir, file))
	var compact bytes.Buffer
	if err := json.Compact(&compact, b); err != nil || compact.Len() > 6144 {
		t.Errorf("the single file is not one managed policy (%d characters, limit 6144): %v", compact.Len(), err)
	}
}

// A user migrating has the old tool's policy file, named with its scenario
// spelling (…-codecommit-ssm-iam-policy.json for mlprov's …-codecommit-sgprov-ssm):
// --diff compares against it, and leaves it in place.
func TestCreatePolicyDiffAgainstTheOldToolsFile(t *testing.T) {
	const cfg = "../../configs/globalbank-prod-c001-us-west-2-demand-forecasting-ml-codecommit-sgprov-ssm.yaml"
	dir, scratch := t.TempDir(), t.TempDir()
	if code, out, errs := run(t, "create-policy", "-c", cfg, "--workdir", scratch); code != ExitOK {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	d := readPolicy(t, filepath.Join(scratch, "ml/policies/globalbank-prod-c001-us-west-2-demand-forecasting-ml-codecommit-sgprov-ssm-iam-policy.json"))
	removed := ""
	for i, s := range d.Statement {
		if len(s.Action) > 1 && removed == "" {
			removed, d.Statement[i].Action = s.Action[0], s.Action[1:]
		}
	}
	old := filepath.Join(dir, "ml/policies/globalbank-prod-c001-us-west-2-demand-forecasting-ml-codecommit-ssm-iam-policy.json")
	os.MkdirAll(filepath.Dir(old), 0o755)
	b, _ := json.Marshal(d)
	if err := os.WriteFile(old, b, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := run(t, "create-policy", "-c", cfg, "--workdir", dir, "--diff")
	if code != ExitOK || !strings.Contains(out, "+ action   "+removed) {
		t.Errorf("diff against the old tool's file does not add back %s: exit %d\n%s%s", removed, code, out, errs)
	}
	if after, err := os.ReadFile(old); err != nil || !bytes.Equal(after, b) {
		t.Errorf("the old tool's file was changed or removed: %v", err)
	}
}
