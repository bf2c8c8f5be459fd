package cli

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/mlprov/mlprov/internal/naming"
	"github.com/mlprov/mlprov/internal/report"
)

// auditTrail collects, while an action runs, what its audit log records
// beyond the command line: the product, the caller identity, the files.
type auditTrail struct {
	names    *naming.Names
	config   string
	identity string // AWS caller identity ARN, set by engine commands
	files    []string
}

func (a *auditTrail) product(p *product) {
	a.names, a.config = &p.names, p.cfg.Path
}

// callerIdentity records who the engine acted as.
func (a *auditTrail) callerIdentity(arn string) { a.identity = arn }

func (a *auditTrail) wrote(paths ...string) { a.files = append(a.files, paths...) }

// unaudited are informational commands that act on nothing.
var unaudited = map[string]bool{"help": true, "completion": true, "exit-codes": true, "__complete": true}

// writeAuditLog records one finished action under ml/reports/. A failure
// to write it is reported on stderr and does not change the exit code.
func writeAuditLog(deps *Deps, g *GlobalOptions, cmd *cobra.Command, args []string, started time.Time, code int, err error) {
	if !deps.Audit || cmd == nil || cmd.Parent() == nil || actedOnNothing(cmd, code) {
		return
	}
	who, source := g.audit.identity, report.WhoCallerIdentity
	if who == "" {
		who, source = report.OSUser(deps.Getenv), report.WhoOSUser
	}
	env := map[string]string{}
	for _, name := range report.AuditEnv {
		if v := deps.Getenv(name); v != "" {
			env[name] = v
		}
	}
	e := report.AuditEntry{
		Started: started, Action: cmd.Name(), Who: who, WhoSource: source, Config: g.audit.config,
		Args: args, Workdir: g.Workdir, Env: env, Version: deps.Version,
		ExitCode: code, Result: exitMeaning(code), Duration: deps.Now().Sub(started), Wrote: g.audit.files,
	}
	if g.audit.names != nil {
		e.Product = g.audit.names.String()
	}
	if err != nil {
		e.Error = err.Error()
	}
	path := report.AuditLogPath(g.Workdir, g.audit.names, cmd.Name(), started)
	if werr := report.WriteAuditLog(path, e); werr != nil {
		fmt.Fprintf(deps.Err, "mlprov: audit log not written: %v\n", werr)
	}
}

// actedOnNothing: informational commands (and their subcommands, such as
// "completion bash"), --help, and a command line mlprov refused before acting
// (usage errors) leave no trace in the work directory.
func actedOnNothing(cmd *cobra.Command, code int) bool {
	for c := cmd; c != nil; c = c.Parent() {
		if unaudited[c.Name()] {
			return true
		}
	}
	help, _ := cmd.Flags().GetBool("help")
	return help || code == ExitUsage
}

// exitMeaning is the exit code's line of the documented table.
func exitMeaning(code int) string {
	for _, c := range ExitCodes {
		if c.Code == code {
			return c.Meaning
		}
	}
	return "unknown"
}
