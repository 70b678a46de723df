#!/usr/bin/env bash
# Runs the W3C trace-context test suite against examples/node-service and writes its output to
# docs/w3c-trace-context-results.txt. The suite is a checkout outside the repo, never committed.
#   W3C_TRACE_CONTEXT_DIR=/path/to/trace-context   use an existing checkout instead of cloning
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
VENV="${HOME}/.cache/cairn/venv"
SERVICE_PORT="${SERVICE_PORT:-5055}"
HARNESS_PORT="${HARNESS_PORT:-7788}"
OUT="${ROOT}/docs/w3c-trace-context-results.txt"

[ -x "${VENV}/bin/python" ] || python3 -m venv "${VENV}"
"${VENV}/bin/python" -c 'import aiohttp' 2>/dev/null || "${VENV}/bin/pip" install -q aiohttp

SUITE="${W3C_TRACE_CONTEXT_DIR:-}"
if [ -z "${SUITE}" ] || [ ! -d "${SUITE}/test" ]; then
  echo "set W3C_TRACE_CONTEXT_DIR to a checkout of the w3c/trace-context repository (outside this repo)" >&2
  exit 2
fi
COMMIT="$(git -C "${SUITE}" rev-parse HEAD 2>/dev/null || echo unknown)"

PORT="${SERVICE_PORT}" node "${ROOT}/examples/node-service/server.mjs" 2>/dev/null &
SERVICE_PID=$!
trap 'kill ${SERVICE_PID} 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do (exec 3<>"/dev/tcp/127.0.0.1/${SERVICE_PORT}") 2>/dev/null && break; sleep 0.1; done

{
  echo "# W3C trace-context test suite against examples/node-service"
  echo "# suite: https://github.com/w3c/trace-context/tree/${COMMIT}/test"
  echo "# node $(node --version), python $("${VENV}/bin/python" --version 2>&1 | cut -d' ' -f2), $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "# command: SPEC_LEVEL=2 STRICT_LEVEL=2 python test.py http://127.0.0.1:${SERVICE_PORT}/test"
  echo
  cd "${SUITE}/test"
  SPEC_LEVEL=2 STRICT_LEVEL=2 HARNESS_PORT="${HARNESS_PORT}" "${VENV}/bin/python" test.py "http://127.0.0.1:${SERVICE_PORT}/test" 2>&1
} > "${OUT}" || { cat "${OUT}"; exit 1; }
tail -3 "${OUT}"
