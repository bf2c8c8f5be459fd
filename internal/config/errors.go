package config

import (
	"sort"
	"strconv"
	"strings"
)

// Problem is one thing wrong with a config: where (field path and, when the
// config came from YAML, line), what, and how to fix it.
type Problem struct {
	// Path is the field path, e.g. ml_product.network.subnet_ids[1]; "" for
	// problems with the file as a whole.
	Path string `json:"path"`
	// Line is the 1-based line in the YAML file, 0 when unknown.
	Line    int    `json:"line,omitempty"`
	Message string `json:"message"`
	Fix     string `json:"fix,omitempty"`
}

// String renders the problem without file and line: "path: message (fix: ...)".
func (p Problem) String() string {
	var b strings.Builder
	if p.Path != "" {
		b.WriteString(p.Path + ": ")
	}
	b.WriteString(p.Message)
	if p.Fix != "" {
		b.WriteString(" (fix: " + p.Fix + ")")
	}
	return b.String()
}

// ValidationError lists every problem found in one config file.
type ValidationError struct {
	File     string
	Problems []Problem
}

// Error prints one problem per line as file:line: path: message (fix: ...).
func (e *ValidationError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		where := e.File
		if where == "" {
			where = "config"
		}
		if p.Line > 0 {
			where += ":" + strconv.Itoa(p.Line)
		}
		lines[i] = where + ": " + p.String()
	}
	return strings.Join(lines, "\n")
}

// sortByLine orders problems as they appear in the file; problems without a
// line keep their order after the rest.
func sortByLine(ps []Problem) {
	sort.SliceStable(ps, func(i, j int) bool {
		li, lj := ps[i].Line, ps[j].Line
		if li == 0 || lj == 0 {
			return li != 0 && lj == 0
		}
		return li < lj
	})
}
