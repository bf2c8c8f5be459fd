package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// MaxFileSize bounds a config file; real ones are a few KiB.
const MaxFileSize = 1 << 20

// Load reads, strictly decodes and validates the config at path. Every
// problem is returned at once as a *ValidationError; I/O failures are
// returned as they are.
func Load(path string) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return Parse(path, data)
}

// Parse decodes and validates a config; name is used in messages and as
// Config.Path.
func Parse(name string, data []byte) (*Config, error) {
	fail := func(line int, msg, fix string) error {
		return &ValidationError{File: name, Problems: []Problem{{Line: line, Message: msg, Fix: fix}}}
	}
	if len(data) > MaxFileSize {
		return nil, fail(0, fmt.Sprintf("file is larger than %d bytes; a config is a few KiB", MaxFileSize), "check that this is the config file")
	}
	if !utf8.Valid(data) || bytes.IndexByte(data, 0) >= 0 {
		return nil, fail(0, "file is not UTF-8 text", "check that this is the config file")
	}
	root, err := parseDocument(data)
	if err != nil {
		var pe *parseError
		if errors.As(err, &pe) {
			return nil, fail(pe.line, pe.msg, pe.fix)
		}
		return nil, fail(0, err.Error(), "")
	}

	cfg := &Config{Path: name}
	dec := &decoder{lines: map[string]int{}}
	if root.Kind != yaml.MappingNode {
		return nil, fail(root.Line, "the top level must be a mapping with client, environment and ml_product, not "+describe(root),
			"start from an example in configs/")
	}
	dec.value("", root, reflect.ValueOf(cfg).Elem())

	problems := append(dec.problems, withoutDecoded(validate(cfg, presence(dec.lines)), dec.problems)...)
	if len(problems) == 0 {
		return cfg, nil
	}
	for i := range problems {
		if problems[i].Line == 0 {
			problems[i].Line = lineOf(dec.lines, problems[i].Path)
		}
	}
	sortByLine(problems)
	return nil, &ValidationError{File: name, Problems: problems}
}

// parseError is a YAML syntax error with its line pulled out.
type parseError struct {
	line     int
	msg, fix string
}

func (e *parseError) Error() string { return e.msg }

var yamlLineError = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// parseDocument parses exactly one YAML document into its root node.
func parseDocument(data []byte) (root *yaml.Node, err error) {
	// yaml.v3 has panicked on malformed input in the past; a config loader
	// must answer with an error whatever the bytes are.
	defer func() {
		if r := recover(); r != nil {
			root, err = nil, &parseError{msg: fmt.Sprintf("not valid YAML (%v)", r)}
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &parseError{msg: "file is empty", fix: "start from an example in configs/"}
		}
		return nil, yamlSyntaxError(err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		if err != nil {
			return nil, yamlSyntaxError(err)
		}
		return nil, &parseError{line: extra.Line, msg: "file holds more than one YAML document", fix: "keep one config per file; remove the --- line"}
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, &parseError{msg: "file is empty", fix: "start from an example in configs/"}
	}
	return doc.Content[0], nil
}

func yamlSyntaxError(err error) error {
	msg := err.Error()
	if m := yamlLineError.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &parseError{line: line, msg: "not valid YAML: " + m[2]}
	}
	return &parseError{msg: "not valid YAML: " + strings.TrimPrefix(msg, "yaml: ")}
}

// presence reports whether a field was written in the file.
func presence(lines map[string]int) func(path string, nonZero bool) bool {
	return func(path string, _ bool) bool {
		_, ok := lines[path]
		return ok
	}
}

// withoutDecoded drops semantic problems on fields the decoder already
// reported (a wrongly typed field is left empty, and "required" would only
// repeat the real problem).
func withoutDecoded(semantic, decoded []Problem) []Problem {
	out := semantic[:0]
	for _, s := range semantic {
		covered := false
		for _, d := range decoded {
			if d.Path != "" && (s.Path == d.Path || strings.HasPrefix(s.Path, d.Path+".") || strings.HasPrefix(s.Path, d.Path+"[")) {
				covered = true
				break
			}
		}
		if !covered {
			out = append(out, s)
		}
	}
	return out
}

// lineOf finds the line of path, or of its nearest written ancestor.
func lineOf(lines map[string]int, path string) int {
	for path != "" {
		if l, ok := lines[path]; ok {
			return l
		}
		cut := strings.LastIndexAny(path, ".[")
		if cut < 0 {
			break
		}
		path = path[:cut]
	}
	return 0
}

// LoadDir loads every .yaml / .yml file directly inside dir, keyed by path.
// Errors are per file (and for the directory itself); files that fail are
// absent from the map.
func LoadDir(dir string) (map[string]*Config, []error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, []error{err}
	}
	configs := map[string]*Config{}
	var errs []error
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		if ext := filepath.Ext(e.Name()); !e.IsDir() && (ext == ".yaml" || ext == ".yml") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	for _, n := range names {
		path := filepath.Join(dir, n)
		cfg, err := Load(path)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		configs[path] = cfg
	}
	return configs, errs
}
