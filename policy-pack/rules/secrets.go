package rules

import (
	"regexp"
	"strings"
)

// secretNameWords are name fragments that mark a value as a credential.
var secretNameWords = []string{"PASSWORD", "PASSWD", "SECRET", "TOKEN", "API_KEY", "APIKEY", "ACCESS_KEY", "PRIVATE_KEY", "CREDENTIAL"}

// secretValuePattern matches well-known credential formats: AWS access key
// IDs, PEM private keys, GitHub and Slack tokens.
var secretValuePattern = regexp.MustCompile(`(A3T[A-Z0-9]|AKIA|ASIA)[A-Z0-9]{16}|-----BEGIN [A-Z ]*PRIVATE KEY-----|gh[pousr]_[A-Za-z0-9]{30,}|xox[abposr]-[A-Za-z0-9-]{10,}`)

// looksSecretName reports whether a variable or parameter name suggests a
// credential.
func looksSecretName(name string) bool {
	n := strings.ToUpper(strings.NewReplacer("-", "_", "/", "_", ".", "_").Replace(name))
	for _, w := range secretNameWords {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

// looksSecretValue reports whether a value has the shape of a credential.
func looksSecretValue(v string) bool { return secretValuePattern.MatchString(v) }
