package stacks

import (
	"fmt"

	"github.com/mlprov/mlprov/internal/config"
)

// Capabilities are what a tier adds to the starter product. This table is
// the only place that knows what a tier means.
type Capabilities struct {
	// Dashboard: CloudWatch dashboard of pipeline and build health.
	Dashboard bool
	// Alerts: security alerts topic, email subscription, pipeline failure
	// routing. The topic is always under a customer managed key — the product
	// key, or a small key of its own without CustomerManagedKey — because
	// EventBridge and CloudWatch alarms cannot publish to a topic under the
	// AWS-managed alias/aws/sns key: alerts would silently never arrive.
	Alerts bool
	// ConfiguredRetention: log groups keep logs log_retention_days (default
	// DefaultLogRetentionDays) instead of StarterLogRetentionDays.
	ConfiguredRetention bool
	// CustomerManagedKey: a product KMS key encrypts bucket, artifacts, builds, logs and topic.
	CustomerManagedKey bool
	// PermissionBoundary: a boundary policy on every product role.
	PermissionBoundary bool
	// PrivateNetwork: VPC endpoints, endpoint security group, builds in the VPC.
	PrivateNetwork bool
	// ComplianceMonitoring: compliance log group, CIS metric filters and alarms.
	ComplianceMonitoring bool
	// ProdDeletionProtection: in prod, key, bucket and model registry are protected.
	ProdDeletionProtection bool
}

// Log retention in days.
const (
	// StarterLogRetentionDays is the retention below ConfiguredRetention: the
	// policy pack's minimum (MLP-LOG-001).
	StarterLogRetentionDays = 90
	// DefaultLogRetentionDays applies when log_retention_days is unset on a
	// tier with ConfiguredRetention.
	DefaultLogRetentionDays = 365
)

// tierTable: starter ⊂ professional ⊂ enterprise.
var tierTable = map[config.Tier]Capabilities{
	config.TierStarter: {},
	config.TierProfessional: {
		Dashboard: true, Alerts: true, ConfiguredRetention: true,
	},
	config.TierEnterprise: {
		Dashboard: true, Alerts: true, ConfiguredRetention: true,
		CustomerManagedKey: true, PermissionBoundary: true, PrivateNetwork: true,
		ComplianceMonitoring: true, ProdDeletionProtection: true,
	},
}

// CapabilitiesOf returns a tier's capabilities.
func CapabilitiesOf(tier config.Tier) (Capabilities, error) {
	c, ok := tierTable[tier]
	if !ok {
		return Capabilities{}, fmt.Errorf("unknown tier %q: use starter, professional or enterprise", tier)
	}
	return c, nil
}

// LogRetentionDays is the retention of every log group the product creates.
func (c Capabilities) LogRetentionDays(cfg *config.Config) int {
	switch {
	case !c.ConfiguredRetention:
		return StarterLogRetentionDays
	case cfg.MLProduct.LogRetentionDays > 0:
		return cfg.MLProduct.LogRetentionDays
	}
	return DefaultLogRetentionDays
}
