package cli

import (
	"bytes"
	"os"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func TestTranslateLegacyArgs(t *testing.T) {
	actions := map[string]bool{"plan": true, "deploy-product": true, "validate-config": true}
	cases := []struct {
		in, want []string
	}{
		{[]string{"-con", "a.yaml", "-act", "plan"}, []string{"plan", "--config", "a.yaml"}},
		{[]string{"-act", "deploy-product", "-con", "a.yaml", "--force"}, []string{"deploy-product", "--config", "a.yaml", "--force"}},
		{[]string{"--config", "a.yaml", "--action", "plan"}, []string{"plan", "--config", "a.yaml"}},
		{[]string{"--con=a.yaml", "--act=plan"}, []string{"plan", "--config", "a.yaml"}},
		{[]string{"plan", "--config", "a.yaml"}, []string{"plan", "--config", "a.yaml"}},
		{[]string{"validate-config", "--all", "configs"}, []string{"validate-config", "--all", "configs"}},
	}
	for _, c := range cases {
		if got := TranslateLegacyArgs(c.in, actions); !reflect.DeepEqual(got, c.want) {
			t.Errorf("TranslateLegacyArgs(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// run executes mlprov in-process and returns exit code, stdout and stderr.
func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(args, Deps{Out: &out, Err: &errb})
	return code, out.String(), errb.String()
}

func TestUsageErrors(t *testing.T) {
	if code, _, errs := run(t, "no-such-action"); code != ExitUsage || !strings.Contains(errs, "unknown action") {
		t.Errorf("unknown action: code %d, stderr %q", code, errs)
	}
	if code, _, errs := run(t, "create-prov-template"); code != ExitUsage || !strings.Contains(errs, "--config FILE is required") {
		t.Errorf("missing --config: code %d, stderr %q", code, errs)
	}
	if code, _, errs := run(t, "plan", "--config", "does-not-exist"); code != ExitUsage || !strings.Contains(errs, `config "does-not-exist" not found`) {
		t.Errorf("missing file: code %d, stderr %q", code, errs)
	}
	if code, _, _ := run(t, "exit-codes", "--output", "yaml"); code != ExitUsage {
		t.Errorf("bad --output: code %d", code)
	}
}

// The README's exit-code table and ExitCodes must agree.
func TestREADMEExitCodeTableMatches(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	rows := regexp.MustCompile("(?m)^\\| (\\d+) \\| (.+) \\|$").FindAllStringSubmatch(string(b), -1)
	if len(rows) != len(ExitCodes) {
		t.Fatalf("README lists %d exit codes, the code %d", len(rows), len(ExitCodes))
	}
	for i, r := range rows {
		code, _ := strconv.Atoi(r[1])
		if code != ExitCodes[i].Code || strings.ReplaceAll(r[2], "`", "") != ExitCodes[i].Meaning {
			t.Errorf("README row %d = %s %q, code table = %d %q", i, r[1], r[2], ExitCodes[i].Code, ExitCodes[i].Meaning)
		}
	}
}

// The old tool's scripts must not "succeed" when the action is missing or
// misspelled: exit 2 with a single usage line on stderr, nothing on stdout.
func TestLegacyFormWithoutValidActionIsAUsageError(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"-con", "configs/x.yaml"}, "no action given"},
		{[]string{"--config", "configs/x.yaml"}, "no action given"},
		{[]string{"-con", "configs/x.yaml", "-act", "deploy"}, `unknown action "deploy"`},
		{[]string{"-act", "create-polcy", "-con", "x.yaml"}, `unknown action "create-polcy"`},
		{[]string{"no-such-action"}, `unknown action "no-such-action"`},
	}
	for _, c := range cases {
		code, out, errs := run(t, c.args...)
		if code != ExitUsage {
			t.Errorf("%q: exit %d, want %d", c.args, code, ExitUsage)
		}
		if out != "" {
			t.Errorf("%q: wrote to stdout: %q", c.args, out)
		}
		if strings.Count(errs, "\n") != 1 || !strings.Contains(errs, c.want) || !strings.Contains(errs, "-act ACTION") || !strings.Contains(errs, "create-policy") {
			t.Errorf("%q: stderr is not one usage line naming the problem %q: %q", c.args, c.want, errs)
		}
	}
	if code, out, _ := run(t); code != ExitOK || !strings.Contains(out, "Usage:") {
		t.Errorf("bare mlprov: exit %d, want help and 0", code)
	}
	if code, _, _ := run(t, "--help"); code != ExitOK {
		t.Errorf("--help: exit %d", code)
	}
}
