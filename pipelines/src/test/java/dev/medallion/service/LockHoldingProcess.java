package dev.medallion.service;

import dev.medallion.ops.Layer;
import dev.medallion.ops.Mode;
import dev.medallion.ops.PipelineLock;
import dev.medallion.ops.RunRecorder;
import dev.medallion.ops.RunStatus;
import dev.medallion.ops.db.JdbcTarget;
import java.io.IOException;
import java.util.EnumSet;
import java.util.Map;

/**
 * A separate JVM standing in for a CLI run in the middle of its work: it takes the pipeline's
 * advisory lock and records its run as running exactly as {@code JobRunner} does, says {@code
 * holding PID}, and ends its run (succeeded) and lets the lock go when its standard input closes.
 * Started by {@link OpsServiceApiTest} from the test class path.
 *
 * <p>Arguments: JDBC URL, user, password, pipeline, run id.
 */
public final class LockHoldingProcess {
  private LockHoldingProcess() {}

  public static void main(String[] args) throws IOException {
    JdbcTarget target = JdbcTarget.of(args[0], args[1], args[2]);
    String pipeline = args[3];
    String runId = args[4];
    RunRecorder recorder = new RunRecorder(target);
    try (PipelineLock lock = PipelineLock.acquire(target, pipeline, false, line -> {})) {
      recorder.started(
          runId, pipeline, Mode.INCREMENTAL, EnumSet.of(Layer.BRONZE), "DirectRunner", false);
      System.out.println("holding " + ProcessHandle.current().pid());
      System.out.flush();
      // Blocks until the test closes our standard input: the run "works" until then.
      while (System.in.read() >= 0) {
        // keep reading
      }
      recorder.finished(runId, RunStatus.SUCCEEDED, Map.of(), null);
    }
    System.exit(0);
  }
}
