package config_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"

	"github.com/mlprov/mlprov/internal/config"
)

// semanticOnly lists the bad fixtures JSON Schema cannot reject, and why.
// Keep it short: every other rule must be in the schema too.
var semanticOnly = map[string]string{
	"contract-name-over-limit.yaml": "name lengths combine several fields",
}

func compileSchema(t testing.TB) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(config.Schema()))
	if err != nil {
		t.Fatalf("schema is not JSON: %v", err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	const url = "https://github.com/mlprov/mlprov/internal/config/" + config.SchemaFileName
	if err := c.AddResource(url, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(url)
	if err != nil {
		t.Fatalf("schema does not compile: %v", err)
	}
	return s
}

// yamlToJSON turns a YAML file into the JSON value an editor's schema check
// sees (YAML 1.2 core: unquoted dates stay strings). YAML that is not one
// JSON-representable document (syntax errors, repeated keys, several
// documents) is an error, which counts as rejected.
func yamlToJSON(data []byte) (any, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil // an empty file is JSON null
		}
		return nil, err
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("more than one document")
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	v, err := nodeValue(doc.Content[0])
	if err != nil {
		return nil, err
	}
	// Round-trip through JSON so numbers are what the schema library expects.
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return jsonschema.UnmarshalJSON(bytes.NewReader(raw))
}

func nodeValue(n *yaml.Node) (any, error) {
	if n.Kind == yaml.AliasNode {
		return nodeValue(n.Alias)
	}
	switch n.Kind {
	case yaml.MappingNode:
		m := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i].Value
			if _, dup := m[k]; dup {
				return nil, fmt.Errorf("line %d: repeated key %q", n.Content[i].Line, k)
			}
			v, err := nodeValue(n.Content[i+1])
			if err != nil {
				return nil, err
			}
			m[k] = v
		}
		return m, nil
	case yaml.SequenceNode:
		out := make([]any, len(n.Content))
		for i, item := range n.Content {
			v, err := nodeValue(item)
			if err != nil {
				return nil, err
			}
			out[i] = v
		}
		return out, nil
	}
	switch n.Tag {
	case "!!null":
		return nil, nil
	case "!!bool", "!!int", "!!float":
		var v any
		err := n.Decode(&v)
		return v, err
	}
	return n.Value, nil
}

func schemaAccepts(t *testing.T, s *jsonschema.Schema, data []byte) error {
	t.Helper()
	v, err := yamlToJSON(data)
	if err != nil {
		return err
	}
	return s.Validate(v)
}

func TestSchemaAgreesWithValidatorOnFixtures(t *testing.T) {
	s := compileSchema(t)
	for _, f := range readFixtures(t, "good") {
		t.Run("good/"+filepath.Base(f.path), func(t *testing.T) {
			if err := schemaAccepts(t, s, f.data); err != nil {
				t.Errorf("schema rejects a good fixture: %v", err)
			}
		})
	}
	used := map[string]bool{}
	for _, f := range readFixtures(t, "bad") {
		name := filepath.Base(f.path)
		t.Run("bad/"+name, func(t *testing.T) {
			if _, err := config.Parse(f.path, f.data); err == nil {
				t.Fatal("the Go validator accepts a bad fixture")
			}
			err := schemaAccepts(t, s, f.data)
			if _, ok := semanticOnly[name]; ok {
				used[name] = true
				if err != nil {
					t.Errorf("listed as semantic only, but the schema rejects it: %v", err)
				}
				return
			}
			if err == nil {
				t.Error("schema accepts a bad fixture; add the rule to the schema (or, if JSON Schema cannot say it, to semanticOnly)")
			}
		})
	}
	for name := range semanticOnly {
		if !used[name] {
			t.Errorf("semanticOnly names %s, which is not a bad fixture", name)
		}
	}
}

func TestSchemaAgreesWithValidatorOnExampleConfigs(t *testing.T) {
	s := compileSchema(t)
	for _, p := range exampleConfigs(t) {
		t.Run(filepath.Base(p.path), func(t *testing.T) {
			if err := schemaAccepts(t, s, p.data); err != nil {
				t.Errorf("schema rejects a shipped config: %v", err)
			}
		})
	}
}

// schemaJSON is the embedded schema decoded, for comparing its tables.
func schemaJSON(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(config.Schema(), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// at walks a decoded JSON document along keys.
func at(t *testing.T, v any, keys ...string) any {
	t.Helper()
	for _, k := range keys {
		m, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("schema has no %v", keys)
		}
		v = m[k]
	}
	return v
}

func stringList(t *testing.T, v any) []string {
	t.Helper()
	var out []string
	for _, x := range v.([]any) {
		out = append(out, fmt.Sprint(x))
	}
	return out
}

// The schema repeats the Go tables (JSON Schema cannot import them); these
// checks keep the copies equal.
func TestSchemaTablesMatchGo(t *testing.T) {
	m := schemaJSON(t)
	props := func(keys ...string) any {
		path := []string{}
		for _, k := range keys {
			path = append(path, "properties", k)
		}
		return at(t, m, path...)
	}
	if got := stringList(t, at(t, props("environment", "region"), "enum")); !slices.Equal(got, config.Regions) {
		t.Errorf("schema regions %v\n!= Go regions %v", got, config.Regions)
	}
	if got := stringList(t, at(t, props("environment", "env"), "enum")); !slices.Equal(got, config.Envs) {
		t.Errorf("schema envs %v != %v", got, config.Envs)
	}
	if got := stringList(t, at(t, props("ml_product", "network", "extra_endpoints"), "items", "enum")); !slices.Equal(got, config.ExtraEndpoints) {
		t.Errorf("schema endpoints %v\n!= Go endpoints %v", got, config.ExtraEndpoints)
	}
	if got := stringList(t, at(t, props("ml_product", "repository", "provider"), "enum")); !slices.Equal(got, config.RepositoryProviders) {
		t.Errorf("schema providers %v != %v", got, config.RepositoryProviders)
	}
	var wantDays []string
	for _, d := range config.CloudWatchRetentionDays {
		if d >= config.MinLogRetentionDays {
			wantDays = append(wantDays, strconv.Itoa(d))
		}
	}
	if got := stringList(t, at(t, props("ml_product", "log_retention_days"), "enum")); !slices.Equal(got, wantDays) {
		t.Errorf("schema retention %v != %v", got, wantDays)
	}
	if got := at(t, props("tags"), "maxProperties"); got != float64(config.MaxConfigTags()) {
		t.Errorf("schema tags maxProperties %v != %d", got, config.MaxConfigTags())
	}
}
