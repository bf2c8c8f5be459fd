#!/bin/sh
# Builds the policy pack's analyzer plugin into DIR (default ./bin) as
# pulumi-analyzer-policy-go, the name the Pulumi CLI looks for on PATH when
# it loads a `runtime: go` pack without pulumi-language-go.
set -eu
dir=${1:-bin}
cd "$(dirname "$0")/.."
mkdir -p "$dir"
go build -o "$dir/pulumi-analyzer-policy-go" ./policy-pack
echo "built $dir/pulumi-analyzer-policy-go; pass --policy-pack $(cd "$dir" && pwd)/pulumi-analyzer-policy-go (or put $dir on PATH and pass --policy-pack $(pwd)/policy-pack)"
