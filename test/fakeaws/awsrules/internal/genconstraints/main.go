// Command genconstraints extracts, from the AWS API models that
// github.com/aws/aws-sdk-go ships (models/apis/<service>/<version>/api-2.json),
// the pattern, min, max and enum of every API member members.json maps a
// Pulumi input to, into testdata/api-constraints.json. Run it through
// ../../gen-api-constraints.sh, which pins the module version.
//
// Usage: genconstraints MODELS_DIR MEMBERS_JSON OUT_JSON
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

type shape struct {
	Type    string           `json:"type"`
	Pattern string           `json:"pattern,omitempty"`
	Min     *float64         `json:"min,omitempty"`
	Max     *float64         `json:"max,omitempty"`
	Enum    []string         `json:"enum,omitempty"`
	Members map[string]ref   `json:"members,omitempty"`
	Member  *ref             `json:"member,omitempty"`
	Key     *ref             `json:"key,omitempty"`
	Value   *ref             `json:"value,omitempty"`
	Extra   map[string]any   `json:"-"`
	Ops     map[string]input `json:"-"`
}

type ref struct {
	Shape string `json:"shape"`
}

type input struct {
	Input ref `json:"input"`
}

type model struct {
	Metadata   map[string]any   `json:"metadata"`
	Operations map[string]input `json:"operations"`
	Shapes     map[string]shape `json:"shapes"`
}

// Constraint is one member's constraints, as the double reads them.
type Constraint struct {
	Shape   string   `json:"shape"`
	Type    string   `json:"type"`
	Pattern string   `json:"pattern,omitempty"`
	Min     *float64 `json:"min,omitempty"`
	Max     *float64 `json:"max,omitempty"`
	Enum    []string `json:"enum,omitempty"`
	Model   string   `json:"model"`
}

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: genconstraints MODELS_DIR MEMBERS_JSON OUT_JSON")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2], os.Args[3]); err != nil {
		fmt.Fprintln(os.Stderr, "genconstraints:", err)
		os.Exit(1)
	}
}

func run(modelsDir, membersFile, out string) error {
	var members struct {
		Types map[string][]struct{ Prop, API string } `json:"types"`
	}
	data, err := os.ReadFile(membersFile)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, &members); err != nil {
		return err
	}
	models := map[string]*model{}
	file := map[string]string{}
	result := map[string]Constraint{}
	for _, list := range members.Types {
		for _, m := range list {
			service, rest, _ := strings.Cut(m.API, "/")
			op, path, _ := strings.Cut(rest, "/")
			md := models[service]
			if md == nil {
				matches, _ := filepath.Glob(filepath.Join(modelsDir, service, "*", "api-2.json"))
				if len(matches) == 0 {
					return fmt.Errorf("%s: no model for service %s", m.API, service)
				}
				sort.Strings(matches)
				latest := matches[len(matches)-1]
				raw, err := os.ReadFile(latest)
				if err != nil {
					return err
				}
				md = &model{}
				if err := json.Unmarshal(raw, md); err != nil {
					return fmt.Errorf("%s: %w", latest, err)
				}
				models[service] = md
				rel, _ := filepath.Rel(modelsDir, latest)
				file[service] = "models/apis/" + filepath.ToSlash(rel)
			}
			o, ok := md.Operations[op]
			if !ok {
				return fmt.Errorf("%s: no operation %s", m.API, op)
			}
			name := o.Input.Shape
			for _, seg := range strings.Split(path, ".") {
				s := md.Shapes[name]
				var next *ref
				switch seg {
				case "[]":
					next = s.Member
				case "{k}":
					next = s.Key
				case "{v}":
					next = s.Value
				default:
					if r, ok := s.Members[seg]; ok {
						next = &r
					}
				}
				if next == nil {
					return fmt.Errorf("%s: shape %s has no %q", m.API, name, seg)
				}
				name = next.Shape
			}
			s := md.Shapes[name]
			result[m.API] = Constraint{Shape: name, Type: s.Type, Pattern: s.Pattern, Min: s.Min, Max: s.Max, Enum: s.Enum, Model: file[service]}
		}
	}
	enc, err := json.MarshalIndent(result, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(out, append(enc, '\n'), 0o644)
}
