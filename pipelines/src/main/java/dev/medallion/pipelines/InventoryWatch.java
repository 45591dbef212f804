package dev.medallion.pipelines;

import dev.medallion.ops.Mode;
import dev.medallion.platform.JobRunner;
import dev.medallion.platform.PipelineDefinition;
import dev.medallion.platform.RunRequest;
import dev.medallion.platform.UsageError;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code medallion watch}: every inventory pipeline of the routing table as its own continuous run
 * ({@code run P --continuous}) over the same source, side by side, each in its own thread: a
 * pipeline's failure or slowness never holds up another's snapshots. Each run polls the source,
 * takes the new files routed to it and keeps its dates' snapshots current; the first pipeline also
 * records the files no route takes, so each is recorded once.
 */
public final class InventoryWatch {
  private final JobRunner runner;

  public InventoryWatch(JobRunner runner) {
    this.runner = runner;
  }

  /**
   * Runs {@code pipelines} (inventory definitions, in routing-table order) continuously, polling
   * every {@code pollInterval} (30s, 5m, 1h), {@code maxPolls} times (0: until stopped). {@code
   * args} are the pipelines' own flags (the source, --config, ...). Returns 0 when every run ended
   * well, 1 otherwise.
   */
  public int watch(
      List<PipelineDefinition<?>> pipelines,
      List<String> args,
      String profile,
      List<String> beamArgs,
      String pollInterval,
      int maxPolls) {
    List<JobRunner.Plan<?>> plans = new ArrayList<>();
    for (int i = 0; i < pipelines.size(); i++) {
      PipelineDefinition<?> definition = pipelines.get(i);
      if (!(definition instanceof InventoryPipeline)) {
        throw new UsageError(
            definition.name() + " is not an inventory pipeline: it cannot be watched");
      }
      List<String> own = new ArrayList<>(args);
      if (maxPolls > 0) {
        own.add("--maxPolls=" + maxPolls);
      }
      if (i > 0) {
        own.add("--recordUnrouted=false"); // the first pipeline records an unrouted file, once
      }
      // planned (and so checked) before any starts
      plans.add(
          JobRunner.plan(
              definition,
              new RunRequest(
                  null, Mode.INCREMENTAL, null, profile, true, pollInterval, own, beamArgs)));
    }
    ExecutorService threads = Executors.newFixedThreadPool(plans.size());
    try {
      List<Future<Boolean>> runs = new ArrayList<>();
      for (JobRunner.Plan<?> plan : plans) {
        runs.add(threads.submit(() -> runner.run(plan).succeeded()));
      }
      boolean allWell = true;
      for (Future<Boolean> run : runs) {
        try {
          allWell &= run.get();
        } catch (ExecutionException e) {
          allWell = false; // the run's own lines said why
        }
      }
      return allWell ? 0 : 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    } finally {
      threads.shutdownNow();
    }
  }
}
