package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/mlprov/mlprov/internal/config"
	"github.com/mlprov/mlprov/internal/fleet"
	"github.com/mlprov/mlprov/internal/naming"
	"github.com/mlprov/mlprov/internal/quota"
	"github.com/mlprov/mlprov/internal/render"
	"github.com/mlprov/mlprov/stacks"
)

type validateConfigOptions struct {
	all string // --all DIR
}

// validationResult is one file's verdict (also the JSON output shape).
type validationResult struct {
	File     string           `json:"file"`
	Valid    bool             `json:"valid"`
	MLName   string           `json:"mlName,omitempty"`
	Tier     string           `json:"tier,omitempty"`
	Scenario string           `json:"scenario,omitempty"`
	Problems []config.Problem `json:"problems,omitempty"`
	// ShortenedNames are information: names that take the shortened form.
	ShortenedNames []naming.Shortened `json:"shortenedNames,omitempty"`
	Error          string             `json:"error,omitempty"`
}

func newValidateConfigCommand(deps *Deps, g *GlobalOptions) *cobra.Command {
	o := &validateConfigOptions{}
	cmd := &cobra.Command{
		Use:   "validate-config",
		Short: "Check a config (or every config in a folder): schema, semantics, AWS name limits and policy size quotas",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runValidateConfig(deps, g, o)
		},
	}
	cmd.Flags().StringVar(&o.all, "all", "", "validate every .yaml/.yml file under DIR")
	return cmd
}

func runValidateConfig(deps *Deps, g *GlobalOptions, o *validateConfigOptions) error {
	var files []string
	if o.all != "" {
		var err error
		if files, err = configFilesUnder(o.all); err != nil {
			return withCode(ExitUsage, err)
		}
		if len(files) == 0 {
			return withCode(ExitUsage, fmt.Errorf("--all %s: no .yaml or .yml files found", o.all))
		}
	} else {
		if err := g.requireConfig(); err != nil {
			return err
		}
		path, err := resolveConfigPath(g.ConfigRef, g.Workdir)
		if err != nil {
			return withCode(ExitUsage, err)
		}
		files = []string{path}
	}
	results := make([]validationResult, 0, len(files))
	invalid := 0
	for _, f := range files {
		r := validateFile(f)
		if !r.Valid {
			invalid++
		}
		results = append(results, r)
	}
	if g.jsonOutput() {
		if err := writeJSON(deps.Out, results); err != nil {
			return err
		}
	} else {
		for _, r := range results {
			printValidation(deps, r)
		}
		if len(results) > 1 {
			fmt.Fprintf(deps.Out, "%d valid, %d invalid\n", len(results)-invalid, invalid)
		}
	}
	if invalid > 0 {
		return silentExit(ExitInvalidConfig)
	}
	return nil
}

func validateFile(path string) validationResult {
	r := validationResult{File: path}
	cfg, err := config.Load(path)
	var ve *config.ValidationError
	switch {
	case errors.As(err, &ve):
		r.Problems = ve.Problems
	case err != nil:
		r.Error = err.Error()
	default:
		n := naming.For(cfg)
		r.MLName, r.Tier, r.Scenario = n.MLName, string(cfg.MLProduct.Tier), n.Scenario
		r.ShortenedNames = n.Shortened
		r.Problems = quotaProblems(cfg)
		r.Valid = len(r.Problems) == 0
	}
	return r
}

// quotaProblems renders the product offline (and a test deployment, whose
// names may be longer) and reports every policy document over its AWS size
// quota: names the config accepts can still make a policy too big.
func quotaProblems(cfg *config.Config) []config.Problem {
	var out []config.Problem
	seen := map[string]bool{}
	for _, opts := range []stacks.Options{{}, {TestID: naming.LongestTestID}} {
		names := naming.For(cfg)
		where := ""
		if opts.TestID != "" {
			names, where = naming.ForTest(cfg, opts.TestID), " (in a test deployment)"
		}
		doc, err := render.Product(cfg, names, stacks.ProgramWithOptions(cfg, opts))
		if err != nil {
			return append(out, config.Problem{Message: fmt.Sprintf("cannot render the product to check AWS policy size quotas: %v", err)})
		}
		for _, u := range quota.Check(doc.Resources) {
			if seen[u.What+u.Name] {
				continue
			}
			seen[u.What+u.Name] = true
			out = append(out, quotaProblem(u, where))
		}
	}
	return out
}

// quotaProblem reports one document over its quota, with its size and limit.
func quotaProblem(u quota.Usage, where string) config.Problem {
	return config.Problem{Path: "ml_product", Message: u.String() + where,
		Fix: "shorten client.company_prefix, ml_product.use_case or ml_product.workload (policies carry the product's resource names)"}
}

func printValidation(deps *Deps, r validationResult) {
	if r.Valid {
		fmt.Fprintf(deps.Out, "valid    %s  (%s, %s, %s)\n", r.File, r.MLName, r.Tier, r.Scenario)
		printShortenedNames(deps.Out, r.ShortenedNames)
		return
	}
	fmt.Fprintf(deps.Out, "INVALID  %s\n", r.File)
	if r.Error != "" {
		fmt.Fprintf(deps.Out, "  %s\n", r.Error)
	}
	for _, p := range r.Problems {
		fmt.Fprintf(deps.Out, "  %s\n", problemLine(p))
	}
}

// printShortenedNames lists, as information, each name that takes the
// shortened form beside its full form.
func printShortenedNames(w io.Writer, names []naming.Shortened) {
	for _, s := range names {
		fmt.Fprintf(w, "  note: %s name shortened to fit %d characters: %s (full form %s, %d)\n", s.What, s.Max, s.Name, s.Full, len(s.Full))
	}
}

func problemLine(p config.Problem) string {
	var b strings.Builder
	if p.Line > 0 {
		fmt.Fprintf(&b, "line %d: ", p.Line)
	}
	fmt.Fprintf(&b, "%s: %s", p.Path, p.Message)
	if p.Fix != "" {
		fmt.Fprintf(&b, " (fix: %s)", p.Fix)
	}
	return b.String()
}

// configFilesUnder lists the config files under dir, sorted (the same
// pattern as every --all).
func configFilesUnder(dir string) ([]string, error) { return fleet.ConfigFiles(dir) }
