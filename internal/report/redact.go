package report

import (
	"regexp"
	"strings"
)

// Redacted replaces every credential-looking value.
const Redacted = "[REDACTED]"

// secretName matches names of settings that hold credentials.
var secretName = regexp.MustCompile(`(?i)(secret|passw(or)?d|passphrase|token|credential|private[_-]?key|api[_-]?key|access[_-]?key[_-]?id|session[_-]?key|auth)`)

// Value patterns; the order matters only for readability of the output.
var (
	// name=value, name: value, "name": "value" where name looks secret.
	secretAssignment = regexp.MustCompile(`(?i)("?[A-Za-z0-9_.-]*(?:secret|passw(?:or)?d|passphrase|token|credential|private[_-]?key|api[_-]?key|access[_-]?key[_-]?id|session[_-]?key)[A-Za-z0-9_.-]*"?)(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s,;&]+)`)
	// AWS access key IDs (long-term AKIA, temporary ASIA, and the other key prefixes).
	awsAccessKeyID = regexp.MustCompile(`\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIPA|ANPA|ANVA|APKA)[A-Z0-9]{16}\b`)
	bearerToken    = regexp.MustCompile(`(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}`)
	urlPassword    = regexp.MustCompile(`([A-Za-z][A-Za-z0-9+.-]*://[^/\s:@]+):[^/\s@]+@`)
	knownTokens    = regexp.MustCompile(`\b(?:pul-[0-9a-f]{40}|gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,}|xox[abprs]-[A-Za-z0-9-]{10,})\b`)
	// base64ish runs, checked for the shape of an AWS secret access key.
	base64Run = regexp.MustCompile(`[A-Za-z0-9/+=]{40,}`)
)

// Redact removes anything that looks like a credential from s: AWS access
// key IDs and secret keys, values of secret-named settings, bearer/basic
// tokens, passwords in URLs, Pulumi/GitHub/Slack tokens.
func Redact(s string) string {
	s = secretAssignment.ReplaceAllString(s, "${1}${2}"+Redacted)
	s = awsAccessKeyID.ReplaceAllString(s, Redacted)
	s = bearerToken.ReplaceAllString(s, "${1} "+Redacted)
	s = urlPassword.ReplaceAllString(s, "${1}:"+Redacted+"@")
	s = knownTokens.ReplaceAllString(s, Redacted)
	return base64Run.ReplaceAllStringFunc(s, func(run string) string {
		if looksLikeSecretKey(run) {
			return Redacted
		}
		return run
	})
}

// looksLikeSecretKey: an AWS secret access key is 40 base64 characters
// mixing upper case, lower case and digits (a hex digest never has upper
// case, so commit hashes survive). Longer runs (session tokens) qualify too.
func looksLikeSecretKey(run string) bool {
	run = strings.TrimRight(run, "=")
	if len(run) < 40 {
		return false
	}
	var upper, lower, digit bool
	for _, c := range run {
		switch {
		case c >= 'A' && c <= 'Z':
			upper = true
		case c >= 'a' && c <= 'z':
			lower = true
		case c >= '0' && c <= '9':
			digit = true
		}
	}
	return upper && lower && digit
}

// IsSecretName reports whether a flag or variable name holds a credential.
func IsSecretName(name string) bool { return secretName.MatchString(name) }

// RedactArgs redacts a command line: the value after a secret-named flag
// ("--passphrase X" as well as "--passphrase=X"), then every argument.
func RedactArgs(args []string) []string {
	out := make([]string, len(args))
	for i := 0; i < len(args); i++ {
		a := args[i]
		if strings.HasPrefix(a, "-") && !strings.Contains(a, "=") && IsSecretName(a) && i+1 < len(args) {
			out[i], out[i+1] = a, Redacted
			i++
			continue
		}
		if name, _, ok := strings.Cut(a, "="); ok && strings.HasPrefix(a, "-") && IsSecretName(name) {
			out[i] = name + "=" + Redacted
			continue
		}
		out[i] = Redact(a)
	}
	return out
}
