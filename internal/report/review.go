package report

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/mlprov/mlprov/internal/naming"
	"github.com/mlprov/mlprov/internal/policycheck"
	"github.com/mlprov/mlprov/internal/provtemplate"
	"github.com/mlprov/mlprov/policy-pack/rules"
)

// ReviewInput is everything the review report is built from.
type ReviewInput struct {
	Doc    *provtemplate.Document
	Policy policycheck.Result
	// Deployer is the deployer's IAM policy (create-policy's output).
	Deployer DeployerPolicy
	// Now stamps the report and decides waiver expiry.
	Now time.Time
	// Version is mlprov's build version.
	Version string
	// ShortenedNames are the names that take the shortened form (naming).
	ShortenedNames []naming.Shortened
}

// DeployerPolicy is the generated least-privilege policy of the identity
// that runs deploy-product, as one or more IAM policy documents.
type DeployerPolicy struct {
	// Files are where create-policy writes the documents, in order.
	Files     []string         `json:"files"`
	Documents []PolicyDocument `json:"documents"`
	// Missing says why there is no document (shown instead of it).
	Missing string `json:"missing,omitempty"`
}

// PolicyDocument is one named IAM policy document.
type PolicyDocument struct {
	Name     string          `json:"name"`
	Document json.RawMessage `json:"document"`
}

// Pretty is the document indented for reading.
func (d PolicyDocument) Pretty() string {
	var v any
	if err := json.Unmarshal(d.Document, &v); err != nil {
		return string(d.Document)
	}
	b, _ := json.MarshalIndent(v, "", "  ")
	return string(b)
}

// Statements counts the document's statements (0 if unreadable).
func (d PolicyDocument) Statements() int {
	var doc struct {
		Statement []json.RawMessage `json:"Statement"`
	}
	_ = json.Unmarshal(d.Document, &doc)
	return len(doc.Statement)
}

// Review is the review report: the HTML page's data and the JSON twin.
type Review struct {
	Header
	ResourceCount int                   `json:"resourceCount"`
	Components    []ComponentGroup      `json:"components"`
	Outputs       []provtemplate.Output `json:"ssmOutputs"`
	Inputs        []InputRead           `json:"inputsRead"`
	Checklist     []ChecklistItem       `json:"securityChecklist"`
	Prerequisites []Notice              `json:"prerequisites"`
	Policy        PolicySection         `json:"policy"`
	Waivers       []WaiverRow           `json:"waivers"`
	Deployer      DeployerPolicy        `json:"deployerPolicy"`
	Cost          CostEstimate          `json:"estimatedMonthlyCost"`
	// ShortenedNames: physical names whose full form exceeds its AWS limit,
	// shown beside the full form as information.
	ShortenedNames []naming.Shortened `json:"shortenedNames,omitempty"`
}

// ComponentGroup is one ComponentResource and the AWS resources under it.
type ComponentGroup struct {
	Type        string        `json:"type"`
	LogicalName string        `json:"logicalName"`
	Resources   []ResourceRow `json:"resources"`
}

// ResourceRow is one AWS resource of the review.
type ResourceRow struct {
	Type         string `json:"type"`
	LogicalName  string `json:"logicalName"`
	PhysicalName string `json:"physicalName,omitempty"`
	Protected    bool   `json:"protected,omitempty"`
}

// InputRead is one value the product reads from AWS at preview time.
type InputRead struct {
	Source string `json:"source"`
	Reads  string `json:"reads"`
	// Offline is true when the template holds a stand-in value.
	Offline bool   `json:"offline"`
	Value   string `json:"value,omitempty"`
}

// PolicySection is the policy verdict with every rule's outcome.
type PolicySection struct {
	Passed     bool         `json:"passed"`
	Summary    string       `json:"summary"`
	Mandatory  int          `json:"mandatory"`
	Advisory   int          `json:"advisory"`
	Unknown    int          `json:"unknown"`
	Waived     int          `json:"waived"`
	Structural []string     `json:"structural"`
	Findings   []FindingRow `json:"findings"`
	Rules      []RuleRow    `json:"rules"`
}

// FindingRow is one finding with its rule's metadata.
type FindingRow struct {
	rules.Finding
	RuleName string   `json:"ruleName"`
	Peers    []string `json:"peers"`
	// Blocking is true for a mandatory violation.
	Blocking bool `json:"blocking"`
}

