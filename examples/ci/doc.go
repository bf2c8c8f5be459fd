// Package ci holds the policy gate as CI pipelines for GitHub Actions
// (github/mlprov-policy-gate.yml) and GitLab CI (gitlab/.gitlab-ci.yml). Its
// test lints both files with real linters (actionlint; gitlab-ci-local
// against GitLab's published CI schema) and runs the commands they run.
package ci
