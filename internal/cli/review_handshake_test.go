package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mlprov/mlprov/internal/engine"
	"github.com/mlprov/mlprov/internal/report"
)

// A product whose config creates a new connection (codeconnections without
// connection_arn) gets a PENDING connection from AWS: the review report's
// checklist must ask for the handshake, as its prerequisites do. The
// checklist once looked for the pre-rename token and said "not needed".
func TestReviewReportOfNewConnectionAsksForTheHandshake(t *testing.T) {
	const config = "../../configs/techcorp-dev-t001-us-east-1-churn-ml-codeconnections.yaml"
	b, err := os.ReadFile(config)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "connection_arn") {
		t.Fatalf("%s reuses a connection; this test needs one that creates it", config)
	}
	dir := t.TempDir()
	if code, out, errs := run(t, "create-review-report", "--config", config, "--workdir", dir); code != ExitOK {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	reports, _ := filepath.Glob(filepath.Join(dir, "ml/reports/*-create-review-report-*.json"))
	if len(reports) != 1 {
		t.Fatalf("want one review JSON, got %v", reports)
	}
	var r report.Review
	b, _ = os.ReadFile(reports[0])
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	var handshake *report.ChecklistItem
	for i, c := range r.Checklist {
		if c.Title == "Complete the CodeConnections handshake" {
			handshake = &r.Checklist[i]
		}
	}
	if handshake == nil {
		t.Fatal("checklist has no handshake item")
	}
	if handshake.Status != report.StatusAfterDeploy || !strings.Contains(handshake.Detail, "PENDING") {
		t.Errorf("handshake item %q: %s; want %q (the new connection starts PENDING)", handshake.Status, handshake.Detail, report.StatusAfterDeploy)
	}
	prerequisite := false
	for _, n := range r.Prerequisites {
		prerequisite = prerequisite || strings.Contains(n.Title, "CodeConnections handshake")
	}
	if !prerequisite {
		t.Error("prerequisites do not mention the handshake either")
	}
}

// The deployed connection (the token pulumi-aws registers for
// codeconnections.NewConnection, spelled out here on purpose) still PENDING
// is what show-product and the deployment report list as waiting on a person.
func TestPendingConnectionInStateIsListed(t *testing.T) {
	state := &engine.Deployment{Resources: []engine.DeployedResource{
		{URN: "urn:conn", Type: "aws:codeconnections/connection:Connection", Name: "source-connection", Outputs: map[string]any{"connectionStatus": "PENDING"}},
	}}
	pending := pendingConfirmations(state)
	if len(pending) != 1 || !strings.Contains(pending[0].What, "CodeConnections handshake") {
		t.Errorf("a PENDING connection must be listed: %+v", pending)
	}
}