// RuleRow is one rule of the catalogue and what it found here.
type RuleRow struct {
	ID          string            `json:"id"`
	Name        string            `json:"name"`
	Severity    rules.Severity    `json:"severity"`
	Enforcement rules.Enforcement `json:"enforcement"`
	// Outcome: pass, violation, advisory, unknown, waived, not applicable.
	Outcome     string   `json:"outcome"`
	Remediation string   `json:"remediation"`
	Peers       []string `json:"peers"`
}

// Rule outcomes.
const (
	OutcomePass          = "pass"
	OutcomeViolation     = "violation"
	OutcomeAdvisory      = "advisory"
	OutcomeUnknown       = "cannot judge yet"
	OutcomeWaived        = "waived"
	OutcomeNotApplicable = "not applicable"
)

// WaiverRow is one suppression with its state at report time.
type WaiverRow struct {
	provtemplate.Suppression
	// State: active, expired.
	State string `json:"state"`
}

// BuildReview assembles the review report from typed inputs.
func BuildReview(in ReviewInput) Review {
	doc := in.Doc
	r := Review{
		Header: Header{
			Kind: KindReview, Title: "Review: " + doc.Product.MLName, GeneratedAt: in.Now.UTC(),
			Generator: "mlprov " + in.Version, Product: SummaryOf(doc.Product),
		},
		ResourceCount:  len(doc.Custom()),
		Components:     groupByComponent(doc),
		Outputs:        doc.Outputs,
		Inputs:         inputsRead(doc),
		Checklist:      checklist(doc, in.Policy),
		Policy:         policySection(doc, in.Policy),
		Waivers:        waiverRows(doc, in.Now),
		Deployer:       in.Deployer,
		Cost:           EstimateMonthlyCost(doc),
		ShortenedNames: in.ShortenedNames,
	}
	r.Prerequisites = prerequisites(doc, in.Policy, r.Waivers, in.Deployer)
	if r.Outputs == nil {
		r.Outputs = []provtemplate.Output{}
	}
	r.Deployer.Files, r.Deployer.Documents = nonNil(r.Deployer.Files), nonNil(r.Deployer.Documents)
	return r
}

// WriteReview builds the review report and writes it to paths.
func WriteReview(paths Paths, in ReviewInput) (Review, error) {
	r := BuildReview(in)
	return r, writeTwins(paths, KindReview, r)
}

// stackGroup names resources that have no component parent.
const stackGroup = "(stack)"

// groupByComponent puts every custom resource under its nearest
// ComponentResource ancestor, components in document order.
func groupByComponent(doc *provtemplate.Document) []ComponentGroup {
	byURN := make(map[string]provtemplate.Resource, len(doc.Resources))
	for _, res := range doc.Resources {
		byURN[res.URN] = res
	}
	owner := func(res provtemplate.Resource) string {
		for parent := res.Parent; parent != ""; {
			p, ok := byURN[parent]
			if !ok {
				return ""
			}
			if !p.Custom {
				return p.URN
			}
			parent = p.Parent
		}
		return ""
	}
	index := map[string]int{}
	var groups []ComponentGroup
	for _, res := range doc.Resources {
		if !res.Custom {
			continue
		}
		key := owner(res)
		i, ok := index[key]
		if !ok {
			g := ComponentGroup{Type: stackGroup, LogicalName: stackGroup}
			if c, found := byURN[key]; found {
				g = ComponentGroup{Type: c.Type, LogicalName: c.LogicalName}
			}
			i = len(groups)
			index[key] = i
			groups = append(groups, g)
		}
		groups[i].Resources = append(groups[i].Resources, ResourceRow{
			Type: res.Type, LogicalName: res.LogicalName, PhysicalName: res.PhysicalName, Protected: res.Protect,
		})
	}
	if groups == nil {
		groups = []ComponentGroup{}
	}
	return groups
}

// inputsRead lists the template's lookups in a readable form.
func inputsRead(doc *provtemplate.Document) []InputRead {
	out := []InputRead{}
	for _, l := range doc.Lookups {
		in := InputRead{Source: lookupName(l.Token), Reads: formatArgs(l.Args), Offline: l.Placeholder}
		if !l.Placeholder && len(l.Result) > 0 {
			in.Value = formatArgs(l.Result)
		}
		out = append(out, in)
	}
	return out
}

// lookupName shortens "aws:ssm/getParameter:getParameter" to "aws:ssm/getParameter".
func lookupName(token string) string {
	if i := strings.LastIndex(token, ":"); i > strings.Index(token, ":") {
		return token[:i]
	}
	return token
}

