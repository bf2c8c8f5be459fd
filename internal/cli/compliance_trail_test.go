package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/mlprov/mlprov/internal/awstypes"
	"github.com/mlprov/mlprov/internal/config"
	"github.com/mlprov/mlprov/internal/engine"
	"github.com/mlprov/mlprov/internal/fleet"
	"github.com/mlprov/mlprov/internal/naming"
)

// enterpriseTrail is the enterprise example's trail as deployed.
func enterpriseTrail(t *testing.T) (naming.Names, engine.DeployedResource) {
	t.Helper()
	cfg, err := config.Load(enterpriseExample)
	if err != nil {
		t.Fatal(err)
	}
	n := naming.For(cfg)
	return n, engine.DeployedResource{URN: "urn:trail", Type: awstypes.CloudTrail, Name: "compliance-trail", ID: n.ComplianceTrail,
		Outputs: map[string]any{"name": n.ComplianceTrail, "enableLogging": true, "isMultiRegionTrail": true,
			"includeGlobalServiceEvents": true, "cloudWatchLogsRoleArn": "arn:aws:iam::123456789012:role/r",
			"cloudWatchLogsGroupArn": "arn:aws:logs:us-west-2:123456789012:log-group:" + n.ComplianceLogGroup + ":*"}}
}

func validates(t *testing.T, command, out string) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%s: %v\n%s", command, err, out)
	}
	abs, _ := filepath.Abs(schemaPath(command))
	schema, err := jsonschema.NewCompiler().Compile(abs)
	if err != nil {
		t.Fatal(err)
	}
	if err := schema.Validate(doc); err != nil {
		t.Errorf("%s output does not validate: %v", command, err)
	}
	return doc
}

// check-drift judges delivery on the trail as AWS reports it: the recorded
// trail with the drift applied.
func TestCheckDriftReportsWhenNoTrailDelivers(t *testing.T) {
	n, trail := enterpriseTrail(t)
	for _, c := range []struct {
		name       string
		drift      []engine.DriftedResource
		delivering bool
		problem    string
	}{
		{"trail delivering", nil, true, ""},
		{"trail deleted", []engine.DriftedResource{{URN: trail.URN, Type: trail.Type, Name: "compliance-trail", Kind: engine.DriftDeleted}},
			false, "trail " + n.ComplianceTrail + " does not exist"},
		{"trail stopped", []engine.DriftedResource{{URN: trail.URN, Type: trail.Type, Name: "compliance-trail", Kind: engine.DriftChanged,
			Properties: []engine.DriftedProperty{{Property: "enableLogging", Recorded: true, Live: false}}}}, false, "is stopped"},
		{"trail rerouted", []engine.DriftedResource{{URN: trail.URN, Type: trail.Type, Name: "compliance-trail", Kind: engine.DriftChanged,
			Properties: []engine.DriftedProperty{{Property: "cloudWatchLogsGroupArn", Live: "arn:aws:logs:us-west-2:123456789012:log-group:elsewhere:*"}}}},
			false, "delivers to log group elsewhere"},
	} {
		f := &fakeEngine{described: &engine.Deployment{Stack: n.StackName, Resources: []engine.DeployedResource{trail}},
			drift: &engine.DriftReport{Stack: n.StackName, Checked: 1, Resources: c.drift}}
		_, out, errs := runWithEngine(nil, f, "check-drift", "--config", enterpriseExample, "--workdir", t.TempDir(), "-o", "json")
		doc := validates(t, "check-drift", out)
		got, _ := doc["complianceTrail"].(map[string]any)
		problems, _ := json.Marshal(got["problems"])
		if got["delivering"] != c.delivering || got["seen"] != "AWS" || got["logGroup"] != n.ComplianceLogGroup ||
			!strings.Contains(string(problems), c.problem) {
			t.Errorf("%s: complianceTrail %v, want delivering=%v with %q (stderr %s)", c.name, got, c.delivering, c.problem, errs)
		}
		var fleetRow fleet.Product
		if _, err := readCheckDrift([]byte(out), &fleetRow); err != nil || strings.Contains(fleetRow.Summary, "no trail delivers") == c.delivering {
			t.Errorf("%s: fleet summary %q (%v)", c.name, fleetRow.Summary, err)
		}
		_, text, _ := runWithEngine(nil, f, "check-drift", "--config", enterpriseExample, "--workdir", t.TempDir())
		if warned := strings.Contains(text, "WARNING compliance trail (AWS)") && strings.Contains(text, "no trail delivers"); warned == c.delivering {
			t.Errorf("%s: text output warns=%v:\n%s", c.name, warned, text)
		}
	}
}

// show-product reads the deployed state: a stack recorded without the trail
// is reported; a starter product, which has no compliance filters, is not.
func TestShowProductReportsWhenNoTrailDelivers(t *testing.T) {
	n, trail := enterpriseTrail(t)
	for _, c := range []struct {
		name       string
		resources  []engine.DeployedResource
		delivering bool
	}{
		{"deployed with its trail", []engine.DeployedResource{trail}, true},
		{"deployed without a trail", nil, false},
	} {
		f := &fakeEngine{described: &engine.Deployment{Stack: n.StackName, Resources: c.resources}}
		_, out, _ := runWithEngine(nil, f, "show-product", "--config", enterpriseExample, "--workdir", t.TempDir(), "--backend", "file://fake", "-o", "json")
		doc := validates(t, "show-product", out)
		deployment, _ := doc["deployment"].(map[string]any)
		got, _ := deployment["complianceTrail"].(map[string]any)
		if got["delivering"] != c.delivering || got["seen"] != "deployed state" {
			t.Errorf("%s: complianceTrail %v, want delivering=%v", c.name, got, c.delivering)
		}
		_, text, _ := runWithEngine(nil, f, "show-product", "--config", enterpriseExample, "--workdir", t.TempDir(), "--backend", "file://fake")
		if c.delivering && !strings.Contains(text, "compliance trail (deployed state): "+n.ComplianceTrail+" delivers to "+n.ComplianceLogGroup) ||
			!c.delivering && !strings.Contains(text, "no trail delivers CloudTrail events to log group "+n.ComplianceLogGroup) {
			t.Errorf("%s: text output:\n%s", c.name, text)
		}
	}
	f := &fakeEngine{described: &engine.Deployment{Stack: "techcorp-dev-t001-us-east-1-churn-ml"}}
	_, out, _ := runWithEngine(nil, f, "show-product", "--config", starterExample, "--workdir", t.TempDir(), "--backend", "file://fake", "-o", "json")
	if strings.Contains(out, "complianceTrail") {
		t.Errorf("a starter product got a compliance trail finding:\n%s", out)
	}
}
