package dev.medallion.platform;

import dev.medallion.core.LayerCounts;
import dev.medallion.ops.Layer;
import dev.medallion.ops.Mode;
import dev.medallion.ops.QuarantineEntry;
import dev.medallion.ops.quality.QualityCheck;
import dev.medallion.pipelines.MedallionOptions;
import java.io.PrintStream;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.beam.sdk.Pipeline;

/**
 * Everything the platform needs to know about one pipeline: its name, its source, its layers with
 * the tables each writes, its options interface (whose own getters become the pipeline's
 * command-line flags), its schedule, and how to build each layer. The {@link JobRunner} does the
 * rest for every pipeline alike: validation, run history, progress, counts, the quarantine, the
 * summary.
 *
 * <p>A definition is registered by naming its class in {@code
 * META-INF/services/dev.medallion.platform.PipelineDefinition}; see README "Adding a pipeline".
 */
public interface PipelineDefinition<O extends MedallionOptions> {

  /**
   * The name users type: {@code medallion run NAME}. Lower case, letters, digits and underscores.
   */
  String name();

  /** One line for {@code medallion pipelines} and the command's help. */
  String description();

  SourceKind sourceKind();

  /** The layers in the order data flows, each with the tables it writes. */
  List<LayerTables> layers();

  /** The options interface: its own getters (not MedallionOptions') are the pipeline's flags. */
  Class<O> optionsType();

  /** When it runs on a schedule, e.g. "every 15 minutes (.github/workflows/edge-pipeline.yml)". */
  String schedule();

  default Set<Mode> modes() {
    return EnumSet.allOf(Mode.class);
  }

  /**
   * Whether {@code --continuous} applies: then {@link #buildContinuous} builds the never-ending
   * pipeline.
   */
  default boolean supportsContinuous() {
    return false;
  }

  /** The layers a continuous run keeps current. */
  default Set<Layer> continuousLayers() {
    return layerSet();
  }

  /**
   * Settles options that depend on each other before anything is validated, e.g. a preset that
   * chooses the layers. Throws IllegalArgumentException with a message naming the flag.
   */
  default void normalize(O options) {}

  /** Problems with the options beyond their types, each naming the flag and what is accepted. */
  default List<String> problems(O options, boolean continuous) {
    return List.of();
  }

  /**
   * Work before the pipeline is built, with the database at hand: reading a watermark, checking
   * that the source can be read. Throws {@link RunFailure} with what to do when the run cannot
   * start.
   */
  default void prepare(O options, RunContext context) {}

  /** {@link #prepare} for a continuous run; the same unless the definition plans differently. */
  default void prepareContinuous(O options, RunContext context) {
    prepare(options, context);
  }

  /** Where the data comes from, for the run's first lines (never a credential). */
  String describeSource(O options);

  /**
   * What --dry-run says about the source and the pipeline's own settings, after the layers and
   * mode.
   */
  default String describePlan(O options) {
    return "source " + describeSource(options);
  }

  /**
   * An API source's streams this run asks for (endpoints, data types): each gets its bronze status
   * row.
   */
  default List<String> streams(O options) {
    return List.of();
  }

  /** Adds the chosen layers ({@link RunContext#layers()}) to the pipeline. */
  void build(Pipeline pipeline, O options, RunContext context);

  /** Adds the continuous pipeline: {@link #continuousLayers()} kept current as data arrives. */
  default void buildContinuous(Pipeline pipeline, O options, RunContext context) {
    throw new UnsupportedOperationException(name() + " has no continuous mode");
  }

  /** Lines the summary prints after the counts table, e.g. files read and moved. */
  default void printSummary(PrintStream out, O options, RunContext context, LayerCounts counts) {}

  /**
   * Makes quarantined records of one layer flow again on the next run of that layer (after the
   * cause is fixed): e.g. set their bronze rows back to pending, or put a quarantined file back in
   * the landing zone. Returns the entries it could requeue; the others are reported as not
   * replayable.
   */
  default List<QuarantineEntry> requeue(
      Layer layer, List<QuarantineEntry> entries, O options, RunContext context) {
    return List.of();
  }

  /**
   * The data-quality checks run after each run of this pipeline (each only when the run ran its
   * layer), beside the row-count reconciliation every pipeline gets (see {@link
   * QualityPlan#checksAfter}). Their outcomes go to ops.data_quality_checks; a failed check is a
   * {@code quality.issue_detected} event, never a failed run.
   */
  default List<QualityCheck> qualityChecks() {
    return List.of();
  }

  /**
   * Whether a run can be given one business date to process ({@code --businessDate=YYYY-MM-DD},
   * which {@code medallion backfill} passes once per date); the run history records it.
   */
  default boolean supportsBusinessDate() {
    return false;
  }

  /**
   * The business date a run of these options processes, recorded in its history; a definition whose
   * own flag also names one (the inventory pipelines' {@code --date}) says so here.
   */
  default String businessDate(O options) {
    return options.getBusinessDate();
  }

  /**
   * A query counting the gold rows of one business date (its one parameter), when the pipeline can
   * tell: {@code medallion backfill --only-missing} then also takes a date whose run succeeded but
   * left no rows.
   */
  default Optional<String> businessDateRowsQuery() {
    return Optional.empty();
  }

  /** The layers of this pipeline. */
  default Set<Layer> layerSet() {
    Set<Layer> layers = new LinkedHashSet<>();
    layers().forEach(l -> layers.add(l.layer()));
    return EnumSet.copyOf(layers);
  }

  /** The tables a layer writes. */
  default List<String> tablesOf(Layer layer) {
    return layers().stream()
        .filter(l -> l.layer() == layer)
        .findFirst()
        .map(LayerTables::tables)
        .orElse(List.of());
  }
}
