package cli

import (
	"errors"

	"github.com/mlprov/mlprov/internal/config"
	"github.com/mlprov/mlprov/internal/engine"
	"github.com/mlprov/mlprov/internal/iampolicy"
	"github.com/mlprov/mlprov/internal/policycheck"
	"github.com/mlprov/mlprov/internal/report"
	"github.com/mlprov/mlprov/internal/trailcheck"
	"github.com/mlprov/mlprov/stacks"
)

// The machine output contract: every command's -o json is one of the typed
// documents below. Each starts with schemaVersion and command; the JSON
// Schema of each is internal/cli/schemas/{command}.schema.json. A change
// that removes or renames a field, or changes its type, raises the version;
// adding a field does not. The fleet summary (internal/fleet) counts the
// same way.
const OutputSchemaVersion = 1

// Header opens every JSON document a command prints.
type Header struct {
	SchemaVersion int    `json:"schemaVersion"`
	Command       string `json:"command"`
}

func header(command string) Header {
	return Header{SchemaVersion: OutputSchemaVersion, Command: command}
}

// ProductRef names the product a document is about, with the same field
// names as the reports' product summary.
type ProductRef struct {
	MLName   string `json:"mlName"`
	Tier     string `json:"tier"`
	Scenario string `json:"scenario"`
}

func (p *product) ref() *ProductRef {
	if p == nil {
		return nil
	}
	return &ProductRef{MLName: p.names.MLName, Tier: string(p.cfg.MLProduct.Tier), Scenario: p.names.Scenario}
}

// ValidateConfigOutput is validate-config's document.
type ValidateConfigOutput struct {
	Header
	Results []validationResult `json:"results"`
	Valid   int                `json:"valid"`
	Invalid int                `json:"invalid"`
}

// ExitCodesOutput is exit-codes' document.
type ExitCodesOutput struct {
	Header
	ExitCodes []ExitCodeEntry `json:"exitCodes"`
}

// CreateProvTemplateOutput is create-prov-template's document. Resources
// counts the AWS resources (components excluded), as the text does.
type CreateProvTemplateOutput struct {
	Header
	Product   *ProductRef `json:"product"`
	Wrote     []string    `json:"wrote"`
	Resources int         `json:"resources"`
	Outputs   int         `json:"outputs"`
}

// CreatePolicyOutput is create-policy's document; Changes only with --diff.
type CreatePolicyOutput struct {
	Header
	Product *ProductRef        `json:"product"`
	Wrote   []string           `json:"wrote"`
	Files   []policyFileResult `json:"files"`
	Changes []iampolicy.Change `json:"changes,omitempty"`
}

// CreateReviewReportOutput is create-review-report's document.
type CreateReviewReportOutput struct {
	Header
	Product                 *ProductRef `json:"product"`
	Wrote                   []string    `json:"wrote"`
	PolicyPassed            bool        `json:"policyPassed"`
	EstimatedMonthlyCostUSD float64     `json:"estimatedMonthlyCostUSD"`
}

// ValidateProvTemplateOutput is validate-prov-template's document: the
// policy verdict, with the rule ids and field names of the SARIF file.
type ValidateProvTemplateOutput struct {
	Header
	Template string `json:"template"`
	Passed   bool   `json:"passed"`
	policycheck.Result
}

// PlanOutput is plan's document. Product is absent when the config did not
// load; then the validate-config step lists the problems.
type PlanOutput struct {
	Header
	Product *ProductRef      `json:"product,omitempty"`
	Passed  bool             `json:"passed"`
	Steps   []planStepResult `json:"steps"`
	// Policy is the verdict once the template was rendered.
	Policy *policycheck.Result `json:"policy,omitempty"`
}

// ShowProductOutput is show-product's document.
type ShowProductOutput struct {
	Header
	productView
}

// ListProductsOutput is list-products' document; Deployed only when a
// backend was asked.
type ListProductsOutput struct {
	Header
	Blueprints []BlueprintOutput     `json:"blueprints"`
	Deployed   []engine.StackSummary `json:"deployed,omitempty"`
}

// BlueprintOutput is what one tier creates.
type BlueprintOutput struct {
	Tier    string   `json:"tier"`
	Creates []string `json:"creates"`
}

func blueprintOutputs(bs []stacks.Blueprint) []BlueprintOutput {
	out := make([]BlueprintOutput, len(bs))
	for i, b := range bs {
		out[i] = BlueprintOutput{Tier: string(b.Tier), Creates: b.Creates}
	}
	return out
}

// problemsOf returns the structured problems of a config error.
func problemsOf(err error) []config.Problem {
	var ve *config.ValidationError
	if errors.As(err, &ve) {
		return ve.Problems
	}
	return nil
}

// EngineResultOutput is the document of show-changes, deploy-product and
// delete-product: the engine's result and its change count; deploy-product
// adds what waits on a person and its report, delete-product Removed.
type EngineResultOutput struct {
	Header
	*engine.Result
	ChangeCount          int                          `json:"changeCount"`
	PendingConfirmations []report.PendingConfirmation `json:"pendingConfirmations,omitempty"`
	Report               string                       `json:"report,omitempty"`
	Removed              bool                         `json:"removed,omitempty"`
	// Kept are what delete-product left in AWS on purpose: shared VPC
	// infrastructure other workloads may use.
	Kept []KeptResource `json:"kept,omitempty"`
}

// KeptResource is a resource a delete left in AWS, with the command that
// removes it once nothing uses it.
type KeptResource struct {
	Type   string `json:"type"`
	ID     string `json:"id"`
	Remove string `json:"remove"`
}

// TestDeployOutput is test-deploy's document.
type TestDeployOutput struct {
	Header
	*testDeployResult
}

// CheckDriftOutput is check-drift's document. Its drift rows are the drift
// report's (same field names as the report's JSON twin).
type CheckDriftOutput struct {
	Header
	Product *ProductRef              `json:"product"`
	Stack   string                   `json:"stack"`
	Checked int                      `json:"resourcesChecked"`
	Drifted bool                     `json:"drifted"`
	Drifts  []report.DriftedProperty `json:"drifts"`
	Report  string                   `json:"report"`
	// ComplianceTrail is whether a trail delivers to the compliance log
	// group, as AWS reports it (products with compliance monitoring).
	ComplianceTrail *trailcheck.Finding `json:"complianceTrail,omitempty"`
}

func checkDriftOutput(p *product, in report.DriftInput, reportPath string) CheckDriftOutput {
	drifts := in.Drifts
	if drifts == nil {
		drifts = []report.DriftedProperty{}
	}
	return CheckDriftOutput{Header: header("check-drift"), Product: p.ref(), Stack: p.names.StackName,
		Checked: in.Checked, Drifted: len(in.Drifts) > 0, Drifts: drifts, Report: reportPath}
}
