package policycheck

import (
	"encoding/json"
	"io"

	"github.com/mlprov/mlprov/policy-pack/rules"
)

// SARIF 2.1.0, the subset GitHub code scanning reads.
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool    sarifTool     `json:"tool"`
		Results []sarifResult `json:"results"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name           string      `json:"name"`
		InformationURI string      `json:"informationUri,omitempty"`
		Rules          []sarifRule `json:"rules"`
	}
	sarifText struct {
		Text     string `json:"text"`
		Markdown string `json:"markdown,omitempty"`
	}
	sarifRule struct {
		ID                   string         `json:"id"`
		Name                 string         `json:"name"`
		ShortDescription     sarifText      `json:"shortDescription"`
		FullDescription      sarifText      `json:"fullDescription"`
		Help                 sarifText      `json:"help"`
		DefaultConfiguration sarifConfig    `json:"defaultConfiguration"`
		Properties           map[string]any `json:"properties"`
	}
	sarifConfig struct {
		Level string `json:"level"`
	}
	sarifResult struct {
		RuleID       string             `json:"ruleId"`
		RuleIndex    int                `json:"ruleIndex"`
		Level        string             `json:"level"`
		Message      sarifText          `json:"message"`
		Locations    []sarifLocation    `json:"locations"`
		Suppressions []sarifSuppression `json:"suppressions,omitempty"`
	}
	sarifLocation struct {
		PhysicalLocation sarifPhysical  `json:"physicalLocation"`
		LogicalLocations []sarifLogical `json:"logicalLocations,omitempty"`
	}
	sarifPhysical struct {
		ArtifactLocation sarifArtifact `json:"artifactLocation"`
		Region           sarifRegion   `json:"region"`
	}
	sarifArtifact struct {
		URI string `json:"uri"`
	}
	sarifRegion struct {
		StartLine int `json:"startLine"`
	}
	sarifLogical struct {
		Name               string `json:"name"`
		FullyQualifiedName string `json:"fullyQualifiedName"`
		Kind               string `json:"kind"`
	}
	sarifSuppression struct {
		Kind          string `json:"kind"`
		Justification string `json:"justification"`
	}
)

// structureRuleID reports template structure problems in SARIF.
const structureRuleID = "MLP-TPL-000"

// securitySeverity is GitHub's numeric severity scale (security-severity).
var securitySeverity = map[rules.Severity]string{
	rules.SeverityLow: "3.0", rules.SeverityMedium: "5.5", rules.SeverityHigh: "8.0", rules.SeverityCritical: "9.5",
}

// WriteSARIF writes the result as SARIF 2.1.0 for GitHub code scanning;
// templatePath is the template file the results point at.
func WriteSARIF(w io.Writer, r Result, templatePath string) error {
	return WriteSARIFAll(w, []Judged{{Result: r, Path: templatePath}})
}

// Judged is one product's verdict and the file its SARIF results point at.
type Judged struct {
	Result Result
	Path   string
}

// WriteSARIFAll writes the verdicts of many products as one SARIF 2.1.0 run
// (code scanning accepts one run per tool and category in an upload).
func WriteSARIFAll(w io.Writer, judged []Judged) error {
	catalogue := rules.All()
	index := map[string]int{}
	driver := sarifDriver{Name: rules.PackName}
	for i, rule := range catalogue {
		index[rule.ID] = i
		driver.Rules = append(driver.Rules, sarifRule{
			ID:                   rule.ID,
			Name:                 rule.Name,
			ShortDescription:     sarifText{Text: rule.Name},
			FullDescription:      sarifText{Text: rule.Description},
			Help:                 sarifText{Text: rule.Description + " Remediation: " + rule.Remediation, Markdown: "**" + rule.ID + "** " + rule.Description + "\n\n**Remediation:** " + rule.Remediation},
			DefaultConfiguration: sarifConfig{Level: level(rule.Enforcement)},
			Properties: map[string]any{
				"tags": append([]string{"security", "iac", "pulumi"}, rule.Peers.All()...), "peers": rule.Peers,
				"security-severity": securitySeverity[rule.Severity], "enforcement": rule.Enforcement,
			},
		})
	}
	index[structureRuleID] = len(driver.Rules)
	driver.Rules = append(driver.Rules, sarifRule{
		ID: structureRuleID, Name: "template-structure",
		ShortDescription:     sarifText{Text: "template-structure"},
		FullDescription:      sarifText{Text: "The provisioning template is well formed: format version, unique URNs, existing parents and dependencies, typed custom resources, SSM outputs under /ml/{ml_name}/."},
		Help:                 sarifText{Text: "Re-render the template with create-prov-template."},
		DefaultConfiguration: sarifConfig{Level: "error"},
		Properties:           map[string]any{"tags": []string{"iac"}},
	})

	results := []sarifResult{}
	for _, j := range judged {
		results = append(results, sarifResults(j.Result, j.Path, index)...)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(sarifLog{
		Schema:  "https://json.schemastore.org/sarif-2.1.0.json",
		Version: "2.1.0",
		Runs:    []sarifRun{{Tool: sarifTool{Driver: driver}, Results: results}},
	})
}

// sarifResults are one product's results, pointing at path.
func sarifResults(r Result, path string, index map[string]int) []sarifResult {
	file := sarifPhysical{ArtifactLocation: sarifArtifact{URI: path}, Region: sarifRegion{StartLine: 1}}
	results := []sarifResult{}
	for _, s := range r.Structural {
		results = append(results, sarifResult{RuleID: structureRuleID, RuleIndex: index[structureRuleID], Level: "error", Message: sarifText{Text: s}, Locations: []sarifLocation{{PhysicalLocation: file}}})
	}
	for _, f := range r.Findings {
		fqn := f.URN
		if fqn == "" {
			fqn = f.LogicalName
		}
		res := sarifResult{
			RuleID: f.RuleID, RuleIndex: index[f.RuleID], Level: level(f.Enforcement),
			Message: sarifText{Text: f.LogicalName + ": " + f.Message + " Remediation: " + f.Remediation},
			Locations: []sarifLocation{{PhysicalLocation: file, LogicalLocations: []sarifLogical{{
				Name: f.LogicalName, FullyQualifiedName: fqn, Kind: "resource",
			}}}},
		}
		switch f.Status {
		case rules.StatusUnknown:
			res.Level = "note"
		case rules.StatusWaived:
			res.Suppressions = []sarifSuppression{{Kind: "external", Justification: f.WaivedBy}}
		}
		results = append(results, res)
	}
	return results
}

func level(e rules.Enforcement) string {
	if e == rules.Mandatory {
		return "error"
	}
	return "warning"
}
