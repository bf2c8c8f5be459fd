package rules

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// fixture is a JSON Stack plus, for waiver rules, waivers and a clock.
type fixture struct {
	Stack
	Waivers []Waiver `json:"waivers,omitempty"`
	Now     string   `json:"now,omitempty"`
}

// fixtureNow is the default clock of fixtures without one.
var fixtureNow = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

func loadFixture(t testing.TB, path string) fixture {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var f fixture
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return f
}

func (f fixture) evaluate(t testing.TB) []Finding {
	now := fixtureNow
	if f.Now != "" {
		var err error
		if now, err = time.Parse(time.RFC3339, f.Now); err != nil {
			t.Fatal(err)
		}
	}
	return Evaluate(f.Stack, f.Waivers, now)
}

func findingsOf(findings []Finding, ruleID string, status Status) []Finding {
	var out []Finding
	for _, f := range findings {
		if f.RuleID == ruleID && f.Status == status {
			out = append(out, f)
		}
	}
	return out
}

// ruleIDPattern allows digits after the first letter of the group: the spec
// itself names the S3 rules MLP-S3-00n.
var ruleIDPattern = regexp.MustCompile(`^MLP-[A-Z][A-Z0-9]*-[0-9]{3}$`)

func TestCatalogueMetadata(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range All() {
		if !ruleIDPattern.MatchString(r.ID) {
			t.Errorf("rule ID %q does not match %s", r.ID, ruleIDPattern)
		}
		if seen[r.ID] {
			t.Errorf("rule ID %s registered twice", r.ID)
		}
		seen[r.ID] = true
		if r.Name == "" || r.Description == "" || r.Remediation == "" || strings.Contains(r.Remediation, "\n") {
			t.Errorf("%s needs a name, a description and a one-line remediation", r.ID)
		}
		switch r.Severity {
		case SeverityLow, SeverityMedium, SeverityHigh, SeverityCritical:
		default:
			t.Errorf("%s: severity %q", r.ID, r.Severity)
		}
		if r.Enforcement != Mandatory && r.Enforcement != Advisory {
			t.Errorf("%s: enforcement %q", r.ID, r.Enforcement)
		}
		kinds := 0
		for _, set := range []bool{r.Check != nil, r.CheckStack != nil, r.checkWaiver != nil} {
			if set {
				kinds++
			}
		}
		if kinds != 1 || (r.Check != nil && r.Applies == nil) {
			t.Errorf("%s must have exactly one judgement (and Applies with Check)", r.ID)
		}
	}
}

// catalogueRows reads the rule table of policy-pack/RULES.md: rule ID →
// enforcement.
func catalogueRows(t *testing.T) map[string]Enforcement {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "RULES.md"))
	if err != nil {
		t.Fatalf("the rule catalogue lives in the repository: %v", err)
	}
	rows := map[string]Enforcement{}
	for _, m := range regexp.MustCompile(`(?m)^\|\s*(MLP-[A-Z0-9]+-[0-9]{3})\s*\|\s*([a-z]+)\s*\|`).FindAllStringSubmatch(string(b), -1) {
		if _, dup := rows[m[1]]; dup {
			t.Errorf("RULES.md lists %s twice", m[1])
		}
		rows[m[1]] = Enforcement(m[2])
	}
	if len(rows) == 0 {
		t.Fatal("RULES.md has no rule rows")
	}
	return rows
}

// TestCatalogueMatchesTheRules checks RULES.md against the registered rules in
// both directions, with each rule's enforcement.
func TestCatalogueMatchesTheRules(t *testing.T) {
	rows := catalogueRows(t)
	for id, enforcement := range rows {
		rule, ok := Lookup(id)
		switch {
		case !ok:
			t.Errorf("%s is in RULES.md but not registered", id)
		case rule.Enforcement != enforcement:
			t.Errorf("%s: RULES.md says %s, the rule is %s", id, enforcement, rule.Enforcement)
		}
	}
	for _, r := range All() {
		if _, ok := rows[r.ID]; !ok {
			t.Errorf("%s is registered but missing from RULES.md", r.ID)
		}
	}
}

// TestFixtures runs every rule's pass, fail and unknown fixtures through the
// whole catalogue.
func TestFixtures(t *testing.T) {
	for _, rule := range All() {
		t.Run(rule.ID, func(t *testing.T) {
			files, _ := filepath.Glob(filepath.Join("testdata", rule.ID, "*.json"))
			counts := map[string]int{}
			for _, file := range files {
				kind := strings.SplitN(strings.TrimSuffix(filepath.Base(file), ".json"), "-", 2)[0]
				counts[kind]++
				findings := loadFixture(t, file).evaluate(t)
				violations := findingsOf(findings, rule.ID, StatusViolation)
				switch kind {
				case "pass":
					if len(violations) > 0 || len(findingsOf(findings, rule.ID, StatusUnknown)) > 0 {
						t.Errorf("%s: want no finding of %s, got %+v", file, rule.ID, append(violations, findingsOf(findings, rule.ID, StatusUnknown)...))
					}
				case "fail":
					if len(violations) == 0 {
						t.Errorf("%s: want a violation of %s, got none (findings: %+v)", file, rule.ID, findings)
					}
					for _, v := range violations {
						t.Logf("%s: %s [%s] %s", filepath.Base(file), v.LogicalName, v.Enforcement, v.Message)
						if v.Message == "" || v.Remediation != rule.Remediation || v.Severity != rule.Severity {
							t.Errorf("%s: incomplete finding %+v", file, v)
						}
					}
				case "unknown":
					if len(violations) > 0 || len(findingsOf(findings, rule.ID, StatusUnknown)) == 0 {
						t.Errorf("%s: want 'cannot judge yet' from %s and no violation, got %+v", file, rule.ID, findings)
					}
				default:
					t.Errorf("%s: fixture names start with pass, fail or unknown", file)
				}
			}
			if counts["pass"] == 0 || counts["fail"] == 0 {
				t.Errorf("%s needs at least one pass and one fail fixture, has %v", rule.ID, counts)
			}
		})
	}
}

func TestFixtureCount(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*", "*.json"))
	t.Logf("%d fixtures for %d rules", len(files), len(All()))
}

// largeStack builds n copies of a starter product with a few bad resources.
func largeStack(copies int) Stack {
	var s Stack
	files, _ := filepath.Glob(filepath.Join("testdata", "*", "*.json"))
	for i := 0; i < copies; i++ {
		for _, file := range files {
			var f fixture
			b, _ := os.ReadFile(file)
			if json.Unmarshal(b, &f) != nil {
				continue
			}
			for _, r := range f.Resources {
				r.Name = fmt.Sprintf("%s-%d", r.Name, i)
				r.URN = fmt.Sprintf("%s-%d", r.URN, i)
				s.Resources = append(s.Resources, r)
			}
		}
	}
	return s
}

// BenchmarkEvaluateLargeStack judges ten copies of every fixture (about
// 2,100 resources) as one stack.
func BenchmarkEvaluateLargeStack(b *testing.B) {
	s := largeStack(10)
	for b.Loop() {
		Evaluate(s, nil, fixtureNow)
	}
	b.ReportMetric(float64(len(s.Resources)), "resources/op")
}

func BenchmarkEvaluateOneResource(b *testing.B) {
	s := largeStack(1)
	for b.Loop() {
		for _, r := range s.Resources {
			Evaluate(Stack{Resources: []Resource{r}, Partial: true}, nil, fixtureNow)
		}
	}
	b.ReportMetric(float64(len(s.Resources)), "resources/op")
}
