#!/usr/bin/env bash
# The one publish command of the operator: the Dockerfile, `make publish` and the test in
# tests/Flock.Install.Tests run this script, so the image holds exactly what was tested.
#   deploy/image/publish.sh [output directory, default artifacts/flock-operator]
# TARGETARCH (amd64 | arm64, as docker buildx sets it) or RID (linux-x64, linux-arm64, …) picks the platform.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$root/artifacts/flock-operator}
case "${TARGETARCH:-}" in
  amd64) rid=linux-x64 ;;
  arm64) rid=linux-arm64 ;;
  "") rid=${RID:-linux-x64} ;;
  *) echo "unsupported TARGETARCH ${TARGETARCH}" >&2; exit 2 ;;
esac

# Self-contained (the runtime-deps base image has no .NET runtime), not trimmed: KubernetesClient and YamlDotNet
# are not trim-safe (IL2104) and the operator's System.Text.Json and JsonNode code uses reflection (IL2026), so a
# trimmed or NativeAOT build warns and could drop members it needs at run time. Not ReadyToRun: it starts about
# 0.1 s sooner (docs/install.md) but adds 30 MiB and a minute of build, for a process that starts rarely.
exec dotnet publish "$root/src/Operator/Flock.Operator/Flock.Operator.csproj" \
  --configuration Release --runtime "$rid" --self-contained true -p:DebugType=none \
  --output "$out" --nologo
