package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/mlprov/mlprov/internal/config"
	"github.com/mlprov/mlprov/policy-pack/rules"
)

// AnalyzerName is the policy pack's analyzer executable (`make build` puts it
// in bin/). Its name is also the one the Pulumi CLI looks for on PATH when a
// user loads the `runtime: go` pack folder without a language host.
const AnalyzerName = "pulumi-analyzer-policy-go"

// handshakeTimeout bounds the analyzer's identity answer.
const handshakeTimeout = 20 * time.Second

// FindAnalyzer returns the path of mlprov's own analyzer: the first
// pulumi-analyzer-policy-go among the candidates that answers the identity
// handshake with this build's rules.Identity. mlprov hands that path to the
// CLI as --policy-pack: the CLI then starts the executable directly, in every
// CLI layout (alone, with pulumi-language-go beside it, on PATH), never
// compiling anything.
func FindAnalyzer(getenv func(string) string) (string, error) {
	want := rules.Identity()
	var foreign []string
	for _, path := range candidates(getenv, AnalyzerName) {
		if !isFile(path) {
			continue
		}
		got, err := analyzerIdentity(path)
		if err == nil && got == want {
			return path, nil
		}
		if err != nil {
			foreign = append(foreign, fmt.Sprintf("%s does not answer mlprov's handshake (%v)", path, err))
		} else {
			foreign = append(foreign, fmt.Sprintf("%s is not this mlprov's analyzer (it is %q, want %q)", path, got, want))
		}
	}
	msg := fmt.Sprintf("no policy pack analyzer %s of this mlprov found (looked in $%s/bin, next to mlprov, and on PATH): run `make build`", AnalyzerName, EnvPulumiRoot)
	if len(foreign) > 0 {
		msg += "; not usable: " + strings.Join(foreign, "; ")
	}
	return "", fmt.Errorf("%s", msg)
}

// analyzerIdentity runs the analyzer's handshake flag.
func analyzerIdentity(path string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), handshakeTimeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, path, rules.IdentityFlag).Output()
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(out)), nil
}

// writePolicyConfig writes the pack's config for this operation: the config's
// waivers, which the pack's Configure reads from the waiver policy.
func (o *operation) writePolicyConfig(suppressions []config.Suppression) error {
	waivers := make([]rules.Waiver, 0, len(suppressions))
	for _, s := range suppressions {
		waivers = append(waivers, rules.Waiver{Rule: s.Rule, Resource: s.Resource, Reason: s.Reason, Owner: s.Owner, Expires: s.Expires})
	}
	b, err := json.Marshal(map[string]rules.PackConfig{rules.WaiverConfigPolicy: {Waivers: waivers}})
	if err != nil {
		return err
	}
	o.packConfig = filepath.Join(o.dir, "policy-config.json")
	return os.WriteFile(o.packConfig, b, 0o644)
}
