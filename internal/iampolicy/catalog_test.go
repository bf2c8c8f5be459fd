package iampolicy

import (
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
)

// catalog is testdata/iam-catalog.json: AWS's IAM actions and resource types
// of the services the policy uses (regenerate with testdata/gen-iam-catalog.sh).
type catalog struct {
	Source   string `json:"source"`
	Services map[string]struct {
		// Actions maps an action name to the resource types it accepts.
		Actions       map[string][]string `json:"actions"`
		ResourceTypes map[string]string   `json:"resourceTypes"`
	} `json:"services"`
}

var loadCatalog = sync.OnceValues(func() (*catalog, error) {
	b, err := os.ReadFile("testdata/iam-catalog.json")
	if err != nil {
		return nil, err
	}
	var c catalog
	return &c, json.Unmarshal(b, &c)
})

func testCatalog(t *testing.T) *catalog {
	t.Helper()
	c, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// resourceTypes returns the resource types of service:Action, and whether it exists.
func (c *catalog) resourceTypes(action string) ([]string, bool) {
	service, name, _ := strings.Cut(action, ":")
	types, ok := c.Services[service].Actions[name]
	return types, ok
}

var arnVariable = regexp.MustCompile(`\$\{[^}]+\}`)

// accepts reports whether resource fits one of the ARN patterns of types.
func (c *catalog) accepts(service string, types []string, resource string) bool {
	for _, typ := range types {
		if matchesARNPattern(c.Services[service].ResourceTypes[typ], resource) {
			return true
		}
	}
	return false
}

// matchesARNPattern matches an ARN against a catalogue pattern whose
// ${Variables} stand for any non-empty text.
func matchesARNPattern(pattern, arn string) bool {
	parts := arnVariable.Split(pattern, -1)
	quoted := make([]string, len(parts))
	for i, p := range parts {
		quoted[i] = regexp.QuoteMeta(p)
	}
	return regexp.MustCompile("^" + strings.Join(quoted, ".+") + "$").MatchString(arn)
}

func TestEveryEmittedActionExistsAndFitsItsResources(t *testing.T) {
	c := testCatalog(t)
	for file, cfg := range configs(t) {
		for _, d := range generate(t, renderConfig(t, cfg)) {
			for _, s := range d.Statement {
				for _, a := range s.Action {
					types, ok := c.resourceTypes(a)
					if !ok {
						t.Errorf("%s: statement %q: action %q does not exist in %s", file, s.Sid, a, c.Source)
						continue
					}
					if s.Effect != "Allow" {
						continue
					}
					service, _, _ := strings.Cut(a, ":")
					for _, r := range s.Resource {
						if r != "*" && !c.accepts(service, types, r) {
							t.Errorf("%s: statement %q: %s does not accept resource %s (types %v)", file, s.Sid, a, r, types)
						}
					}
				}
			}
		}
	}
}

func TestUnscopableActionsHaveNoResourceType(t *testing.T) {
	c := testCatalog(t)
	for _, u := range Unscopable {
		types, ok := c.resourceTypes(u.Action)
		switch {
		case !ok:
			t.Errorf("%s does not exist in %s", u.Action, c.Source)
		case len(types) > 0:
			t.Errorf("%s accepts resource types %v: scope it instead of granting it on \"*\"", u.Action, types)
		case u.Reason == "":
			t.Errorf("%s has no documented reason", u.Action)
		}
	}
}

func TestEveryTableActionExists(t *testing.T) {
	c := testCatalog(t)
	for token, grants := range table {
		for _, g := range grants {
			for _, a := range g.actions {
				if _, ok := c.resourceTypes(a); !ok {
					t.Errorf("%s: action %q does not exist in %s", token, a, c.Source)
				}
			}
		}
	}
}