// formatArgs renders a map as sorted "key=value" pairs.
func formatArgs(m map[string]any) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		v := m[k]
		if str, ok := v.(string); ok {
			v = offlineValue(str)
		}
		parts = append(parts, fmt.Sprintf("%s=%v", k, v))
	}
	return strings.Join(parts, ", ")
}

// policySection joins the findings with the rule catalogue.
func policySection(doc *provtemplate.Document, res policycheck.Result) PolicySection {
	s := PolicySection{
		Passed: res.Passed(), Summary: policycheck.Summary(res), Mandatory: res.Mandatory, Advisory: res.Advisory,
		Unknown: res.Unknown, Waived: res.Waived, Structural: res.Structural, Findings: []FindingRow{},
	}
	if s.Structural == nil {
		s.Structural = []string{}
	}
	byRule := map[string][]rules.Finding{}
	for _, f := range res.Findings {
		byRule[f.RuleID] = append(byRule[f.RuleID], f)
		row := FindingRow{Finding: f, Peers: []string{}, Blocking: f.Blocking()}
		if rule, ok := rules.Lookup(f.RuleID); ok {
			row.RuleName, row.Peers = rule.Name, peersOf(rule)
		}
		s.Findings = append(s.Findings, row)
	}
	// Blocking first, then advisory, unknown, waived; stable within.
	sort.SliceStable(s.Findings, func(i, j int) bool { return findingRank(s.Findings[i]) < findingRank(s.Findings[j]) })
	stack := policycheck.Stack(doc)
	for _, rule := range rules.All() {
		s.Rules = append(s.Rules, RuleRow{
			ID: rule.ID, Name: rule.Name, Severity: rule.Severity, Enforcement: rule.Enforcement,
			Outcome: outcome(rule, byRule[rule.ID], stack, len(doc.Suppressions) > 0), Remediation: rule.Remediation, Peers: peersOf(rule),
		})
	}
	return s
}

func peersOf(rule rules.Rule) []string {
	if p := rule.Peers.All(); p != nil {
		return p
	}
	return []string{}
}

func findingRank(f FindingRow) int {
	switch {
	case f.Blocking:
		return 0
	case f.Status == rules.StatusViolation:
		return 1
	case f.Status == rules.StatusUnknown:
		return 2
	default:
		return 3
	}
}

// outcome is the worst status of a rule's findings; with none, pass if the
// rule judged anything here.
func outcome(rule rules.Rule, findings []rules.Finding, stack rules.Stack, hasWaivers bool) string {
	if worst := worstOutcome(findings); worst != "" {
		return worst
	}
	if ruleApplies(rule, stack, hasWaivers) {
		return OutcomePass
	}
	return OutcomeNotApplicable
}

// worstOutcome ranks findings: violation > advisory > unknown > waived;
// "" when there are none.
func worstOutcome(findings []rules.Finding) string {
	worst := ""
	rank := map[string]int{OutcomeViolation: 4, OutcomeAdvisory: 3, OutcomeUnknown: 2, OutcomeWaived: 1}
	for _, f := range findings {
		o := OutcomeWaived
		switch {
		case f.Blocking():
			o = OutcomeViolation
		case f.Status == rules.StatusViolation:
			o = OutcomeAdvisory
		case f.Status == rules.StatusUnknown:
			o = OutcomeUnknown
		}
		if rank[o] > rank[worst] {
			worst = o
		}
	}
	return worst
}

// ruleApplies reports whether a rule judged anything in this stack: a
// resource rule with a resource it applies to, any stack rule, a waiver rule
// when there are waivers.
func ruleApplies(rule rules.Rule, stack rules.Stack, hasWaivers bool) bool {
	switch {
	case rule.IsStackRule():
		return true
	case rule.IsWaiverRule():
		return hasWaivers
	}
	for _, res := range stack.Resources {
		if rule.Applies == nil || rule.Applies(res) {
			return true
		}
	}
	return false
}

// Waiver states.
const (
	WaiverActive  = "active"
	WaiverExpired = "expired"
)

func waiverRows(doc *provtemplate.Document, now time.Time) []WaiverRow {
	out := []WaiverRow{}
	for _, s := range doc.Suppressions {
		state := WaiverActive
		if (rules.Waiver{Expires: s.Expires}).Expired(now) {
			state = WaiverExpired
		}
		out = append(out, WaiverRow{Suppression: s, State: state})
	}
	return out
}
