package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/mlprov/mlprov/internal/engine"
	"github.com/mlprov/mlprov/internal/fleet"
	"github.com/mlprov/mlprov/internal/policycheck"
)

var updateContract = flag.Bool("update-contract", false, "rewrite internal/cli/schemas and testdata/output golden files")

// contractCase is one command's -o json run against shipped examples.
type contractCase struct {
	command string
	doc     any // the output type the schema is generated from
	args    []string
	code    int
	engine  *fakeEngine // for the engine commands
}

// contractCases covers every command whose document needs no engine.
func contractCases() []contractCase {
	invalid := filepath.Join("testdata", "invalid-config.yaml")
	return []contractCase{
		{"validate-config", ValidateConfigOutput{}, []string{"validate-config", "--config", starterExample}, ExitOK, nil},
		{"validate-config", ValidateConfigOutput{}, []string{"validate-config", "--config", invalid}, ExitInvalidConfig, nil},
		{"exit-codes", ExitCodesOutput{}, []string{"exit-codes"}, ExitOK, nil},
		{"list-products", ListProductsOutput{}, []string{"list-products"}, ExitOK, nil},
		{"show-product", ShowProductOutput{}, []string{"show-product", "--config", starterExample}, ExitOK, nil},
		{"create-prov-template", CreateProvTemplateOutput{}, []string{"create-prov-template", "--config", starterExample}, ExitOK, nil},
		{"validate-prov-template", ValidateProvTemplateOutput{}, []string{"validate-prov-template", "--config", starterExample}, ExitOK, nil},
		{"create-policy", CreatePolicyOutput{}, []string{"create-policy", "--config", starterExample, "--diff"}, ExitOK, nil},
		{"create-review-report", CreateReviewReportOutput{}, []string{"create-review-report", "--config", starterExample}, ExitOK, nil},
		{"plan", PlanOutput{}, []string{"plan", "--config", starterExample}, ExitOK, nil},
		{"plan", PlanOutput{}, []string{"plan", "--config", invalid}, ExitInvalidConfig, nil},
		{"show-changes", EngineResultOutput{}, []string{"show-changes", "--config", starterExample}, ExitOK, contractEngine()},
		{"deploy-product", EngineResultOutput{}, []string{"deploy-product", "--config", starterExample, "--force"}, ExitOK, contractEngine()},
		{"check-drift", CheckDriftOutput{}, []string{"check-drift", "--config", starterExample}, ExitChanges, contractEngine()},
		{"delete-product", EngineResultOutput{}, []string{"delete-product", "--config", starterExample, "--force"}, ExitOK, contractEngine()},
		{"test-deploy", TestDeployOutput{}, []string{"test-deploy", "--config", starterExample, "--keep", "--force"}, ExitError, contractEngine()},
	}
}

// contractEngine answers every engine call with a small deployed starter.
func contractEngine() *fakeEngine {
	const stack = "techcorp-dev-t001-us-east-1-churn-ml"
	param := engine.DeployedResource{URN: "urn:param", Type: "aws:ssm/parameter:Parameter", Name: "outputs-ArtifactBucketName",
		Outputs: map[string]any{"name": "/ml/" + stack + "/ArtifactBucketName"}}
	return &fakeEngine{
		up: func(_ context.Context, t engine.Target) (*engine.Result, error) {
			return &engine.Result{Stack: t.StackName, Operation: "update", Summary: map[string]int{"create": 1},
				Changes: []engine.Change{{URN: param.URN, Type: param.Type, Name: param.Name, Op: "create"}},
				Outputs: map[string]any{"ArtifactBucketName": "techcorp-dev-t001-us-east-1-churn-artifacts"}}, nil
		},
		described: &engine.Deployment{Stack: stack, Outputs: map[string]any{"ArtifactBucketName": "techcorp-dev-t001-us-east-1-churn-artifacts"},
			Resources: []engine.DeployedResource{param}},
		drift: &engine.DriftReport{Stack: stack, Checked: 30, Resources: []engine.DriftedResource{{URN: "urn:bucket", Type: "aws:s3/bucketV2:BucketV2",
			Name: "storage-artifacts", Kind: "update", Properties: []engine.DriftedProperty{{Property: "versioning", Recorded: "Enabled", Live: "Suspended", Security: "data protection"}}}}},
	}
}

