// Judges IAM requests against identity policies with @cloud-copilot/iam-simulate,
// an evaluator independent of mlprov's own (internal/iampolicy/evaluate.go).
// stdin:  {"policies": [<policy document>...], "requests": [{"action", "resource",
//          "account", "principal", "context": {key: [values]}, "resourcePolicy"?}...]}
// stdout: one verdict per request, in order: "Allowed", "ExplicitlyDenied",
//          "ImplicitlyDenied", or "error: <why>".
const { runSimulation } = require("@cloud-copilot/iam-simulate");

async function main() {
  let input = "";
  for await (const chunk of process.stdin) input += chunk;
  const { policies, requests } = JSON.parse(input);
  const identityPolicies = policies.map((policy, i) => ({ name: `deployer-${i + 1}`, policy }));
  const verdicts = [];
  for (const r of requests) {
    const context = {};
    for (const [k, v] of Object.entries(r.context || {})) context[k] = v.length === 1 ? v[0] : v;
    const response = await runSimulation(
      {
        request: {
          principal: r.principal,
          action: r.action,
          resource: { resource: r.resource, accountId: r.account },
          contextVariables: context,
        },
        identityPolicies,
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        resourcePolicy: r.resourcePolicy,
      },
      {},
    );
    if (response.resultType === "error") {
      verdicts.push("error: " + JSON.stringify(response.errors));
    } else {
      verdicts.push(response.overallResult);
    }
  }
  process.stdout.write(JSON.stringify(verdicts));
}

main().catch((e) => {
  process.stderr.write(String(e && e.stack ? e.stack : e) + "\n");
  process.exit(1);
});
