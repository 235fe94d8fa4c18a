#!/usr/bin/env bash
# Outage tests at full size: OpenAI down 60 s (service default retry delays), CRM down (breaker 60 s open),
# Postgres down during ingest. Reports: bench/stress/results/outage-*.txt. STRESS_LLM_OUTAGE_SEC, STRESS_OUTAGE_WEBHOOKS.
source "$(dirname "$0")/common.sh"
run_stress "FullyQualifiedName~Stress.OutageTests"
