#!/usr/bin/env bash
# Runs Jest projects one after another (`npm test -- --selectProjects <name>`, the README's test
# command narrowed to one project), prints each project's wall time and test counts, and ends with
# the total as "<label>: N passed, N failed". Exits non-zero if any project failed.
#   bash .ci/test-projects.sh <label> <project>... [-- <extra jest args>]
set -uo pipefail
cd "$(dirname "$0")/.."
label=$1
shift
projects=()
while (($#)) && [[ $1 != -- ]]; do projects+=("$1"); shift; done
[[ ${1:-} == -- ]] && shift
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
status=0
for p in "${projects[@]}"; do
  printf '\n--- jest project %s (%s)\n' "$p" "$label"
  start=$(date +%s%N)
  npm test -- --selectProjects "$p" --json --outputFile="$out/$p.json" "$@" || status=1
  echo "$p $(( ($(date +%s%N) - start) / 1000000 ))" >>"$out/times"
done
node -e '
  const fs = require("fs");
  const [dir, label] = process.argv.slice(1);
  let passed = 0, failed = 0, ms = 0;
  console.log(`\n${label}: wall time per Jest project`);
  console.log(`  ${"project".padEnd(12)} ${"time".padStart(8)} ${"files".padStart(6)} ${"passed".padStart(7)} ${"failed".padStart(7)}`);
  for (const line of fs.readFileSync(`${dir}/times`, "utf8").trim().split("\n")) {
    const [name, t] = line.split(" ");
    let r = {};
    try { r = JSON.parse(fs.readFileSync(`${dir}/${name}.json`, "utf8")); } catch {}
    const f = (r.numFailedTests ?? 0) + (r.numRuntimeErrorTestSuites ?? 0) + (r.numTotalTestSuites === undefined ? 1 : 0);
    passed += r.numPassedTests ?? 0; failed += f; ms += Number(t);
    console.log(`  ${name.padEnd(12)} ${(Number(t) / 1000).toFixed(1).padStart(7)}s ${String(r.numTotalTestSuites ?? "?").padStart(6)} ${String(r.numPassedTests ?? 0).padStart(7)} ${String(f).padStart(7)}`);
  }
  console.log(`  ${"total".padEnd(12)} ${(ms / 1000).toFixed(1).padStart(7)}s`);
  console.log(`${label}: ${passed} passed, ${failed} failed`);
' "$out" "$label"
exit $status
