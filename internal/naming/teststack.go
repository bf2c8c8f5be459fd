package naming

import "regexp"

// testStackSuffix matches the end of a test deployment's stack name,
// {ml_name}-test-{4 hex} (built in build).
var testStackSuffix = regexp.MustCompile(`^(.+)-test-([0-9a-f]{4})$`)

// ParseTestStack reports whether stack is a test deployment's stack, and its
// product's ml_name and test id.
func ParseTestStack(stack string) (mlName, testID string, ok bool) {
	m := testStackSuffix.FindStringSubmatch(stack)
	if m == nil {
		return "", "", false
	}
	return m[1], m[2], true
}
