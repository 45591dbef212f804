#!/usr/bin/env bash
# Stops the Flink session cluster that start-local-cluster.sh started (by its pid files only):
# SIGTERM, up to 30 s for a clean shutdown, then SIGKILL.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
home="${MEDALLION_FLINK_HOME:-$root/.medallion/flink-cluster}"
# shellcheck source=cluster-common.sh
. "$here/cluster-common.sh"

stopped=0
for role in taskmanager jobmanager; do
  if pid="$(running_pid "$role")"; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 30); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 1
    done
    if kill -0 "$pid" 2>/dev/null; then
      echo "The Flink $role (pid $pid) did not stop in 30 s; killing it." >&2
      kill -9 "$pid" 2>/dev/null || true
    fi
    echo "Stopped the Flink $role (pid $pid)."
    stopped=$((stopped + 1))
  fi
  rm -f "$home/$role.pid"
done
[ "$stopped" -gt 0 ] || echo "No Flink cluster from $home was running."
