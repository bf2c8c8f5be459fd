package fleet

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"
)

// Status is one product's outcome.
type Status string

// Statuses, most severe first: the fleet's exit code is the exit code of its
// most severe product (README "Fleets").
const (
	StatusInterrupted   Status = "interrupted"    // cancelled by SIGINT/SIGTERM
	StatusError         Status = "error"          // unexpected failure; the product is unchecked
	StatusUsage         Status = "usage"          // the command line does not fit this product
	StatusInvalidConfig Status = "invalid-config" // the config file failed validation
	StatusLocked        Status = "locked"         // another operation holds the stack
	StatusViolation     Status = "violation"      // a mandatory policy rule is violated
	StatusDrift         Status = "drift"          // check-drift found drift
	StatusChanges       Status = "changes"        // show-changes found changes
	StatusOK            Status = "ok"
)

// severity lists the statuses most severe first.
var severity = []Status{
	StatusInterrupted, StatusError, StatusUsage, StatusInvalidConfig, StatusLocked,
	StatusViolation, StatusDrift, StatusChanges, StatusOK,
}

// Severity is the status's place in the severity order: lower is more severe.
func (s Status) Severity() int { return indexIn(severity, s) }

// indexIn is the status's place in order; an unknown status comes first (it
// counts as the most severe).
func indexIn(order []Status, s Status) int {
	for i, v := range order {
		if v == s {
			return i
		}
	}
	return 0
}

// attention orders the report: what a reviewer must look at first
// (violating and drifted products), then what could not be checked, then
// the rest.
var attention = []Status{
	StatusViolation, StatusDrift, StatusInvalidConfig, StatusError, StatusLocked,
	StatusUsage, StatusInterrupted, StatusChanges, StatusOK,
}

func (s Status) attentionRank() int { return indexIn(attention, s) }

// Product is one product's line of the summary.
type Product struct {
	Config   string `json:"config"`
	Stack    string `json:"stack,omitempty"`
	Tier     string `json:"tier,omitempty"`
	Scenario string `json:"scenario,omitempty"`
	Status   Status `json:"status"`
	ExitCode int    `json:"exitCode"`
	// Summary is the outcome in one line (the error's first line on failure).
	Summary string `json:"summary"`
	// Violations counts mandatory policy violations (plan, validate-prov-template).
	Violations int `json:"violations"`
	// Changes counts resources show-changes would change.
	Changes int `json:"changes"`
	// Drifted counts resources check-drift found drifted.
	Drifted int `json:"drifted"`
	// Report is the product's own HTML report, when the action writes one.
	Report string `json:"report,omitempty"`
	// Error is the full error text of a failed product.
	Error      string `json:"error,omitempty"`
	DurationMS int64  `json:"durationMs"`
}

// SchemaVersion is the version of the Summary JSON document; it changes
// only when a field is removed or changes meaning.
const SchemaVersion = 1

// Summary is the fleet run's one JSON document.
type Summary struct {
	SchemaVersion int       `json:"schemaVersion"`
	Action        string    `json:"action"`
	Dir           string    `json:"dir"`
	Shard         string    `json:"shard,omitempty"`
	Parallel      int       `json:"parallel"`
	StartedAt     time.Time `json:"startedAt"`
	DurationMS    int64     `json:"durationMs"`
	// ExitCode is the exit code of the most severe product.
	ExitCode int `json:"exitCode"`
	// Counts is the number of products per status.
	Counts   map[Status]int `json:"counts"`
	Products []Product      `json:"products"`
	// Report is the fleet HTML report's path.
	Report string `json:"report,omitempty"`
}

// NewSummary totals the products; the exit code is the most severe
// product's (0 for an empty fleet).
func NewSummary(action, dir string, shard Shard, parallel int, started time.Time, took time.Duration, products []Product) Summary {
	s := Summary{
		SchemaVersion: SchemaVersion, Action: action, Dir: dir, Shard: shard.String(), Parallel: parallel,
		StartedAt: started.UTC(), DurationMS: took.Milliseconds(), Counts: map[Status]int{}, Products: products,
	}
	worst := len(severity)
	for _, p := range products {
		s.Counts[p.Status]++
		if sev := p.Status.Severity(); sev < worst {
			worst, s.ExitCode = sev, p.ExitCode
		}
	}
	return s
}

// ByAttention returns the products in report order: violating and drifted
// first, then by severity, each group by stack name.
func (s Summary) ByAttention() []Product {
	out := append([]Product(nil), s.Products...)
	sort.SliceStable(out, func(i, j int) bool {
		ri, rj := out[i].Status.attentionRank(), out[j].Status.attentionRank()
		if ri != rj {
			return ri < rj
		}
		return out[i].label() < out[j].label()
	})
	return out
}

func (p Product) label() string { return label(p.Stack, p.Scenario, p.Config) }

// WriteJSON writes the summary as indented JSON.
func (s Summary) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(s)
}

// WriteTable writes the summary as one text table (attention order) and a
// closing totals line.
func (s Summary) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "STATUS\tEXIT\tPRODUCT\tTIME\tSUMMARY")
	for _, p := range s.ByAttention() {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\n", p.Status, p.ExitCode, p.label(), (time.Duration(p.DurationMS) * time.Millisecond).String(), p.Summary)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "%s: %s; exit %d\n", s.headline(), s.totals(), s.ExitCode)
	return err
}

func (s Summary) headline() string {
	h := fmt.Sprintf("%s --all %s: %d product(s)", s.Action, s.Dir, len(s.Products))
	if s.Shard != "" {
		h += " (shard " + s.Shard + ")"
	}
	return h
}

// totals is "3 ok, 1 violation" in severity order.
func (s Summary) totals() string {
	var parts []string
	for i := len(severity) - 1; i >= 0; i-- {
		if n := s.Counts[severity[i]]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, severity[i]))
		}
	}
	if len(parts) == 0 {
		return "nothing run"
	}
	return strings.Join(parts, ", ")
}
