package engine

import (
	"slices"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/auto/events"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"

	"github.com/mlprov/mlprov/internal/warnings"
)

// Only the program's marked warnings reach the result, each once; the
// engine's own warnings and marked lines of other severities do not.
func TestCollectorKeepsTheProgramsWarnings(t *testing.T) {
	c := newCollector(nil)
	diag := func(severity, message string) events.EngineEvent {
		return events.EngineEvent{EngineEvent: apitype.EngineEvent{DiagnosticEvent: &apitype.DiagnosticEvent{
			Severity: severity, Message: message, URN: "urn:pulumi:dev::mlprov::pulumi:pulumi:Stack::mlprov-dev"}}}
	}
	for _, e := range []events.EngineEvent{
		diag("warning", warnings.Marker+"bucket b sends no events to EventBridge\n"),
		diag("warning", "using pulumi-resource-aws from $PATH at /tmp/plugins\n"),
		diag("info", warnings.Marker+"not a warning\n"),
		diag("warning", warnings.Marker+"bucket b sends no events to EventBridge\n"),
	} {
		c.handle(e)
	}
	if want := []string{"bucket b sends no events to EventBridge"}; !slices.Equal(c.warnings, want) {
		t.Errorf("warnings %q, want %q", c.warnings, want)
	}
}
