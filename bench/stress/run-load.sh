#!/usr/bin/env bash
# Load figures: the whole pipeline at 30 webhooks/s for 120 s (fake LLM 200 ms, ANALYZE_MAX_CONCURRENCY=8,
# ANALYZE_MIN_MS=0) and the gateway alone at its maximum rate for 30 s with 32 connections.
# Reports: bench/stress/results/load-pipeline.txt, load-gateway.txt. STRESS_LOAD_RATE, STRESS_LOAD_SEC, STRESS_GATEWAY_SEC.
export STRESS_LOAD=1
source "$(dirname "$0")/common.sh"
run_stress "FullyQualifiedName~Stress.LoadTests"
