package dev.medallion.transforms;

import dev.medallion.ops.RunRecorder;
import dev.medallion.ops.db.JdbcTarget;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Max;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

/**
 * Records in the run's row of ops.pipeline_runs the highest change-sequence bound its incremental
 * reads saw ({@link RunRecorder#readWatermark}), for the next run to read from; only a run that
 * succeeds counts, so a failed one is caught up by the next.
 */
public final class RecordReadWatermark extends PTransform<PCollection<Long>, PCollection<Void>> {
  private static final long serialVersionUID = 1L;

  private final JdbcTarget target;
  private final String runId;

  private RecordReadWatermark(JdbcTarget target, String runId) {
    this.target = target;
    this.runId = runId;
  }

  public static RecordReadWatermark of(JdbcTarget target, String runId) {
    return new RecordReadWatermark(target, runId);
  }

  @Override
  public PCollection<Void> expand(PCollection<Long> bounds) {
    return bounds
        .apply("HighestBound", Max.longsGlobally())
        .apply("RecordInRun", ParDo.of(new RecordFn(target, runId)));
  }

  private static final class RecordFn extends DoFn<Long, Void> {
    private static final long serialVersionUID = 1L;
    private final JdbcTarget target;
    private final String runId;

    RecordFn(JdbcTarget target, String runId) {
      this.target = target;
      this.runId = runId;
    }

    @ProcessElement
    public void record(@Element Long bound) {
      // Max of an empty input is Long.MIN_VALUE: nothing was read, so the bound stays unset.
      if (bound != Long.MIN_VALUE) {
        new RunRecorder(target).readWatermark(runId, bound);
      }
    }
  }
}
