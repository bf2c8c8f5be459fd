#!/usr/bin/env bash
# Regenerates testdata/api-constraints.json from the AWS API models of
# github.com/aws/aws-sdk-go@v1.55.8 (the models the AWS SDKs are generated
# from). Run from any directory; needs Go and the module proxy.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
version=v1.55.8
dir=$(cd /tmp && GOFLAGS=-mod=mod go mod download -json "github.com/aws/aws-sdk-go@${version}" | sed -n 's/.*"Dir": "\(.*\)",/\1/p')
cd "$here"
go run ./internal/genconstraints "$dir/models/apis" members.json testdata/api-constraints.json
echo "wrote testdata/api-constraints.json from aws-sdk-go ${version}"
