# mlprov — build, test and run. `make` lists the targets.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

GO             ?= go
BIN            := $(CURDIR)/bin
PULUMI_VERSION := v3.259.0
# The enterprise example `make plan` runs on; any file in configs/ works.
PLAN_CONFIG    ?= configs/globalbank-prod-c001-us-west-2-churn-ml-codecommit-standalone-ssm.yaml
FUZZTIME       ?= 20s

# Tests find the pinned Pulumi CLI at $(MLPROV_PULUMI_ROOT)/bin/pulumi.
export MLPROV_PULUMI_ROOT := $(CURDIR)

.PHONY: help
help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[36m%-14s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: build
build: ## Build bin/mlprov and the policy pack's analyzer plugin
	$(GO) build -o $(BIN)/mlprov ./cmd/mlprov
	$(GO) build -o $(BIN)/pulumi-analyzer-policy-go ./policy-pack

.PHONY: pulumi
pulumi: $(BIN)/pulumi ## The pinned Pulumi CLI in bin/ (an installed one of the pinned version, else built from source)

$(BIN)/pulumi: tools/pulumi/go.mod
	@mkdir -p $(BIN)
	@if command -v pulumi >/dev/null 2>&1 && [ "$$(pulumi version 2>/dev/null)" = "$(PULUMI_VERSION)" ]; then \
		echo "using installed pulumi $(PULUMI_VERSION)"; ln -sf "$$(command -v pulumi)" $@; \
	else \
		echo "building pulumi $(PULUMI_VERSION) from source (several minutes on a fresh machine)"; \
		cd tools/pulumi && $(GO) build -o $@ \
			-ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$(PULUMI_VERSION)" \
			github.com/pulumi/pulumi/pkg/v3/cmd/pulumi; \
	fi
	@test "$$($@ version)" = "$(PULUMI_VERSION)" || { echo "bin/pulumi is not $(PULUMI_VERSION)"; exit 1; }

.PHONY: plan
plan: build ## Set up and run the main job offline: plan on the shipped enterprise example
	$(BIN)/mlprov plan --config $(PLAN_CONFIG)

.PHONY: tools
tools: ## Test tools from the OS: chromium for the review report's browser test (installed when root)
	@if [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
		else echo "chromium is missing and installing it needs root: run sudo apt-get install -y chromium" >&2; exit 1; fi; \
	fi
	@test -x /usr/bin/chromium || { echo "chromium was not installed (/usr/bin/chromium missing)" >&2; exit 1; }

IAMSIM_DIR := internal/iampolicy/testdata/iamsim

.PHONY: iamsim
iamsim: ## The external IAM evaluator the deployer-policy tests run with Node (@cloud-copilot/iam-simulate, pinned by its lockfile)
	@command -v npm >/dev/null 2>&1 || { echo "npm missing: install Node.js and npm (apt-get install -y nodejs npm)"; exit 1; }
	@test -d $(IAMSIM_DIR)/node_modules/@cloud-copilot/iam-simulate || npm ci --prefix $(IAMSIM_DIR) --no-audit --no-fund --silent

.PHONY: api-models
api-models: ## The AWS API models (aws-sdk-go) the test double's constraint snapshot is checked against
	cd /tmp && GOFLAGS=-mod=mod $(GO) mod download github.com/aws/aws-sdk-go@v1.55.8

.PHONY: ci-tools
ci-tools: $(BIN)/actionlint tools/gitlab-ci-local/node_modules ## Linters for the CI examples: actionlint (Go module) and gitlab-ci-local (npm)

$(BIN)/actionlint: tools/actionlint/go.mod
	cd tools/actionlint && $(GO) build -o $@ github.com/rhysd/actionlint/cmd/actionlint

tools/gitlab-ci-local/node_modules: tools/gitlab-ci-local/package-lock.json
	cd tools/gitlab-ci-local && npm ci --no-audit --no-fund
	@touch $@

.PHONY: servers
servers: $(BIN)/s3server $(BIN)/local-kms ## The S3-compatible store and KMS emulator the team-state tests start (Go modules, built into bin/)

$(BIN)/s3server: tools/s3server/go.mod tools/s3server/main.go
	cd tools/s3server && $(GO) build -o $@ .

$(BIN)/local-kms: tools/localkms/go.mod
	cd tools/localkms && $(GO) build -o $@ github.com/nsmithuk/local-kms

.PHONY: test
test: tools pulumi build iamsim api-models ci-tools servers ## The whole suite: unit, mocks, policy gate, fuzz, end-to-end through the real engine
	$(GO) test -count=1 -timeout 40m ./...
	$(MAKE) --no-print-directory policy-gate
	$(MAKE) --no-print-directory fuzz

.PHONY: test-unit
test-unit: iamsim ## Unit and mock-based tests only (no engine)
	$(GO) test -short ./...

.PHONY: test-e2e
test-e2e: pulumi build ## End-to-end tests through the real Pulumi engine and the AWS test double
	$(GO) test -count=1 -timeout 40m ./test/...

.PHONY: policy-gate
policy-gate: build ## Render every shipped config and fail on any mandatory policy violation
	@set -e; dir=$$(mktemp -d); n=0; \
	for f in configs/*.yaml; do \
		$(BIN)/mlprov validate-prov-template --workdir $$dir --config $$f >/dev/null || { echo "policy gate: $$f"; $(BIN)/mlprov validate-prov-template --workdir $$dir --config $$f; exit 4; }; \
		n=$$((n+1)); \
	done; rm -rf $$dir; echo "policy gate: $$n configs, no mandatory violation"

.PHONY: fuzz
fuzz: ## Fuzz the config loader briefly
	$(GO) test -run='^$$' -fuzz=FuzzParse -fuzztime=$(FUZZTIME) ./internal/config

.PHONY: bench
bench: ## Benchmarks: validate+render per product and for 1,000 configs, policy rules, deployer policy
	$(GO) test -run='^$$' -bench=. -benchmem ./...

.PHONY: lint
lint: ## go vet and gofmt
	$(GO) vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); exit 1; }

.PHONY: check
check: lint test ## Everything CI runs

.PHONY: clean
clean: ## Remove build outputs and the local work directory
	rm -rf $(BIN) ml $(IAMSIM_DIR)/node_modules
