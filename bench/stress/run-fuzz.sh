#!/usr/bin/env bash
# Fuzz run at full size: 10,000 hostile webhooks and 2 x 2,000 hostile gRPC calls, seed STRESS_SEED (fixed default).
# Reports: bench/stress/results/fuzz-webhooks.txt, fuzz-grpc.txt. Sizes: STRESS_FUZZ_WEBHOOKS, STRESS_FUZZ_GRPC.
source "$(dirname "$0")/common.sh"
run_stress "FullyQualifiedName~Stress.FuzzTests"
