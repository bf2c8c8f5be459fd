package engine

import (
	"encoding/json"
	"os"
	"path/filepath"

	"github.com/mlprov/mlprov/internal/config"
	"github.com/mlprov/mlprov/policy-pack/rules"
)

// policyPackManifest is the pack's PulumiPolicy.yaml. The CLI only needs the
// folder and this file: the analyzer itself is the pulumi-analyzer-policy-go
// binary on PATH, started in this folder. Writing it per operation means the
// binary works without the repository next to it.
const policyPackManifest = "name: " + rules.PackName + `
runtime: go
description: mlprov security and compliance rules.
`

// writePolicyPack writes the pack folder and its config (the config's
// waivers, which the pack's Configure reads from the waiver policy).
func (o *operation) writePolicyPack(suppressions []config.Suppression) error {
	o.packDir = filepath.Join(o.dir, "policy-pack")
	if err := os.Mkdir(o.packDir, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(o.packDir, "PulumiPolicy.yaml"), []byte(policyPackManifest), 0o644); err != nil {
		return err
	}
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