// testIDs are the random parts of a test deployment's names.
// (the id, and the hash of a name shortened around it).
var testIDs = regexp.MustCompile(`-test-[0-9a-f]{4}|t[0-9a-f]{4}-|"testId": "[0-9a-f]{4}"|-[0-9a-f]{8}-`)

func schemaPath(command string) string { return filepath.Join("schemas", command+".schema.json") }

// TestOutputSchemasAreCurrent: the published schema of each command is the
// one its output type describes; a change to a type shows up as a schema
// diff in review (and must raise OutputSchemaVersion when it breaks).
func TestOutputSchemasAreCurrent(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range contractCases() {
		if seen[c.command] {
			continue
		}
		seen[c.command] = true
		want := outputSchema(c.command, reflect.TypeOf(c.doc))
		b, _ := json.MarshalIndent(want, "", "  ")
		b = append(b, '\n')
		if *updateContract {
			os.MkdirAll("schemas", 0o755)
			if err := os.WriteFile(schemaPath(c.command), b, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(schemaPath(c.command))
		if err != nil || !bytes.Equal(got, b) {
			t.Errorf("%s is out of date with %T (go test ./internal/cli -run Contract -update-contract): %v", schemaPath(c.command), c.doc, err)
		}
	}
	for _, c := range commands {
		name := c(&Deps{}, &GlobalOptions{}).Name()
		if !seen[name] {
			t.Errorf("command %s has no output contract case", name)
		}
	}
}

// TestOutputGoldenAndSchema runs every command with -o json, pins the
// document (work directory and durations normalised) and validates it with
// a JSON Schema validator against the published schema.
func TestOutputGoldenAndSchema(t *testing.T) {
	compiler := jsonschema.NewCompiler()
	for _, c := range contractCases() {
		dir := t.TempDir()
		clock := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		var out, errb bytes.Buffer
		args := append(append([]string{}, c.args...), "--workdir", dir, "--output", "json")
		deps := Deps{Out: &out, Err: &errb, Now: func() time.Time { return clock }}
		if c.engine != nil {
			f := c.engine
			deps.NewEngine = func(engine.Options) (Engine, error) { return f, nil }
		}
		code := Main(args, deps)
		if code != c.code {
			t.Fatalf("%v: exit %d, want %d\n%s%s", c.args, code, c.code, out.String(), errb.String())
		}
		var doc any
		if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
			t.Fatalf("%v: stdout is not one JSON document: %v\n%s", c.args, err, out.String())
		}
		if m, _ := doc.(map[string]any); m["schemaVersion"] != float64(OutputSchemaVersion) || m["command"] != c.command {
			t.Errorf("%v: header %v %v", c.args, m["schemaVersion"], m["command"])
		}
		abs, _ := filepath.Abs(schemaPath(c.command))
		schema, err := compiler.Compile(abs)
		if err != nil {
			t.Fatalf("%s: %v", schemaPath(c.command), err)
		}
		if err := schema.Validate(doc); err != nil {
			t.Errorf("%v: output does not validate against %s: %v", c.args, schemaPath(c.command), err)
		}
		normalised := strings.ReplaceAll(out.String(), dir, "WORKDIR")
		if c.command == "test-deploy" {
			normalised = testIDs.ReplaceAllString(normalised, "TESTID")
		}
		golden := filepath.Join("testdata", "output", c.command+".json")
		if c.code != ExitOK {
			golden = filepath.Join("testdata", "output", c.command+"-exit"+strconv.Itoa(c.code)+".json")
		}
		if *updateContract {
			os.MkdirAll(filepath.Dir(golden), 0o755)
			os.WriteFile(golden, []byte(normalised), 0o644)
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil || string(want) != normalised {
			t.Errorf("%v: output differs from %s (-update-contract after review):\n%s", c.args, golden, normalised)
		}
	}
}

// A field the schema does not know is caught: the schema is strict.
func TestOutputSchemaRejectsUnknownFields(t *testing.T) {
	abs, _ := filepath.Abs(schemaPath("exit-codes"))
	schema, err := jsonschema.NewCompiler().Compile(abs)
	if err != nil {
		t.Fatal(err)
	}
	doc := map[string]any{"schemaVersion": OutputSchemaVersion, "command": "exit-codes", "exitCodes": []any{}, "extra": 1}
	if schema.Validate(doc) == nil {
		t.Error("an unknown field passed the schema")
	}
	delete(doc, "extra")
	delete(doc, "schemaVersion")
	if schema.Validate(doc) == nil {
		t.Error("a document without schemaVersion passed the schema")
	}
}

// outputSchema describes a command's document as JSON Schema 2020-12.
func outputSchema(command string, t reflect.Type) map[string]any {
	s := typeSchema(t)
	s["$schema"] = "https://json-schema.org/draft/2020-12/schema"
	s["$id"] = "https://github.com/mlprov/mlprov/internal/cli/schemas/" + command + ".schema.json"
	s["title"] = "mlprov " + command + " -o json, schema version " + strconv.Itoa(OutputSchemaVersion)
	return s
}

var timeType = reflect.TypeOf(time.Time{})

func typeSchema(t reflect.Type) map[string]any {
	if t == timeType {
		return map[string]any{"type": "string", "format": "date-time"}
	}
	if t == reflect.TypeOf(json.RawMessage{}) {
		return map[string]any{}
	}
	switch t.Kind() {
	case reflect.Pointer:
		return typeSchema(t.Elem())
	case reflect.Struct:
		props, required := map[string]any{}, []string{}
		structFields(t, props, &required)
		s := map[string]any{"type": "object", "properties": props, "additionalProperties": false}
		if len(required) > 0 {
			s["required"] = required
		}
		return s
	case reflect.Slice, reflect.Array:
		return map[string]any{"type": []string{"array", "null"}, "items": typeSchema(t.Elem())}
	case reflect.Map:
		return map[string]any{"type": []string{"object", "null"}, "additionalProperties": typeSchema(t.Elem())}
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	}
	return map[string]any{} // interface values: any JSON
}

// structFields adds t's JSON fields, flattening embedded structs as
// encoding/json does.
func structFields(t reflect.Type, props map[string]any, required *[]string) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			structFields(ft, props, required)
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		props[name] = typeSchema(f.Type)
		if !strings.Contains(opts, "omitempty") && !strings.Contains(opts, "omitzero") {
			*required = append(*required, name)
		}
	}
}

