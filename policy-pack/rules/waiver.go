package rules

import (
	"fmt"
	"strings"
	"time"
)

// Waiver is a time-limited exception to one rule for one resource, from the
// config's suppressions.
type Waiver struct {
	Rule string `json:"rule"`
	// Resource is a logical name: it matches a resource whose logical name
	// equals it or starts with it followed by "-" (a component's children).
	Resource string `json:"resource"`
	Reason   string `json:"reason"`
	Owner    string `json:"owner"`
	// Expires is "YYYY-MM-DD"; the waiver holds through that day (UTC).
	Expires string `json:"expires"`
}

// ExpiryLayout is the date format of Waiver.Expires.
const ExpiryLayout = "2006-01-02"

// Covers reports whether the waiver names this rule and resource.
func (w Waiver) Covers(ruleID, logicalName string) bool {
	if w.Rule != ruleID || w.Resource == "" {
		return false
	}
	return logicalName == w.Resource || strings.HasPrefix(logicalName, w.Resource+"-")
}

// Expired reports whether the waiver no longer holds at now. An unreadable
// date counts as expired: a waiver must say when it ends.
func (w Waiver) Expired(now time.Time) bool {
	end, err := time.Parse(ExpiryLayout, w.Expires)
	if err != nil {
		return true
	}
	return !now.UTC().Before(end.AddDate(0, 0, 1))
}

func (w Waiver) String() string {
	return fmt.Sprintf("waiver %s on %q (owner %s, expires %s)", w.Rule, w.Resource, w.Owner, w.Expires)
}

// waiverType is the pseudo type of findings about waivers themselves.
const waiverType = "mlprov:policy:Waiver"
