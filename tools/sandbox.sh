#!/usr/bin/env bash
# `make sandbox` / `make sandbox-stop`: the sandbox API server (with --demo: the whole simulated
# world) as a detached process. Its kubeconfig and endpoints are in .sandbox/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
state="$root/.sandbox"
case "${1:-start}" in
  start)
    if [ -f "$state/endpoints.json" ] && kill -0 "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["pid"])' "$state/endpoints.json")" 2>/dev/null; then
      echo "the sandbox already runs: $state/kubeconfig"; exit 0
    fi
    mkdir -p "$state"; rm -f "$state/endpoints.json"
    dotnet build "$root/src/Sandbox/Flock.Sandbox.Host" -c Release --nologo -v quiet
    nohup dotnet "$root/src/Sandbox/Flock.Sandbox.Host/bin/Release/net10.0/Flock.Sandbox.Host.dll" --dir "$state" ${SANDBOX_ARGS:-} \
      > "$state/sandbox.log" 2>&1 < /dev/null &
    for _ in $(seq 1 600); do [ -f "$state/endpoints.json" ] && break; sleep 0.1; done
    [ -f "$state/endpoints.json" ] || { echo "the sandbox did not start; see $state/sandbox.log"; exit 1; }
    echo "sandbox running; use: kubectl --kubeconfig $state/kubeconfig get ns" ;;
  stop)
    [ -f "$state/endpoints.json" ] || { echo "no sandbox runs"; exit 0; }
    pid=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["pid"])' "$state/endpoints.json")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    rm -f "$state/endpoints.json"; echo "sandbox stopped" ;;
  *) echo "usage: sandbox.sh start|stop"; exit 2 ;;
esac
