package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/mlprov/mlprov/internal/atomicfile"
	"github.com/mlprov/mlprov/internal/fleet"
	"github.com/mlprov/mlprov/internal/policycheck"
)

// fleetOptions are the flags that run an action over many products.
type fleetOptions struct {
	all      string // --all DIR
	parallel int    // --parallel N
	shard    string // --shard I/N
	sarif    string // --sarif FILE, for the actions that judge policy: one file for the whole fleet
}

func bindFleetFlags(cmd *cobra.Command, o *fleetOptions) {
	f := cmd.Flags()
	f.StringVar(&o.all, "all", "", "run for every config under DIR instead of --config ("+fleet.ConfigPattern+")")
	f.IntVar(&o.parallel, "parallel", fleet.DefaultParallel(), "with --all: how many products run at once (default: one per CPU)")
	f.StringVar(&o.shard, "shard", "", "with --all: run only shard I of N (I/N, partitioned by stack name), one per CI runner")
}

// active reports whether the command was asked to run as a fleet; run then
// checks the flags fit together.
func (o *fleetOptions) active(cmd *cobra.Command) bool {
	return o.all != "" || cmd.Flags().Changed("parallel") || cmd.Flags().Changed("shard")
}

// fleetAction is one command as the fleet runs it per product.
type fleetAction struct {
	name string
	// run runs the command for one product (g.ConfigRef is the product's
	// config and g.Output is json).
	run func(deps *Deps, g *GlobalOptions) error
	// read takes what the fleet summary needs from the command's JSON
	// output into p; it returns the policy verdict when the command has one.
	read func(out []byte, p *fleet.Product) (*policycheck.Result, error)
	// engine: the action works on the deployed stack, so each stack may
	// appear once in the fleet.
	engine bool
}

// exitStatuses maps each exit code to a fleet status (ExitChanges depends on
// the action: drift for check-drift, changes otherwise).
var exitStatuses = map[int]fleet.Status{
	ExitOK: fleet.StatusOK, ExitError: fleet.StatusError, ExitUsage: fleet.StatusUsage,
	ExitInvalidConfig: fleet.StatusInvalidConfig, ExitPolicyViolation: fleet.StatusViolation,
	ExitChanges: fleet.StatusChanges, ExitLocked: fleet.StatusLocked, ExitInterrupted: fleet.StatusInterrupted,
}

func fleetStatus(action string, code int) fleet.Status {
	if code == ExitChanges && action == checkDriftAction {
		return fleet.StatusDrift
	}
	if s, ok := exitStatuses[code]; ok {
		return s
	}
	return fleet.StatusError
}

const checkDriftAction = "check-drift"

// run runs the action over the fleet and prints the summary; the exit code
// is the most severe product's.
func (o *fleetOptions) run(deps *Deps, g *GlobalOptions, a fleetAction) error {
	if err := o.validate(g); err != nil {
		return withCode(ExitUsage, err)
	}
	shard, err := fleet.ParseShard(o.shard)
	if err != nil {
		return withCode(ExitUsage, err)
	}
	entries, err := fleet.Discover(o.all, shard)
	if err != nil {
		return withCode(ExitUsage, err)
	}
	started := deps.Now()
	progress := fleet.NewProgress(deps.Err, isTerminal(deps.Err), len(entries))
	verdicts := &fleetVerdicts{byConfig: map[string]policycheck.Result{}}
	products := fleet.Run(deps.Context, entries, o.parallel, progress, func(ctx context.Context, e fleet.Entry) fleet.Product {
		return runFleetProduct(ctx, deps, g, a, e, verdicts)
	})
	summary := fleet.NewSummary(a.name, o.all, shard, o.parallel, started, deps.Now().Sub(started), products)
	htmlPath, jsonPath := fleet.ReportPaths(g.Workdir, a.name, shard)
	if err := summary.WriteReports(htmlPath, jsonPath); err != nil {
		return err
	}
	g.audit.wrote(htmlPath, jsonPath)
	if o.sarif != "" {
		if err := verdicts.writeSARIF(o.sarif, entries); err != nil {
			return err
		}
		g.audit.wrote(o.sarif)
	}
	if g.jsonOutput() {
		if err := summary.WriteJSON(deps.Out); err != nil {
			return err
		}
	} else {
		if err := summary.WriteTable(deps.Out); err != nil {
			return err
		}
		fmt.Fprintf(deps.Out, "fleet report: %s\n", htmlPath)
	}
	if summary.ExitCode != ExitOK {
		return silentExit(summary.ExitCode)
	}
	return nil
}

func (o *fleetOptions) validate(g *GlobalOptions) error {
	switch {
	case o.all == "":
		return errors.New("--parallel and --shard need --all DIR")
	case g.ConfigRef != "":
		return errors.New("use either --config or --all, not both")
	case o.parallel < 1:
		return fmt.Errorf("--parallel %d: want at least 1", o.parallel)
	}
	return nil
}

