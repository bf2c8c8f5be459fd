// Package fakeaws is a test double standing in for AWS in end-to-end tests:
// provider plugins named pulumi-resource-aws and pulumi-resource-aws-native
// (cmd/fakeaws-provider, built by build.sh) that the real Pulumi engine finds
// on PATH, keeping "cloud" state on disk in $MLPROV_FAKEAWS_DIR (cloudstate)
// and driven by tests through the control package. Nothing here is shipped;
// real users run the real AWS providers.
//
// engine_test.go proves the double against the real engine.
package fakeaws
