package fleet

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/mlprov/mlprov/internal/atomicfile"
	"github.com/mlprov/mlprov/internal/naming"
)

//go:embed templates/fleet.html.tmpl
var pageSource string

var page = template.Must(template.New("fleet").Funcs(template.FuncMap{
	"duration": func(ms int64) string { return (time.Duration(ms) * time.Millisecond).String() },
	"datetime": func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05 UTC") },
}).Parse(pageSource))

// ReportPaths is where the fleet report of an action (and shard) goes,
// under the work directory: stable names, so a CI job can upload them.
func ReportPaths(workdir, action string, shard Shard) (html, json string) {
	base := "fleet-" + action
	if shard.Count > 0 {
		base += fmt.Sprintf("-shard-%d-of-%d", shard.Index, shard.Count)
	}
	stem := filepath.Join(workdir, naming.ReportsDir, base)
	return stem + ".html", stem + ".json"
}

// htmlRow is one product's row, with its report linked relative to the
// fleet report (so the folder can be moved or uploaded as a whole).
type htmlRow struct {
	Product
	Link string
	// File is the config's path under the fleet's folder.
	File string
}

// WriteReports writes the fleet HTML report and its JSON twin (the Summary)
// atomically, and records the HTML path in s.Report.
func (s *Summary) WriteReports(htmlPath, jsonPath string) error {
	s.Report = htmlPath
	if err := atomicfile.Write(jsonPath, 0o644, s.WriteJSON); err != nil {
		return err
	}
	return atomicfile.Write(htmlPath, 0o644, func(w io.Writer) error { return s.writeHTML(w, filepath.Dir(htmlPath)) })
}

func (s Summary) writeHTML(w io.Writer, dir string) error {
	var rows []htmlRow
	for _, p := range s.ByAttention() {
		r := htmlRow{Product: p, File: p.Config}
		if rel, err := filepath.Rel(s.Dir, p.Config); err == nil {
			r.File = filepath.ToSlash(rel)
		}
		if p.Report != "" {
			if rel, err := filepath.Rel(dir, p.Report); err == nil {
				r.Link = filepath.ToSlash(rel)
			}
		}
		rows = append(rows, r)
	}
	return page.Execute(w, struct {
		Summary
		Headline string
		Totals   string
		Rows     []htmlRow
	}{s, s.headline(), s.totals(), rows})
}

// NeedsAttention reports whether a reviewer must act on the product.
func (s Status) NeedsAttention() bool { return s != StatusOK && s != StatusChanges }

// Class is the status's CSS class.
func (s Status) Class() string { return "st-" + strings.ReplaceAll(string(s), "-", "") }
