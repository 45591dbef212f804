package dev.medallion.pipelines;

import dev.medallion.ops.Mode;
import dev.medallion.transforms.grouping.GroupingOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * Settings every Medallion pipeline shares. The database password is deliberately not an option:
 * options are shown in runner UIs and logs, so it travels only inside the connection settings.
 */
public interface MedallionOptions extends PipelineOptions, GroupingOptions {
  @Description(
      "JDBC URL of the PostgreSQL that holds the layers, e.g. jdbc:postgresql://db:5432/medallion.")
  String getJdbcUrl();

  void setJdbcUrl(String value);

  @Description("The database user.")
  String getJdbcUser();

  void setJdbcUser(String value);

  @Description("Which layers to run: all, or a comma-separated list such as bronze,silver.")
  @Default.String("all")
  String getLayers();

  void setLayers(String value);

  @Description(
      "incremental takes only what is new since the last run; full reprocesses everything.")
  @Default.Enum("INCREMENTAL")
  Mode getMode();

  void setMode(Mode value);

  @Description("The day (YYYY-MM-DD) that features are computed as of; today (UTC) when unset.")
  String getAsOf();

  void setAsOf(String value);

  @Description("Continuous mode: how often to look for new data, in seconds.")
  @Default.Long(30)
  long getPollIntervalSeconds();

  void setPollIntervalSeconds(long value);

  @Description("An identifier for this run, recorded in ops.pipeline_runs and the quarantine.")
  String getRunId();

  void setRunId(String value);

  @Description(
      "The business date (YYYY-MM-DD) this run processes, for pipelines that take one (medallion backfill sets it per date).")
  String getBusinessDate();

  void setBusinessDate(String value);

  /** The day features are computed as of: --as-of, else today (UTC). */
  static java.time.LocalDate asOf(MedallionOptions options) {
    return options.getAsOf() == null || options.getAsOf().isBlank()
        ? java.time.LocalDate.now(java.time.ZoneOffset.UTC)
        : java.time.LocalDate.parse(options.getAsOf());
  }
}
