package stacks

import (
	"fmt"
	"strings"

	"github.com/mlprov/mlprov/internal/config"
	"github.com/mlprov/mlprov/internal/tiers"
)

// Capabilities are what a tier adds to the starter product; the one table
// is internal/tiers.
type Capabilities = tiers.Capabilities

// Log retention in days (internal/tiers).
const (
	StarterLogRetentionDays = tiers.StarterLogRetentionDays
	DefaultLogRetentionDays = tiers.DefaultLogRetentionDays
)

// CapabilitiesOf returns a tier's capabilities.
func CapabilitiesOf(tier config.Tier) (Capabilities, error) {
	c, ok := tiers.Of(string(tier))
	if !ok {
		return Capabilities{}, fmt.Errorf("unknown tier %q: use %s", tier, strings.Join(tiers.Names, ", "))
	}
	return c, nil
}

// logRetentionDays is the retention of every log group the product creates.
func logRetentionDays(c Capabilities, cfg *config.Config) int {
	switch {
	case !c.ConfiguredRetention:
		return StarterLogRetentionDays
	case cfg.MLProduct.LogRetentionDays > 0:
		return cfg.MLProduct.LogRetentionDays
	}
	return DefaultLogRetentionDays
}
