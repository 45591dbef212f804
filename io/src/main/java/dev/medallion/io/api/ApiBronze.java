package dev.medallion.io.api;

import dev.medallion.io.quarantine.WriteQuarantine;
import dev.medallion.ops.db.JdbcTarget;
import java.util.List;
import javax.annotation.Nullable;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;

/**
 * The API -> bronze landing every connector shares:
 *
 * <pre>
 * ApiSource (+ the requests earlier runs still owe)
 *   RECORDS  -> [LandRawPages: ROOT/{service}/{stream}/dt=DAY/{run}-{n}.jsonl, read back]
 *            -> WriteApiBronze(table)                         -> WRITTEN
 *   OUTCOMES -> RecordOwedRequests (failed owed, succeeded paid)
 *   FAILURES -> WriteQuarantine(pipeline, run)                -> QUARANTINED
 * </pre>
 *
 * <pre>{@code
 * PCollection<Void> bronzeWritten =
 *     pipeline.apply("LandStrava",
 *         ApiBronze.from(source).into(target, "bronze.strava_raw").forRun("strava", runId)
 *             .retryingOwed(streams))
 *         .get(ApiBronze.WRITTEN);
 * }</pre>
 *
 * <p>A pipeline's later layers wait on {@link #WRITTEN}; {@link #QUARANTINED} is there for a step
 * that must wait until the source's failures are safe.
 */
public final class ApiBronze extends PTransform<PBegin, PCollectionTuple> {
  private static final long serialVersionUID = 1L;

  /** Signal: every record fetched is in bronze (new versions inserted, unchanged ones skipped). */
  public static final TupleTag<Void> WRITTEN = new TupleTag<>() {};

  /** Signal: every failed request and refused row is in ops.quarantine. */
  public static final TupleTag<Void> QUARANTINED = new TupleTag<>() {};

  private final ApiSource source;
  @Nullable private final JdbcTarget target;
  @Nullable private final String table;
  @Nullable private final String pipeline;
  @Nullable private final String runId;
  @Nullable private final List<String> owedStreams;
  @Nullable private final String landingRoot;

  private ApiBronze(
      ApiSource source,
      @Nullable JdbcTarget target,
      @Nullable String table,
      @Nullable String pipeline,
      @Nullable String runId,
      @Nullable List<String> owedStreams,
      @Nullable String landingRoot) {
    this.source = source;
    this.target = target;
    this.table = table;
    this.pipeline = pipeline;
    this.runId = runId;
    this.owedStreams = owedStreams;
    this.landingRoot = landingRoot;
  }

  /** Lands what {@code source} fetches. */
  public static ApiBronze from(ApiSource source) {
    if (source == null) {
      throw new IllegalArgumentException("from() needs an ApiSource");
    }
    return new ApiBronze(source, null, null, null, null, null, null);
  }

  /** The bronze table (schema-qualified, shaped as {@link WriteApiBronze} says) in the database. */
  public ApiBronze into(JdbcTarget database, String bronzeTable) {
    WriteApiBronze.into(database, bronzeTable); // checks both
    return new ApiBronze(source, database, bronzeTable, pipeline, runId, owedStreams, landingRoot);
  }

  /** The pipeline and run the quarantine and the owed requests are recorded under. */
  public ApiBronze forRun(String pipelineName, String run) {
    if (pipelineName == null || pipelineName.isBlank() || run == null || run.isBlank()) {
      throw new IllegalArgumentException("forRun() needs a pipeline name and a run id");
    }
    return new ApiBronze(source, target, table, pipelineName, run, owedStreams, landingRoot);
  }

  /**
   * Also asks again for the requests earlier runs of the pipeline failed or deferred, of these
   * streams (read from ops.owed_requests when the pipeline is built).
   */
  public ApiBronze retryingOwed(List<String> streams) {
    if (streams == null) {
      throw new IllegalArgumentException("retryingOwed() needs a list of streams");
    }
    return new ApiBronze(source, target, table, pipeline, runId, List.copyOf(streams), landingRoot);
  }

  /**
   * Lands the raw pages as JSON-lines files under {@code root} first ({@link LandRawPages}:
   * "gs://BUCKET" through Beam's GCS file system, or a local folder's absolute path), and writes
   * bronze from the landed files; the pipeline name is the service folder.
   */
  public ApiBronze landingIn(String root) {
    if (root == null || root.isBlank()) {
      throw new IllegalArgumentException("landingIn() needs gs://BUCKET or a folder");
    }
    return new ApiBronze(source, target, table, pipeline, runId, owedStreams, root);
  }

  @Override
  public PCollectionTuple expand(PBegin input) {
    if (target == null) {
      throw new IllegalStateException("ApiBronze needs into(target, table)");
    }
    if (pipeline == null) {
      throw new IllegalStateException("ApiBronze needs forRun(pipeline, runId)");
    }
    ApiSource reading =
        owedStreams == null
            ? source
            : source.retrying(RecordOwedRequests.owed(target, pipeline, owedStreams));
    PCollectionTuple fetched = input.apply("FetchPages", reading);
    PCollection<Void> quarantined =
        fetched
            .get(ApiSource.FAILURES)
            .apply("QuarantineFailures", WriteQuarantine.of(target, pipeline, runId));
    fetched
        .get(ApiSource.OUTCOMES)
        .apply("RecordOwedRequests", RecordOwedRequests.of(target, pipeline, runId));
    PCollection<ApiRecord> records = fetched.get(ApiSource.RECORDS);
    if (landingRoot != null) {
      records = records.apply("LandRawPages", LandRawPages.under(landingRoot, pipeline, runId));
    }
    PCollection<Void> written = records.apply("WriteBronze", WriteApiBronze.into(target, table));
    return PCollectionTuple.of(WRITTEN, written).and(QUARANTINED, quarantined);
  }
}
