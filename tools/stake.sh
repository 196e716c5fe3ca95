#!/usr/bin/env bash
# `make stake`: the demo training node's wallet stakes 3000 gmFLOCK on task 12 as a training node, as
# its owner would from a wallet. Reads the running demo's chain from .sandbox/; the key stays in the
# 0600 file .sandbox/evm.json and is never put on a command line.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
state="$root/.sandbox"
[ -f "$state/endpoints.json" ] && [ -f "$state/evm.json" ] || { echo "no demo is running: start it with 'make run'"; exit 1; }
field() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); [d := d[k] for k in sys.argv[2:]]; print(d)' "$state/endpoints.json" "$@"; }
dotnet build "$root/src/Sandbox/Flock.Sandbox.Evm.Cli" -c Release --nologo -v quiet
dotnet "$root/src/Sandbox/Flock.Sandbox.Evm.Cli/bin/Release/net10.0/flock-evm.dll" stake \
  --rpc "$(field evm rpcUrl)" --contract "$(field evm taskManager)" --chain-id "$(field evm chainId)" \
  --key-file "$state/evm.json" --account 1 --task "${TASK:-12}" --amount "${AMOUNT:-3000}" --role node
