package cli

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mlprov/mlprov/internal/config"
	"github.com/mlprov/mlprov/internal/engine"
	"github.com/mlprov/mlprov/internal/naming"
	"github.com/mlprov/mlprov/internal/report"
)

func enterpriseProduct(t *testing.T) *product {
	t.Helper()
	cfg, err := config.Load(enterpriseExample)
	if err != nil {
		t.Fatal(err)
	}
	return &product{cfg: cfg, names: naming.For(cfg)}
}

func fixedDeps() *Deps {
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	return &Deps{Now: func() time.Time { return now }, Version: "test"}
}

func TestDeploymentReportInputJoinsChangesStateAndPending(t *testing.T) {
	p := enterpriseProduct(t)
	up := &engine.Result{Duration: 42 * time.Second, Changes: []engine.Change{
		{URN: "urn:key", Type: "aws:kms/key:Key", Name: "encryption", Op: "update", Diffs: []string{"description"}},
		{URN: "urn:old", Type: "aws:cloudwatch/dashboard:Dashboard", Name: "old-dashboard", Op: "delete"},
	}}
	state := &engine.Deployment{
		Outputs: map[string]any{"KmsKeyArn": "arn:aws:kms:us-west-2:123456789012:key/k", "Count": 2.0},
		Resources: []engine.DeployedResource{
			{URN: "urn:key", Type: "aws:kms/key:Key", Name: "encryption", ID: "k-123"},
			{URN: "urn:sub", Type: typeTopicSubscription, Name: "alerts-email", ID: "arn:sub", Outputs: map[string]any{"pendingConfirmation": true, "endpoint": "ml-alerts@globalbank.example"}},
			{URN: "urn:conn", Type: typeConnection, Name: "source-connection", ID: "arn:conn", Outputs: map[string]any{"connectionStatus": "AVAILABLE"}},
		},
	}
	in := deploymentReportInput(fixedDeps(), p, time.Date(2026, 11, 23, 9, 59, 0, 0, time.UTC), up, state, nil)
	if !in.Succeeded || in.Duration != 42*time.Second || in.Product.Tier != "enterprise" {
		t.Errorf("header: %+v", in)
	}
	got := []string{}
	for _, r := range in.Resources {
		got = append(got, r.LogicalName+":"+r.Op+":"+r.ID)
	}
	if strings.Join(got, ",") != "encryption:update:k-123,alerts-email:same:arn:sub,source-connection:same:arn:conn,old-dashboard:delete:" {
		t.Errorf("resources: %v", got)
	}
	if len(in.Outputs) != 2 || in.Outputs[1].Name != "/ml/globalbank-prod-c001-us-west-2-churn-ml/KmsKeyArn" || in.Outputs[0].Value != "2" {
		t.Errorf("outputs: %+v", in.Outputs)
	}
	if len(in.Pending) != 1 || !strings.Contains(in.Pending[0].Detail, "ml-alerts@globalbank.example") {
		t.Errorf("only the unconfirmed email is pending: %+v", in.Pending)
	}
	failed := deploymentReportInput(fixedDeps(), p, time.Now(), nil, nil, errors.New("up failed: boom"))
	if failed.Succeeded || failed.Error != "up failed: boom" {
		t.Errorf("failed up: %+v", failed)
	}
}

func TestDriftReportInputAndFile(t *testing.T) {
	p := enterpriseProduct(t)
	d := &engine.DriftReport{Checked: 60, Duration: 3 * time.Second, Resources: []engine.DriftedResource{
		{URN: "urn:key", Type: "aws:kms/key:Key", Name: "encryption", Kind: engine.DriftChanged, Properties: []engine.DriftedProperty{
			{Property: "description", Recorded: "a", Live: "b"},
			{Property: "enableKeyRotation", Recorded: true, Live: false, Security: "key rotation"}}},
		{URN: "urn:topic", Type: "aws:sns/topic:Topic", Name: "alerts-topic", Kind: engine.DriftDeleted},
	}}
	in := driftReportInput(fixedDeps(), p, d)
	if len(in.Drifts) != 3 || !in.Drifts[1].SecurityRelevant || in.Drifts[1].Concern != "key rotation" || !in.Drifts[2].Deleted {
		t.Fatalf("drifts: %+v", in.Drifts)
	}
	dir := t.TempDir()
	g := &GlobalOptions{Workdir: dir}
	path, err := writeDriftReport(g, p, in)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "ml/reports", enterpriseBase+"-drift.html"); path != want {
		t.Errorf("path %s, want %s", path, want)
	}
	var back report.Drift
	b, _ := os.ReadFile(strings.TrimSuffix(path, ".html") + ".json")
	if err := json.Unmarshal(b, &back); err != nil || back.SecurityRelevant != 2 || back.Drifts[1].Property != "enableKeyRotation" || back.Drifts[2].Property != "description" {
		t.Errorf("drift twin: %v %+v", err, back)
	}
	if len(g.audit.files) != 2 {
		t.Errorf("the audit trail records both files: %v", g.audit.files)
	}
}
