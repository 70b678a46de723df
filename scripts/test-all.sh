#!/usr/bin/env bash
# Runs every suite: typecheck + lint, unit tests, integration tests on the real Elasticsearch and Kafka
# (started by the suite itself), the Grafana plugins' tests and production builds. Ends with one line
# "N passed, N failed" summing them all.
set -uo pipefail
cd "$(dirname "$0")/.."
out=.cairn/test-results
rm -rf "$out" && mkdir -p "$out"

check() { # name, command...: a build or lint step counted as one check
  local name=$1; shift
  echo "== $name"
  if "$@"; then echo ok > "$out/$name.check"; else echo failed > "$out/$name.check"; fi
}

check typecheck npx tsc -b packages/contract backend-bridge
check lint npx eslint .
echo "== unit tests"
npx vitest run --project unit --reporter=default --reporter=json --outputFile.json="$out/vitest-unit.json"
echo "== integration tests (real Elasticsearch and Kafka)"
npx vitest run --project integration --reporter=default --reporter=json --outputFile.json="$out/vitest-integration.json"
for ws in @cairn/datasource @cairn/app @cairn/seasonalband-panel; do
  name=${ws#@cairn/}
  dir=$(node -e "const p=require('./package.json');const fs=require('fs');for(const w of p.workspaces){try{if(JSON.parse(fs.readFileSync(w+'/package.json')).name==='$ws'){console.log(w)}}catch{}}")
  echo "== $ws: jest"
  (cd "$dir" && npx jest --ci --json --outputFile="$OLDPWD/$out/jest-$name.json") || true
  check "build-$name" npm run build -w "$ws" --silent
  check "typecheck-$name" npm run typecheck -w "$ws" --silent
done
node scripts/sum-results.mjs "$out"
