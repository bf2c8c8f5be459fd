//go:build tools

// Package tools pins the Pulumi CLI version that mlprov drives through the
// Automation API. It is built into ./bin/pulumi by `make pulumi`; keeping it in
// its own module keeps the CLI's large dependency graph out of mlprov's go.mod.
package tools

import _ "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"
