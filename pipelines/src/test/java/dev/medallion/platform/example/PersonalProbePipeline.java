package dev.medallion.platform.example;

import dev.medallion.core.Counted;
import dev.medallion.ops.Layer;
import dev.medallion.platform.LayerTables;
import dev.medallion.platform.PipelineDefinition;
import dev.medallion.platform.RunContext;
import dev.medallion.platform.SourceKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;

/**
 * A test-only stand-in for a personal-data connector (registered as {@code personal_probe}): it
 * takes the orchestrator's {@code --streams} and {@code --env}, "reads" a set number of records per
 * stream (counted as bronze out, as a connector's landed pages are), and fails a run that asks for
 * a stream the test marked as failing. Tests point a config's service at it with {@code pipeline:
 * personal_probe}. Settings live in static fields because the test and the DirectRunner share the
 * JVM; they are read while the pipeline is built, on the runner's calling thread.
 */
public final class PersonalProbePipeline implements PipelineDefinition<PersonalProbeOptions> {
  public static final String NAME = "personal_probe";

  /** Records per stream (2 when not set). */
  public static final Map<String, Integer> RECORDS = new ConcurrentHashMap<>();

  /** Streams whose runs fail. */
  public static final Set<String> FAILING = ConcurrentHashMap.newKeySet();

  /** Every run's "streams@env", in the order they were built. */
  public static final List<String> RUNS = new CopyOnWriteArrayList<>();

  /** Forgets the settings and runs of the previous test. */
  public static void reset() {
    RECORDS.clear();
    FAILING.clear();
    RUNS.clear();
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Test only: stands in for a personal-data connector run by medallion ingest.";
  }

  @Override
  public SourceKind sourceKind() {
    return SourceKind.API;
  }

  @Override
  public List<LayerTables> layers() {
    return List.of(LayerTables.of(Layer.BRONZE, "bronze.personal_probe_raw"));
  }

  @Override
  public Class<PersonalProbeOptions> optionsType() {
    return PersonalProbeOptions.class;
  }

  @Override
  public String schedule() {
    return "by medallion ingest (ingestion-config.yaml)";
  }

  @Override
  public String describeSource(PersonalProbeOptions options) {
    return "probe streams " + options.getStreams() + " (" + options.getEnv() + ")";
  }

  @Override
  public List<String> streams(PersonalProbeOptions options) {
    return Arrays.stream(options.getStreams().split(",")).map(String::strip).toList();
  }

  @Override
  public List<String> problems(PersonalProbeOptions options, boolean continuous) {
    return List.of("dev", "prd").contains(options.getEnv())
        ? List.of()
        : List.of("--env " + options.getEnv() + ": use dev or prd");
  }

  @Override
  public void build(Pipeline pipeline, PersonalProbeOptions options, RunContext context) {
    List<String> records = new ArrayList<>();
    boolean fail = false;
    for (String stream : streams(options)) {
      for (int i = 0; i < RECORDS.getOrDefault(stream, 2); i++) {
        records.add(stream + ":" + i);
      }
      fail |= FAILING.contains(stream);
    }
    RUNS.add(options.getStreams() + "@" + options.getEnv());
    pipeline
        .apply("ReadProbe", Create.of(records))
        .apply("CountIn", Counted.in(Layer.BRONZE))
        .apply("FailWhenAsked", ParDo.of(new FailWhenAsked(fail)))
        .apply("CountOut", Counted.out(Layer.BRONZE));
  }

  /** Fails the bundle when the run asked for a failing stream: a run that fails mid-way. */
  private static final class FailWhenAsked extends DoFn<String, String> {
    private static final long serialVersionUID = 1L;
    private final boolean fail;

    FailWhenAsked(boolean fail) {
      this.fail = fail;
    }

    @ProcessElement
    public void process(@Element String record, OutputReceiver<String> out) {
      if (fail) {
        throw new IllegalStateException("probe: the API refused " + record);
      }
      out.output(record);
    }
  }
}
