package warnings

import "testing"

func TestFromDiagnostic(t *testing.T) {
	for _, c := range []struct {
		in, want string
		ok       bool
	}{
		{Marker + "bucket b sends no events\n", "bucket b sends no events", true},
		{"warning: " + Marker + "x", "x", true},
		{"using pulumi-resource-aws from $PATH", "", false},
	} {
		got, ok := FromDiagnostic(c.in)
		if got != c.want || ok != c.ok {
			t.Errorf("FromDiagnostic(%q) = %q, %v; want %q, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}
