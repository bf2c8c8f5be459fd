// Package warnings carries the program's warnings to the person running
// mlprov: a check at preview that does not stop the deploy. The program logs
// them to the engine with Marker; the engine keeps only marked warnings, so
// the engine's own (plugin discovery, deprecations) do not reach the user as
// findings about their product.
package warnings

import (
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Marker opens every warning the program means for the user.
const Marker = "[mlprov] "

// Warn logs message as a warning for the user.
func Warn(ctx *pulumi.Context, message string) {
	_ = ctx.Log.Warn(Marker+message, nil) // a log the engine cannot take is not worth failing the program
}

// FromDiagnostic returns the user's warning in an engine diagnostic message,
// and whether it is one.
func FromDiagnostic(message string) (string, bool) {
	i := strings.Index(message, Marker)
	if i < 0 {
		return "", false
	}
	return strings.TrimSpace(message[i+len(Marker):]), true
}