// runFleetProduct runs the action for one product with its own output
// buffers and options, so products never share state, and turns the outcome
// into the product's line. A panic is that product's error, not the fleet's.
func runFleetProduct(ctx context.Context, deps *Deps, g *GlobalOptions, a fleetAction, e fleet.Entry, verdicts *fleetVerdicts) (p fleet.Product) {
	started := deps.Now()
	p = fleet.Product{Config: e.Config, Stack: e.Stack, Tier: e.Tier, Scenario: e.Scenario}
	defer func() { p.DurationMS = deps.Now().Sub(started).Milliseconds() }()

	var err error
	var out bytes.Buffer
	switch {
	case a.engine && e.DuplicateOf != "":
		err = withCode(ExitInvalidConfig, fmt.Errorf("%s deploys the same stack %s: keep one config per deployed product in the folder", e.DuplicateOf, e.Stack))
	case ctx.Err() != nil:
		err = withCode(ExitInterrupted, fmt.Errorf("not started: %w", ctx.Err()))
	default:
		pd := *deps
		pd.Out, pd.Err, pd.Context, pd.Audit = &out, io.Discard, ctx, false
		pg := *g
		pg.ConfigRef, pg.Output, pg.audit = e.Config, outputJSON, auditTrail{}
		err = runRecovered(a.run, &pd, &pg)
		p.Report = firstHTML(pg.audit.files)
	}
	p.ExitCode = exitCode(err)
	p.Status = fleetStatus(a.name, p.ExitCode)
	if out.Len() > 0 {
		verdict, readErr := a.read(out.Bytes(), &p)
		if readErr != nil && err == nil {
			err = fmt.Errorf("read %s output: %w", a.name, readErr)
			p.ExitCode, p.Status = ExitError, fleet.StatusError
		}
		if verdict != nil {
			verdicts.add(e.Config, *verdict)
		}
	}
	if err != nil && err.Error() != "" && !isSilent(err) {
		p.Error = err.Error()
		p.Summary, _, _ = strings.Cut(p.Error, "\n")
	}
	if p.Summary == "" {
		p.Summary = string(p.Status)
	}
	return p
}

// runRecovered runs one product's command, turning a panic into its error.
func runRecovered(run func(*Deps, *GlobalOptions) error, deps *Deps, g *GlobalOptions) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("internal error (please report): %v", r)
		}
	}()
	return run(deps, g)
}

// isSilent reports an exit status whose message was already printed.
func isSilent(err error) bool {
	var ce *CodedError
	return errors.As(err, &ce) && ce.Err == nil
}

func firstHTML(files []string) string {
	for _, f := range files {
		if strings.HasSuffix(f, ".html") {
			return f
		}
	}
	return ""
}

// fleetVerdicts collects each product's policy verdict for the fleet SARIF.
type fleetVerdicts struct {
	mu       sync.Mutex
	byConfig map[string]policycheck.Result
}

func (v *fleetVerdicts) add(config string, r policycheck.Result) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.byConfig[config] = r
}

// writeSARIF writes one SARIF run for the fleet, in the fleet's order, each
// result pointing at the product's config file (the file a pull request
// changes).
func (v *fleetVerdicts) writeSARIF(path string, entries []fleet.Entry) error {
	var judged []policycheck.Judged
	for _, e := range entries {
		if r, ok := v.byConfig[e.Config]; ok {
			judged = append(judged, policycheck.Judged{Result: r, Path: e.Config})
		}
	}
	return atomicfile.Write(path, 0o644, func(w io.Writer) error { return policycheck.WriteSARIFAll(w, judged) })
}

// readPolicyVerdict fills a product's line from a policy verdict.
func readPolicyVerdict(r *policycheck.Result, p *fleet.Product) *policycheck.Result {
	if r == nil {
		return nil
	}
	p.Violations = r.Mandatory
	p.Summary = policycheck.Summary(*r)
	return r
}

// readShowChanges reads show-changes' JSON output.
func readShowChanges(out []byte, p *fleet.Product) (*policycheck.Result, error) {
	var doc struct {
		ChangeCount int `json:"changeCount"`
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		return nil, err
	}
	p.Changes = doc.ChangeCount
	p.Summary = fmt.Sprintf("%d change(s)", doc.ChangeCount)
	return nil, nil
}

// readCheckDrift reads check-drift's JSON document (one row per drifted
// property, as in the drift report).
func readCheckDrift(out []byte, p *fleet.Product) (*policycheck.Result, error) {
	var doc CheckDriftOutput
	if err := json.Unmarshal(out, &doc); err != nil {
		return nil, err
	}
	resources := map[string]bool{}
	for _, d := range doc.Drifts {
		resources[d.URN] = true
	}
	p.Drifted = len(resources)
	p.Summary = fmt.Sprintf("%d drifted resource(s) in %d checked", p.Drifted, doc.Checked)
	if t := doc.ComplianceTrail; t != nil && !t.Delivering {
		p.Summary += "; no trail delivers to " + t.LogGroup
	}
	return nil, nil
}
