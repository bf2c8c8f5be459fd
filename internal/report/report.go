// Package report writes the documents people approve and audit: the review
// report (before anything is deployed), the deployment and drift reports
// (after the engine ran), each as a self-contained HTML page plus a JSON twin
// for CI, and the audit log every action leaves behind. Every file is written
// atomically: a failed or interrupted write never leaves a truncated report.
package report

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/mlprov/mlprov/internal/atomicfile"
	"github.com/mlprov/mlprov/internal/naming"
	"github.com/mlprov/mlprov/internal/provtemplate"
	"github.com/mlprov/mlprov/internal/render"
)

//go:embed templates/*.html.tmpl
var templateFS embed.FS

// pages holds one parsed template set per report kind (layout + page).
var pages = map[string]*template.Template{}

func init() {
	funcs := template.FuncMap{
		"usd":      func(v float64) string { return fmt.Sprintf("$%.2f", v) },
		"join":     strings.Join,
		"lower":    strings.ToLower,
		"datetime": func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05 UTC") },
		"value":    formatValue,
		"offline":  offlineValue,
	}
	for _, kind := range []string{KindReview, KindDeployment, KindDrift} {
		pages[kind] = template.Must(template.New("layout.html.tmpl").Funcs(funcs).
			ParseFS(templateFS, "templates/layout.html.tmpl", "templates/"+kind+".html.tmpl"))
	}
}

// Report kinds: the {kind} of naming.Names.ReportFile.
const (
	KindReview     = "review"
	KindDeployment = "deployment"
	KindDrift      = "drift"
)

// Summary identifies the product a report is about.
type Summary struct {
	MLName        string `json:"mlName"`
	CompanyName   string `json:"companyName,omitempty"`
	Tier          string `json:"tier"`
	Scenario      string `json:"scenario"`
	Env           string `json:"env"`
	Region        string `json:"region"`
	AccountID     string `json:"accountId"`
	Stack         string `json:"stack"`
	SourceControl string `json:"sourceControl,omitempty"`
	ConfigFile    string `json:"configFile,omitempty"`
}

// SummaryOf takes the summary from a rendered template's product section.
func SummaryOf(p provtemplate.Product) Summary {
	return Summary{
		MLName: p.MLName, CompanyName: p.CompanyName, Tier: p.Tier, Scenario: p.Scenario, Env: p.Env,
		Region: p.Region, AccountID: p.AccountID, Stack: p.Stack, SourceControl: p.SourceControl, ConfigFile: p.ConfigFile,
	}
}

// Header is what every report carries first (also in its JSON twin).
type Header struct {
	Kind        string    `json:"kind"`
	Title       string    `json:"title"`
	GeneratedAt time.Time `json:"generatedAt"`
	// Generator is "mlprov <version>".
	Generator string  `json:"generator"`
	Product   Summary `json:"product"`
}

// Paths are the two files one report is written to.
type Paths struct {
	HTML string `json:"html"`
	JSON string `json:"json"`
}

// PathsFor returns where a report of kind goes under workdir:
// ml/reports/{ml_name}-{scenario}-{kind}.html and .json.
func PathsFor(workdir string, names naming.Names, kind string) Paths {
	return Paths{
		HTML: filepath.Join(workdir, names.ReportFile(kind, "html")),
		JSON: filepath.Join(workdir, names.ReportFile(kind, "json")),
	}
}

// ReviewPaths returns where the review report of the action started at
// started goes: the old tool's ml/reports/{ml_name}-{scenario}-create-review-report-{timestamp}
// .html (and its .json twin), with the timestamp of that action's audit log.
func ReviewPaths(workdir string, names naming.Names, started time.Time) Paths {
	ts := AuditTimestamp(started)
	return Paths{
		HTML: filepath.Join(workdir, names.ReviewReportFile(ts, "html")),
		JSON: filepath.Join(workdir, names.ReviewReportFile(ts, "json")),
	}
}

// writeTwins writes page as HTML and as its JSON twin, each atomically.
// The HTML goes first: if the page fails to render, neither file changes.
func writeTwins(paths Paths, kind string, page any) error {
	js, err := json.MarshalIndent(page, "", "  ")
	if err != nil {
		return fmt.Errorf("%s report: %w", kind, err)
	}
	if err := atomicfile.Write(paths.HTML, 0o644, func(w io.Writer) error { return renderHTML(w, kind, page) }); err != nil {
		return err
	}
	return atomicfile.WriteFile(paths.JSON, append(js, '\n'), 0o644)
}

// renderHTML executes the kind's page template into w.
func renderHTML(w io.Writer, kind string, page any) error {
	t, ok := pages[kind]
	if !ok {
		return fmt.Errorf("no template for report kind %q", kind)
	}
	return t.ExecuteTemplate(w, "layout.html.tmpl", page)
}

// HTML renders a report page to bytes (for tests and previews).
func HTML(kind string, page any) ([]byte, error) {
	var b bytes.Buffer
	err := renderHTML(&b, kind, page)
	return b.Bytes(), err
}

// formatValue shows a property value compactly: strings as they are,
// anything else as JSON, absent as "(absent)".
func formatValue(v any) string {
	switch v := v.(type) {
	case nil:
		return "(absent)"
	case string:
		return v
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// offlineValue explains the stand-ins of an offline render instead of
// showing them raw.
func offlineValue(v string) string {
	switch {
	case v == render.SecretValue:
		return "secret, not shown"
	case v == render.UnknownValue || v == "":
		return "known after deploy"
	case provtemplate.IsPlaceholder(v):
		return "⟨" + strings.TrimPrefix(v, provtemplate.PlaceholderPrefix) + "⟩"
	}
	return v
}
