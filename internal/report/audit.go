package report

import (
	"fmt"
	"os/user"
	"path/filepath"
	"strings"
	"time"

	"github.com/mlprov/mlprov/internal/atomicfile"
	"github.com/mlprov/mlprov/internal/naming"
)

// AuditEnv are the environment variables an audit log records: what decides
// where and as whom mlprov acted. Secret ones are recorded as set, redacted.
var AuditEnv = []string{
	"AWS_PROFILE", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
	"PULUMI_BACKEND_URL", "PULUMI_CONFIG_PASSPHRASE", "PULUMI_ACCESS_TOKEN", "CI",
}

// Identity sources.
const (
	WhoCallerIdentity = "AWS caller identity"
	WhoOSUser         = "OS user"
)

// AuditEntry is one action's audit record.
type AuditEntry struct {
	Started time.Time
	Action  string
	// Who is the caller identity ARN when the engine ran, else the OS user;
	// WhoSource says which.
	Who, WhoSource string
	// Product is "{ml_name} ({scenario})", "" when no config was loaded.
	Product string
	Config  string
	// Args is the command line as given (redacted when written).
	Args    []string
	Workdir string
	// Env holds the AuditEnv variables that were set.
	Env      map[string]string
	Version  string
	ExitCode int
	// Result is the exit code's meaning.
	Result   string
	Error    string
	Duration time.Duration
	// Wrote lists the files the action wrote.
	Wrote []string
}

// AuditTimestamp is the {timestamp} of an audit log's file name:
// UTC, sortable, to the millisecond so two quick runs never collide.
func AuditTimestamp(t time.Time) string {
	return strings.Replace(t.UTC().Format("20060102T150405.000Z"), ".", "", 1)
}

// AuditLogPath is where an action's audit log goes: under the product's
// name when a config was loaded (naming.Names.AuditLogFile), else under
// "mlprov" (validate-config --all, list-products).
func AuditLogPath(workdir string, names *naming.Names, action string, started time.Time) string {
	ts := AuditTimestamp(started)
	if names != nil {
		return filepath.Join(workdir, names.AuditLogFile(action, ts))
	}
	return filepath.Join(workdir, naming.ReportsDir, "mlprov-"+action+"-"+ts+".log")
}

// FormatAuditLog renders the entry as "field: value" lines. The whole text
// goes through Redact, so no credential survives in any field.
func FormatAuditLog(e AuditEntry) string {
	var b strings.Builder
	line := func(k, v string) {
		if v == "" {
			v = "-"
		}
		fmt.Fprintf(&b, "%-9s %s\n", k+":", v)
	}
	b.WriteString("# mlprov audit log\n")
	line("time", e.Started.UTC().Format(time.RFC3339Nano))
	line("action", e.Action)
	line("who", strings.TrimSpace(e.Who+" ("+e.WhoSource+")"))
	line("product", e.Product)
	line("config", e.Config)
	line("command", strings.Join(RedactArgs(e.Args), " "))
	line("workdir", e.Workdir)
	var env []string
	for _, name := range AuditEnv {
		v, ok := e.Env[name]
		if !ok {
			continue
		}
		if IsSecretName(name) {
			v = Redacted
		}
		env = append(env, name+"="+v)
	}
	line("env", strings.Join(env, " "))
	line("version", e.Version)
	line("result", fmt.Sprintf("exit %d (%s)", e.ExitCode, e.Result))
	line("error", e.Error)
	line("duration", e.Duration.Round(time.Millisecond).String())
	line("wrote", strings.Join(e.Wrote, "\n          "))
	return Redact(b.String())
}

// WriteAuditLog writes the entry to path atomically, readable by the owner
// and group only (it names people and accounts).
func WriteAuditLog(path string, e AuditEntry) error {
	return atomicfile.WriteFile(path, []byte(FormatAuditLog(e)), 0o640)
}

// OSUser names the local user: $USER / $LOGNAME via getenv, else the
// account database.
func OSUser(getenv func(string) string) string {
	for _, k := range []string{"USER", "LOGNAME"} {
		if v := getenv(k); v != "" {
			return v
		}
	}
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	return "unknown"
}
