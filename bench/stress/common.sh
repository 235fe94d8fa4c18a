# Shared by the run-*.sh scripts: build once, run a filtered part of Tests/System.Tests at full size, keep the reports.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
export STRESS_SCALE="${STRESS_SCALE:-full}"
export STRESS_REPORT_DIR="${STRESS_REPORT_DIR:-$PWD/bench/stress/results}"
mkdir -p "$STRESS_REPORT_DIR"

run_stress() {
  local filter="$1"
  echo "== $(date -u +%FT%TZ) uptime: $(uptime)"
  dotnet build Tests/System.Tests -nologo -v:q
  dotnet test Tests/System.Tests --no-build -nologo --filter "$filter" --logger "console;verbosity=detailed"
  echo "== $(date -u +%FT%TZ) uptime: $(uptime)"
  echo "Reports in $STRESS_REPORT_DIR"
}
