# flock-operator: build, test and generate. `make test` on a fresh clone installs what it needs.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := test

export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE := 1
export PATH := $(CURDIR)/.tools/bin:$(PATH)

CONFIGURATION ?= Release

.PHONY: tools build test crds install-yaml bench run stake sandbox sandbox-stop publish

## tools: install helm, kubectl and the npm reference packages into .tools/
tools:
	@bash tools/install.sh

## build: compile the solution
build:
	dotnet build Operator.sln -c $(CONFIGURATION) --nologo -v quiet

## crds: regenerate the CRD YAML from the C# API types, and deploy/install.yaml that carries them
crds:
	dotnet run --project src/Crds/Flock.Crds.Generator -c $(CONFIGURATION) --
	@bash tools/generate-install.sh

## install-yaml: regenerate deploy/install.yaml (the one-file kubectl install) from the chart's defaults with the pinned helm
install-yaml:
	@bash tools/generate-install.sh

## test: every test suite, with the tools the suites judge against
test: tools build
	@bash tools/run-tests.sh $(CONFIGURATION)

## publish: the operator as it goes into the image (self-contained, linux-x64; RID=linux-arm64 for arm) into artifacts/flock-operator
publish:
	@bash deploy/image/publish.sh

## bench: benchmarks (figures only, never pass/fail): sandbox API server, controller runtime, operator, image (BENCH=image)
bench: tools
	dotnet build tests/Flock.Bench -c Release --nologo -v quiet
	dotnet tests/Flock.Bench/bin/Release/net10.0/Flock.Bench.dll $(BENCH)

## run: the demo — sandbox (API server, simulated GPU cluster, FLock API, EVM), CRDs, samples, operator in the foreground
run: tools
	@bash tools/run-demo.sh

## stake: in the running demo, the training node's wallet stakes on task 12 (AwaitingStake → Running)
stake:
	@bash tools/stake.sh

## sandbox: start the sandbox API server detached; writes .sandbox/kubeconfig and .sandbox/endpoints.json
sandbox: tools
	@bash tools/sandbox.sh start

## sandbox-stop: stop the detached sandbox
sandbox-stop:
	@bash tools/sandbox.sh stop
