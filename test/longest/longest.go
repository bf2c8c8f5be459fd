// Package longest generates the longest configs validate-config accepts, one
// per tier and source (and network scenario on enterprise), so tests can show
// that the biggest names still render into resources AWS accepts. Test
// infrastructure only.
package longest

import (
	"fmt"
	"strings"

	"github.com/mlprov/mlprov/internal/config"
	"github.com/mlprov/mlprov/internal/naming"
	"github.com/mlprov/mlprov/internal/provtemplate"
	"github.com/mlprov/mlprov/internal/render"
	"github.com/mlprov/mlprov/stacks"
)

// Config is one generated config and what it stands for.
type Config struct {
	Label string
	YAML  string
	*config.Config
}

// maxTokenLength bounds the search; kebab tokens longer than this never occur.
const maxTokenLength = 120

// longestRegion is the longest region code validate-config accepts.
func longestRegion() string {
	best := ""
	for _, r := range config.Regions {
		if len(r) > len(best) {
			best = r
		}
	}
	return best
}

// template is a config with %[1]s for use_case and %[2]s for the region.
func template(tier, source, network string) string {
	var b strings.Builder
	b.WriteString(`client:
  company_name: Longest Names Incorporated
  company_prefix: abcdefghijklmnop
  account_id: "123456789012"
  tenant_id: z999
environment:
  env: staging
  region: %[2]s
ml_product:
  tier: ` + tier + `
  use_case: %[1]s
  source_control: ` + source + "\n")
	switch source {
	case "s3":
		b.WriteString("  s3_prefix: abcdefghijklmnopqrstuvwxyz-source-bucket-0123456789abcdef/models/churn/v1\n")
	case "codeconnections":
		b.WriteString(`  repository:
    provider: Bitbucket
    build: longest-owner-name/longest-model-build-repository
    deploy: longest-owner-name/longest-model-deploy-repository
    branch: release/main
`)
	}
	if tier != "starter" {
		b.WriteString("  alerts_email: ml-alerts@longest-names.example.com\n  log_retention_days: 3653\n")
	}
	if tier == "enterprise" {
		b.WriteString(network)
	}
	b.WriteString(`tags:
  cost_center: "` + strings.Repeat("9", config.MaxTagValueLength) + `"
  ` + strings.Repeat("k", config.MaxTagKeyLength) + `: v
`)
	return b.String()
}

// networks are the enterprise network sections: every mode and VPC source.
var networks = map[string]string{
	"standalone-direct": `  network:
    mode: standalone
    vpc_source: direct
    vpc_id: vpc-0123456789abcdef0
    subnet_ids: [subnet-0123456789abcdef0, subnet-0123456789abcdef1, subnet-0123456789abcdef2]
    route_table_ids: [rtb-0123456789abcdef0, rtb-0123456789abcdef1]
    extra_endpoints: [logs, kms, ecr.api, ecr.dkr]
`,
	"sgprov-ssm": `  network:
    mode: sgprov
    vpc_source: ssm
    extra_endpoints: [logs, kms, ecr.api, ecr.dkr]
`,
}

// Configs returns, for every tier and source (and enterprise network
// scenario), the config with the longest use_case validate-config accepts.
func Configs() ([]Config, error) {
	var out []Config
	for _, tier := range []string{"starter", "professional", "enterprise"} {
		for _, source := range []string{"codecommit", "s3", "codeconnections"} {
			nets := map[string]string{"": ""}
			if tier == "enterprise" {
				nets = networks
			}
			for label, network := range nets {
				c, err := longestOf(template(tier, source, network))
				if err != nil {
					return nil, fmt.Errorf("%s %s %s: %w", tier, source, label, err)
				}
				c.Label = strings.TrimSuffix(tier+"-"+source+"-"+label, "-")
				out = append(out, c)
			}
		}
	}
	return out, nil
}

// longestOf grows use_case until the config stops validating.
func longestOf(tmpl string) (Config, error) {
	var best Config
	var last error
	for n := 1; n <= maxTokenLength; n++ {
		text := fmt.Sprintf(tmpl, useCase(n), longestRegion())
		cfg, err := config.Parse("longest.yaml", []byte(text))
		if err != nil {
			last = err
			break
		}
		best = Config{YAML: text, Config: cfg}
	}
	if best.Config == nil {
		return best, fmt.Errorf("no use_case length validates: %w", last)
	}
	return best, nil
}

// useCase is a kebab-case token of n characters.
func useCase(n int) string {
	b := []byte(strings.Repeat("u", n))
	for i := 5; i < n-1; i += 6 {
		b[i] = '-'
	}
	return string(b)
}

// Deployments renders cfg offline as the product and as a test deployment
// (whose names can be longer), the two shapes validate-config checks.
func Deployments(cfg *config.Config) (map[string]*provtemplate.Document, error) {
	out := map[string]*provtemplate.Document{}
	for _, testID := range []string{"", naming.LongestTestID} {
		names := naming.For(cfg)
		if testID != "" {
			names = naming.ForTest(cfg, testID)
		}
		doc, err := render.Product(cfg, names, stacks.ProgramWithOptions(cfg, stacks.Options{TestID: testID}))
		if err != nil {
			return nil, err
		}
		out[names.StackName] = doc
	}
	return out, nil
}
