#!/usr/bin/env bash
# Crash test at full size: 2,000 distinct signed webhooks at 25/s; Postgres restarted, analysis and crm killed
# with SIGKILL and restarted during the burst. Report: bench/stress/results/crash.txt.
# Sizes: STRESS_WEBHOOKS, STRESS_RATE.
source "$(dirname "$0")/common.sh"
run_stress "FullyQualifiedName~Stress.CrashTests"
