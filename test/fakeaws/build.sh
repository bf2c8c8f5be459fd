#!/bin/sh
# Builds the fakeaws test double as the two provider plugins the engine looks
# for on PATH: DIR/pulumi-resource-aws and DIR/pulumi-resource-aws-native.
# Usage: test/fakeaws/build.sh DIR   (run from anywhere inside the repository)
set -eu
if [ $# -ne 1 ]; then
	echo "usage: $0 DIR" >&2
	exit 2
fi
mkdir -p "$1"
dir=$(cd "$1" && pwd)
cd "$(dirname "$0")/../.."
go build -o "$dir/pulumi-resource-aws" ./test/fakeaws/cmd/fakeaws-provider
# The same program: it serves the package named by its binary name.
cp "$dir/pulumi-resource-aws" "$dir/pulumi-resource-aws-native"
