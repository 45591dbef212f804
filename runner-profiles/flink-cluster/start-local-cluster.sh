#!/usr/bin/env bash
# Starts a standalone Flink 1.19 session cluster on loopback: one JobManager and one TaskManager,
# as two background java processes, from Flink jars resolved through Maven (nothing is downloaded
# from anywhere else). Waits until the REST API shows a registered TaskManager slot.
#
#   runner-profiles/flink-cluster/start-local-cluster.sh      # then: ./medallion run edge --profile flink-cluster ...
#   runner-profiles/flink-cluster/stop-local-cluster.sh
#
# Settings (environment): FLINK_REST_PORT (8081), FLINK_RPC_PORT (6123), FLINK_SLOTS (2),
# FLINK_TM_TASK_HEAP_MB (512), FLINK_JM_MEMORY (1024m), FLINK_START_TIMEOUT seconds (120),
# MEDALLION_FLINK_HOME: where jars, conf, logs and pid files go (default .medallion/flink-cluster).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
home="${MEDALLION_FLINK_HOME:-$root/.medallion/flink-cluster}"
rest_port="${FLINK_REST_PORT:-8081}"
rpc_port="${FLINK_RPC_PORT:-6123}"
slots="${FLINK_SLOTS:-2}"
tm_task_heap_mb="${FLINK_TM_TASK_HEAP_MB:-512}"
jm_memory="${FLINK_JM_MEMORY:-1024m}"
timeout="${FLINK_START_TIMEOUT:-120}"
mkdir -p "$home/lib" "$home/conf" "$home/log" "$home/tmp"

# shellcheck source=cluster-common.sh
. "$here/cluster-common.sh"

for role in jobmanager taskmanager; do
  if pid="$(running_pid "$role")"; then
    echo "A Flink $role is already running (pid $pid). Stop it first: $here/stop-local-cluster.sh" >&2
    exit 1
  fi
done
if curl -s -o /dev/null "http://localhost:$rest_port/overview"; then
  echo "Something already answers on http://localhost:$rest_port: stop it, or set FLINK_REST_PORT to a free port." >&2
  exit 1
fi

# 1. The jars, once: the Maven registry only (add -o to MAVEN_ARGS to stay offline).
if [ ! -f "$home/lib/.complete" ]; then
  echo "Resolving the Flink 1.19.0 jars through Maven into $home/lib ..." >&2
  rm -f "$home"/lib/*.jar
  # shellcheck disable=SC2086
  if ! mvn -B -q ${MAVEN_ARGS:-} -f "$here/flink-jars.pom.xml" dependency:copy-dependencies \
      -DoutputDirectory="$home/lib" -DincludeScope=runtime >"$home/log/maven.log" 2>&1; then
    echo "Maven could not resolve the Flink jars; see $home/log/maven.log" >&2
    exit 1
  fi
  touch "$home/lib/.complete"
fi

# 2. The configuration.
cat >"$home/conf/flink-conf.yaml" <<YAML
# Written by start-local-cluster.sh; edits are lost on the next start.
jobmanager.rpc.address: localhost
jobmanager.rpc.port: $rpc_port
jobmanager.bind-host: localhost
jobmanager.memory.process.size: $jm_memory
taskmanager.host: localhost
taskmanager.bind-host: localhost
taskmanager.numberOfTaskSlots: $slots
taskmanager.cpu.cores: $slots
# Flink's own scripts derive these from taskmanager.memory.process.size; started directly, the
# TaskManager needs them spelled out (they add up to about 1.6 GB, matching -Xmx and the direct memory below).
taskmanager.memory.framework.heap.size: 128m
taskmanager.memory.task.heap.size: ${tm_task_heap_mb}m
taskmanager.memory.managed.size: 128m
taskmanager.memory.framework.off-heap.size: 128m
taskmanager.memory.task.off-heap.size: 0m
taskmanager.memory.network.min: 256m
taskmanager.memory.network.max: 256m
taskmanager.memory.jvm-metaspace.size: 256m
taskmanager.memory.jvm-overhead.min: 192m
taskmanager.memory.jvm-overhead.max: 192m
rest.address: localhost
rest.bind-address: localhost
rest.port: $rest_port
io.tmp.dirs: $home/tmp
web.tmpdir: $home/tmp/web
blob.storage.directory: $home/tmp/blobs
parallelism.default: $slots
execution.checkpointing.dir: file://$home/checkpoints
state.checkpoints.dir: file://$home/checkpoints
YAML

# 3. The two processes.
classpath="$home/lib/*"
start_process() {
  local role="$1" main="$2" memory="$3"
  # shellcheck disable=SC2086
  nohup java $FLINK_JVM_OPENS $memory -Dlog.file="$home/log/$role.log" \
    -Dorg.slf4j.simpleLogger.showDateTime=true -Dorg.slf4j.simpleLogger.dateTimeFormat="yyyy-MM-dd HH:mm:ss,SSS" \
    -cp "$classpath" "$main" --configDir "$home/conf" >"$home/log/$role.log" 2>&1 </dev/null &
  echo $! >"$home/$role.pid"
}
started=$(date +%s)
start_process jobmanager org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint "-Xmx512m -XX:MaxMetaspaceSize=256m"
start_process taskmanager org.apache.flink.runtime.taskexecutor.TaskManagerRunner \
  "-Xmx$((128 + tm_task_heap_mb))m -XX:MaxDirectMemorySize=384m -XX:MaxMetaspaceSize=256m"

# 4. Wait for a TaskManager slot.
while true; do
  overview="$(curl -s "http://localhost:$rest_port/overview" || true)"
  if echo "$overview" | grep -Eq '"slots-total":[1-9]'; then
    break
  fi
  for role in jobmanager taskmanager; do
    if ! running_pid "$role" >/dev/null; then
      echo "The Flink $role exited while starting; last lines of $home/log/$role.log:" >&2
      tail -n 30 "$home/log/$role.log" >&2
      "$here/stop-local-cluster.sh" >&2 || true
      exit 1
    fi
  done
  if [ $(( $(date +%s) - started )) -ge "$timeout" ]; then
    echo "No TaskManager slot after ${timeout}s; see the logs in $home/log. Stopping." >&2
    "$here/stop-local-cluster.sh" >&2 || true
    exit 1
  fi
  sleep 1
done
echo "Flink session cluster up in $(( $(date +%s) - started ))s: http://localhost:$rest_port (JobManager pid $(cat "$home/jobmanager.pid"), TaskManager pid $(cat "$home/taskmanager.pid"), logs in $home/log)"
