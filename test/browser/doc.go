// Package browser holds the headless-browser test of the review report:
// Debian's chromium opens the enterprise example's report, the test checks
// every section is there and the page logs no console error, and saves a
// screenshot to test/artifacts/review-report.png. `make test` installs
// chromium (the tools target); without it the test skips and says why, and
// fails under CI=true or MLPROV_REQUIRE_E2E=1 (internal/testenv).
package browser
