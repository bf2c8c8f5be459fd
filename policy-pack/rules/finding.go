package rules

// Finding is one rule's verdict on one resource that needs attention: a
// violation, a "cannot judge yet", or a waived violation.
type Finding struct {
	RuleID string `json:"ruleId"`
	// URN is the resource's URN ("" for a stack-level or waiver finding).
	URN         string      `json:"urn"`
	LogicalName string      `json:"logicalName"`
	Type        string      `json:"type"`
	Message     string      `json:"message"`
	Remediation string      `json:"remediation"`
	Enforcement Enforcement `json:"enforcement"`
	Severity    Severity    `json:"severity"`
	Status      Status      `json:"status"`
	// WaivedBy is the waiver's reason and owner when Status is waived.
	WaivedBy string `json:"waivedBy,omitempty"`
}

// Blocking reports whether the finding is a mandatory violation.
func (f Finding) Blocking() bool {
	return f.Status == StatusViolation && f.Enforcement == Mandatory
}

// StackLogicalName names stack-level findings.
const StackLogicalName = "(stack)"