// plan on an invalid config prints each problem once: the summary's failed
// step on stdout, the problems on stderr.
func TestPlanPrintsEachProblemOnce(t *testing.T) {
	code, out, errs := run(t, "plan", "--config", filepath.Join("testdata", "invalid-config.yaml"), "--workdir", t.TempDir())
	if code != ExitInvalidConfig {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
	for _, problem := range []string{"client.tenant_id", "ml_product.approval.manual_before_deploy"} {
		if n := strings.Count(out+errs, problem); n != 1 {
			t.Errorf("%s printed %d times:\nstdout:\n%s\nstderr:\n%s", problem, n, out, errs)
		}
	}
	if !strings.Contains(out, "FAIL validate-config") {
		t.Errorf("the summary does not show the failed step:\n%s", out)
	}
}

// The fleet summary reads each product's document: it must understand the
// pinned documents of this contract.
func TestFleetReadsTheContractDocuments(t *testing.T) {
	read := func(file string, reader func([]byte, *fleet.Product) (*policycheck.Result, error)) fleet.Product {
		t.Helper()
		b, err := os.ReadFile(filepath.Join("testdata", "output", file))
		if err != nil {
			t.Fatal(err)
		}
		var p fleet.Product
		if _, err := reader(b, &p); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		return p
	}
	if p := read("check-drift-exit5.json", readCheckDrift); p.Drifted != 1 || !strings.Contains(p.Summary, "in 30 checked") {
		t.Errorf("check-drift: %+v", p)
	}
	if p := read("show-changes.json", readShowChanges); p.Changes != 1 {
		t.Errorf("show-changes: %+v", p)
	}
	if p := read("validate-prov-template.json", readValidateProvTemplate); p.Violations != 0 || p.Summary == "" {
		t.Errorf("validate-prov-template: %+v", p)
	}
	if p := read("plan-exit3.json", readPlan); !strings.Contains(p.Summary, "validate-config") {
		t.Errorf("plan of an invalid config: %+v", p)
	}
}
