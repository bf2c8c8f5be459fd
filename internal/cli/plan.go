package cli

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/mlprov/mlprov/internal/iampolicy"
	"github.com/mlprov/mlprov/internal/policycheck"
	"github.com/mlprov/mlprov/internal/provtemplate"
)

// planState carries what one plan step produces for the next.
type planState struct {
	p      *product
	doc    *provtemplate.Document
	policy policycheck.Result
}

// planStep is one action of plan; it returns the file it wrote ("" if none).
type planStep struct {
	action string
	run    func(deps *Deps, g *GlobalOptions, s *planState) (string, error)
	// continues: a failure is reported at the end but later steps still run
	// (a policy violation should still produce the deployer policy and the
	// review report that explains it).
	continues bool
}

// planSteps are the actions plan runs, in order, all offline.
var planSteps = []planStep{
	{"create-prov-template", func(deps *Deps, g *GlobalOptions, s *planState) (string, error) {
		doc, path, err := g.writeTemplate(s.p)
		s.doc = doc
		return path, err
	}, false},
	{"validate-prov-template", func(deps *Deps, g *GlobalOptions, s *planState) (string, error) {
		s.policy = policycheck.Check(s.doc, deps.Now())
		if !s.policy.Passed() {
			policycheck.WriteText(deps.Err, s.policy)
		}
		return "", policyExit(s.policy)
	}, true},
	{"create-policy", func(deps *Deps, g *GlobalOptions, s *planState) (string, error) {
		docs, err := iampolicy.Generate(s.doc)
		if err != nil {
			return "", err
		}
		paths, err := iampolicy.WriteFiles(g.Workdir, s.p.names, docs)
		if err != nil {
			return "", err
		}
		return strings.Join(paths, ", "), nil
	}, false},
	// Last: the report shows what every earlier step produced.
	{"create-review-report", func(deps *Deps, g *GlobalOptions, s *planState) (string, error) {
		written, _, err := writeReviewReport(deps, g, s.p, s.doc, s.policy)
		if err != nil {
			return "", err
		}
		return written[0], nil
	}, false},
}

// planStepResult is one line of the plan summary (and its JSON shape).
type planStepResult struct {
	Action   string `json:"action"`
	OK       bool   `json:"ok"`
	Wrote    string `json:"wrote,omitempty"`
	Duration string `json:"duration"`
	Error    string `json:"error,omitempty"`
}

func newPlanCommand(deps *Deps, g *GlobalOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "plan",
		Short: "The first command to run: validate, render, policy-check, deployer policy and review report, offline",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runPlan(deps, g)
		},
	}
}

func runPlan(deps *Deps, g *GlobalOptions) error {
	start := deps.Now()
	p, err := g.loadProduct()
	results := []planStepResult{{Action: "validate-config", OK: err == nil, Duration: since(deps, start)}}
	if err != nil {
		results[0].Error = err.Error()
		printPlan(deps, g, nil, results)
		return err
	}
	s := &planState{p: p}
	var failed error
	for _, step := range planSteps {
		t := deps.Now()
		path, err := step.run(deps, g, s)
		r := planStepResult{Action: step.action, OK: err == nil, Wrote: path, Duration: since(deps, t)}
		if err != nil {
			r.Error = err.Error()
			if failed == nil {
				failed = err
			}
		}
		results = append(results, r)
		if err != nil && !step.continues {
			break
		}
	}
	printPlan(deps, g, p, results)
	if failed != nil {
		return silentExit(exitCode(failed))
	}
	return nil
}

func since(deps *Deps, t time.Time) string { return deps.Now().Sub(t).Round(time.Millisecond).String() }

func printPlan(deps *Deps, g *GlobalOptions, p *product, results []planStepResult) {
	if g.jsonOutput() {
		out := map[string]any{"steps": results}
		if p != nil {
			out["mlName"], out["scenario"], out["tier"] = p.names.MLName, p.names.Scenario, p.cfg.MLProduct.Tier
		}
		writeJSON(deps.Out, out)
		return
	}
	if p != nil {
		fmt.Fprintf(deps.Out, "plan %s (%s, %s)\n", p.names.MLName, p.cfg.MLProduct.Tier, p.names.Scenario)
	}
	for _, r := range results {
		status := "ok  "
		if !r.OK {
			status = "FAIL"
		}
		fmt.Fprintf(deps.Out, "  %s %-22s %8s", status, r.Action, r.Duration)
		if r.Wrote != "" {
			fmt.Fprintf(deps.Out, "  wrote %s", r.Wrote)
		}
		fmt.Fprintln(deps.Out)
		if r.Error != "" {
			fmt.Fprintf(deps.Out, "       %s\n", r.Error)
		}
	}
}
