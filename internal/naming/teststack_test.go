package naming

import "testing"

func TestParseTestStackReadsWhatBuildWrites(t *testing.T) {
	f := Fields{CompanyPrefix: "acme", Env: "prod", TenantID: "t001", Region: "us-west-2", UseCase: "churn"}
	prod := build(f, "", nil)
	test := build(f, "0a1f", &prod)
	mlName, id, ok := ParseTestStack(test.StackName)
	if !ok || mlName != prod.StackName || id != "0a1f" {
		t.Errorf("ParseTestStack(%q) = %q, %q, %v; want %q, 0a1f", test.StackName, mlName, id, ok, prod.StackName)
	}
	if _, _, ok := ParseTestStack(prod.StackName); ok {
		t.Errorf("%s is not a test stack", prod.StackName)
	}
}
