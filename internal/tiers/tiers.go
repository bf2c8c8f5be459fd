// Package tiers is the one table of what a product tier means. Config
// validation, the program (stacks), the policy rules and the deployer policy
// all read it; it imports nothing so each of them can.
package tiers

// Tier names, smallest first.
const (
	Starter      = "starter"
	Professional = "professional"
	Enterprise   = "enterprise"
)

// Names lists the tiers from smallest to largest.
var Names = []string{Starter, Professional, Enterprise}

// Capabilities are what a tier adds to the starter product.
type Capabilities struct {
	// Dashboard: CloudWatch dashboard of pipeline and build health.
	Dashboard bool
	// Alerts: security alerts topic, email subscription (so alerts_email is
	// required), pipeline failure routing. The topic is always under a
	// customer managed key — the product key, or a small key of its own
	// without CustomerManagedKey — because EventBridge and CloudWatch alarms
	// cannot publish to a topic under the AWS-managed alias/aws/sns key:
	// alerts would silently never arrive.
	Alerts bool
	// ConfiguredRetention: log groups keep logs log_retention_days (default
	// DefaultLogRetentionDays) instead of StarterLogRetentionDays.
	ConfiguredRetention bool
	// CustomerManagedKey: a product KMS key encrypts bucket, artifacts, builds, logs and topic.
	CustomerManagedKey bool
	// PermissionBoundary: a boundary policy on every product role.
	PermissionBoundary bool
	// PrivateNetwork: VPC endpoints, endpoint security group, builds in the
	// VPC (so the config's network section is required).
	PrivateNetwork bool
	// ComplianceMonitoring: compliance log group, CIS metric filters and alarms.
	ComplianceMonitoring bool
}

// Deletion protection is not a tier capability: it belongs to the
// environment (environments.Properties.DeletionProtection), because policy
// rule MLP-SM-001 asks for a protected model registry in prod on every tier.

// Log retention in days.
const (
	// StarterLogRetentionDays is the retention below ConfiguredRetention: the
	// policy pack's minimum (MLP-LOG-001).
	StarterLogRetentionDays = 90
	// DefaultLogRetentionDays applies when log_retention_days is unset on a
	// tier with ConfiguredRetention.
	DefaultLogRetentionDays = 365
)

// table: starter ⊂ professional ⊂ enterprise.
var table = map[string]Capabilities{
	Starter: {},
	Professional: {
		Dashboard: true, Alerts: true, ConfiguredRetention: true,
	},
	Enterprise: {
		Dashboard: true, Alerts: true, ConfiguredRetention: true,
		CustomerManagedKey: true, PermissionBoundary: true, PrivateNetwork: true,
		ComplianceMonitoring: true,
	},
}

// Of returns a tier's capabilities; ok is false for an unknown name.
func Of(name string) (c Capabilities, ok bool) {
	c, ok = table[name]
	return c, ok
}

// With lists, smallest first, the tiers that have a capability (for
// messages such as "required for the professional and enterprise tiers").
func With(has func(Capabilities) bool) []string {
	var out []string
	for _, name := range Names {
		if has(table[name]) {
			out = append(out, name)
		}
	}
	return out
}
