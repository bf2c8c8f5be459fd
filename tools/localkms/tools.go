//go:build tools

package tools

import _ "github.com/nsmithuk/local-kms"
