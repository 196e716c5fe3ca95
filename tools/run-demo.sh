#!/usr/bin/env bash
# `make run`: the product on a laptop. Boots the sandbox (API server, a simulated cluster with two GPU
# nodes and one CPU node, the FLock API simulator, an EVM, an Akash chain with three providers), installs
# the CRDs, applies the samples (in-cluster and Akash training nodes, a validator), and runs the operator
# in the foreground. Ctrl-C stops everything.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
state="$root/.sandbox"
kubectl="$root/.tools/bin/kubectl"
mkdir -p "$state"
rm -f "$state/endpoints.json"

dotnet build src/Sandbox/Flock.Sandbox.Host -c Release --nologo -v quiet
dotnet build src/Operator/Flock.Operator -c Release --nologo -v quiet

dotnet src/Sandbox/Flock.Sandbox.Host/bin/Release/net10.0/Flock.Sandbox.Host.dll --dir "$state" --demo > "$state/sandbox.log" 2>&1 &
sandbox=$!
cleanup() {
  trap - INT TERM EXIT
  kill "$sandbox" 2>/dev/null || true
  wait "$sandbox" 2>/dev/null || true
  echo "sandbox stopped"
}
trap cleanup INT TERM EXIT

for _ in $(seq 1 300); do
  [ -f "$state/endpoints.json" ] && break
  kill -0 "$sandbox" 2>/dev/null || { cat "$state/sandbox.log"; exit 1; }
  sleep 0.1
done
[ -f "$state/endpoints.json" ] || { echo "the sandbox did not start; see $state/sandbox.log"; exit 1; }
field() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); [d := d[k] for k in sys.argv[2:]]; print(d)' "$state/endpoints.json" "$@"; }
flock_api=$(field flockApiUrl)
rpc=$(field evm rpcUrl); chain=$(field evm chainId); task_manager=$(field evm taskManager)
trainer=$(field evm trainerAddress); validator=$(field evm validatorAddress)
akash_grpc=$(field akash grpcUrl); akash_chain=$(field akash chainId)

export KUBECONFIG="$state/kubeconfig"
"$kubectl" apply -f config/crd/bases/
"$kubectl" wait --for condition=established --timeout=60s crd/flocktrainingnodes.flock.io crd/flockvalidators.flock.io
# The samples with the demo wallets in place of the placeholder address (as a user puts their own).
sed "s/0x5a0b54d5dc17e0aadc383d2db43b0a0d3e029c4c/$trainer/" config/samples/training-node-incluster.yaml | "$kubectl" apply -f -
sed "s/0x5a0b54d5dc17e0aadc383d2db43b0a0d3e029c4c/$validator/" config/samples/validator.yaml | "$kubectl" apply -f -
# The Akash sample pays from the demo's funded Akash account (its mnemonic is in .sandbox/akash.json, mode 0600).
python3 - "$state/akash.json" "$trainer" <<'PY' | "$kubectl" apply -f -
import json, sys
mnemonic = json.load(open(sys.argv[1]))["mnemonic"]
text = open("config/samples/training-node-akash.yaml").read()
text = text.replace("REPLACE WITH YOUR TWENTY FOUR WORD BIP39 MNEMONIC", mnemonic).replace("0x5a0b54d5dc17e0aadc383d2db43b0a0d3e029c4c", sys.argv[2])
print(text)
PY

cat <<TXT

The sandbox runs at $(field url). In another terminal, watch the resources:

  $kubectl --kubeconfig $state/kubeconfig get ftn,fv -o wide -w

The validator's wallet is staked on its tasks, so it starts. The two training nodes (one in-cluster,
one on Akash) wait in AwaitingStake: their wallet ($trainer) has no stake on task 12 yet. Send the
stake with

  make stake

and watch them go to Running: the in-cluster one within a block or two, the Akash one after its
deployment, the providers' bids, the lease and the manifest (about 15 s; -o wide shows the provider
and the price).

Starting the operator (Ctrl-C stops it and the sandbox).

TXT
dotnet src/Operator/Flock.Operator/bin/Release/net10.0/flock-operator.dll \
  --kubeconfig "$state/kubeconfig" --leader-elect false --health-port 18081 --metrics-port 18080 --bind-address 127.0.0.1 \
  --Flock:ApiBaseUrl="$flock_api" --Flock:TaskPollSeconds=5 \
  --Staking:RpcUrl="$rpc" --Staking:ChainId="$chain" --Staking:TaskManager="$task_manager" --Staking:Confirmations=0 \
  --Staking:EventPollSeconds=1 \
  --Akash:GrpcUrl="$akash_grpc" --Akash:ChainId="$akash_chain" --Akash:PollSeconds=2 --Akash:BidWindowBlocks=3 --Akash:TxPollSeconds=0.5
