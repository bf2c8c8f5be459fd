package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/mlprov/mlprov/internal/atomicfile"
	"github.com/mlprov/mlprov/internal/fleet"
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

type planOptions struct {
	sarif string // --sarif FILE: also write the policy verdict as SARIF 2.1.0
	fleet fleetOptions
}

func newPlanCommand(deps *Deps, g *GlobalOptions) *cobra.Command {
	o := &planOptions{}
	cmd := &cobra.Command{
		Use:   "plan",
		Short: "The first command to run: validate, render, policy-check, deployer policy and review report, offline",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if o.fleet.active(cmd) {
				o.fleet.sarif = o.sarif
				return o.fleet.run(deps, g, fleetAction{name: "plan", run: func(d *Deps, pg *GlobalOptions) error {
					return runPlan(d, pg, &planOptions{})
				}, read: readPlan})
			}
			return runPlan(deps, g, o)
		},
	}
	cmd.Flags().StringVar(&o.sarif, "sarif", "", "also write the policy verdict as SARIF 2.1.0 to this file (with --all: one file for every product)")
	bindFleetFlags(cmd, &o.fleet)
	return cmd
}

// planOutput is plan's --output json document.
type planOutput struct {
	MLName   string              `json:"mlName,omitempty"`
	Scenario string              `json:"scenario,omitempty"`
	Tier     string              `json:"tier,omitempty"`
	Steps    []planStepResult    `json:"steps"`
	Policy   *policycheck.Result `json:"policy,omitempty"`
}

// readPlan reads plan's JSON output for the fleet summary: the policy
// verdict, else the first failed step.
func readPlan(out []byte, p *fleet.Product) (*policycheck.Result, error) {
	var doc planOutput
	if err := json.Unmarshal(out, &doc); err != nil {
		return nil, err
	}
	for _, step := range doc.Steps {
		if !step.OK && step.Action != "validate-prov-template" {
			p.Summary = step.Action + ": " + step.Error
			break
		}
	}
	verdict := readPolicyVerdict(doc.Policy, p)
	if doc.Policy != nil && p.Summary == "" {
		p.Summary = policycheck.Summary(*doc.Policy)
	}
	return verdict, nil
}

func runPlan(deps *Deps, g *GlobalOptions, o *planOptions) error {
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
	printPlan(deps, g, s, results)
	if o.sarif != "" && s.doc != nil {
		err := atomicfile.Write(o.sarif, 0o644, func(w io.Writer) error { return policycheck.WriteSARIF(w, s.policy, g.path(p.names.TemplateFile())) })
		if err != nil {
			return err
		}
		g.audit.wrote(o.sarif)
	}
	if failed != nil {
		return silentExit(exitCode(failed))
	}
	return nil
}

func since(deps *Deps, t time.Time) string { return deps.Now().Sub(t).Round(time.Millisecond).String() }

// printPlan prints the summary; s is nil when the config did not load.
func printPlan(deps *Deps, g *GlobalOptions, s *planState, results []planStepResult) {
	if g.jsonOutput() {
		out := planOutput{Steps: results}
		if s != nil {
			out.MLName, out.Scenario, out.Tier = s.p.names.MLName, s.p.names.Scenario, string(s.p.cfg.MLProduct.Tier)
			if s.doc != nil {
				out.Policy = &s.policy
			}
		}
		writeJSON(deps.Out, out)
		return
	}
	if s != nil {
		p := s.p
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
