package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/mlprov/mlprov/internal/atomicfile"
	"github.com/mlprov/mlprov/internal/config"
	"github.com/mlprov/mlprov/internal/naming"
	"github.com/mlprov/mlprov/internal/provtemplate"
	"github.com/mlprov/mlprov/internal/render"
	"github.com/mlprov/mlprov/stacks"
)

// product is a loaded, valid config with its names.
type product struct {
	cfg   *config.Config
	names naming.Names
}

// loadProduct resolves --config, loads and validates it.
func (g *GlobalOptions) loadProduct() (*product, error) {
	if err := g.requireConfig(); err != nil {
		return nil, err
	}
	path, err := resolveConfigPath(g.ConfigRef, g.Workdir)
	if err != nil {
		return nil, withCode(ExitUsage, err)
	}
	cfg, err := config.Load(path)
	if err != nil {
		return nil, err
	}
	p := &product{cfg: cfg, names: naming.For(cfg)}
	g.audit.product(p)
	return p, nil
}

// resolveConfigPath: a path that exists, or a bare name looked up in
// ml/configs/ then configs/ (with or without .yaml/.yml).
func resolveConfigPath(ref, workdir string) (string, error) {
	candidates := []string{ref}
	if !filepath.IsAbs(ref) {
		candidates = []string{filepath.Join(workdir, ref), ref}
	}
	if !strings.ContainsRune(ref, filepath.Separator) {
		for _, dir := range []string{naming.ConfigsDir, "configs"} {
			for _, ext := range []string{"", ".yaml", ".yml"} {
				candidates = append(candidates, filepath.Join(workdir, dir, ref+ext))
			}
		}
	}
	for _, c := range candidates {
		if st, err := os.Stat(c); err == nil && !st.IsDir() {
			return c, nil
		}
	}
	if current := naming.FromOldScenario(ref); current != ref {
		// The old tool's scenario spelling (…-codecommit-ssm for …-codecommit-sgprov-ssm).
		if path, err := resolveConfigPath(current, workdir); err == nil {
			return path, nil
		}
	}
	return "", fmt.Errorf("config %q not found (looked for a file, then in %s/ and configs/ under %s)", ref, naming.ConfigsDir, workdir)
}

// path places a work-directory-relative path under --workdir.
func (g *GlobalOptions) path(rel string) string { return filepath.Join(g.Workdir, rel) }

// render runs the product's program offline into the template document.
func (p *product) render(opts stacks.Options) (*provtemplate.Document, error) {
	names := p.names
	if opts.TestID != "" {
		names = naming.ForTest(p.cfg, opts.TestID)
	}
	doc, err := render.Product(p.cfg, names, stacks.ProgramWithOptions(p.cfg, opts))
	if err != nil {
		return nil, fmt.Errorf("render %s: %w", names.MLName, err)
	}
	return doc, nil
}

// writeTemplate renders and writes ml/templates/{ml_name}-{scenario}-template.json.
func (g *GlobalOptions) writeTemplate(p *product) (*provtemplate.Document, string, error) {
	doc, err := p.render(stacks.Options{})
	if err != nil {
		return nil, "", err
	}
	path := g.path(p.names.TemplateFile())
	if err := writeJSONFile(path, doc); err != nil {
		return nil, "", err
	}
	g.audit.wrote(path)
	return doc, path, nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// writeJSONFile writes indented JSON atomically.
func writeJSONFile(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.WriteFile(path, append(b, '\n'), 0o644)
}

// isValidationError reports whether err is a config validation failure.
func isValidationError(err error) bool {
	var ve *config.ValidationError
	return errors.As(err, &ve)
}
