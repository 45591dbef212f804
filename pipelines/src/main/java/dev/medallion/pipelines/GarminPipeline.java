package dev.medallion.pipelines;

import dev.medallion.io.api.ApiBronze;
import dev.medallion.io.api.ApiSource;
import dev.medallion.io.garmin.GarminConnector;
import dev.medallion.io.http.ProcessEnvironment;
import dev.medallion.ops.Layer;
import dev.medallion.platform.ApiOptionChecks;
import dev.medallion.platform.Landing;
import dev.medallion.platform.LayerTables;
import dev.medallion.platform.PipelineDefinition;
import dev.medallion.platform.RunContext;
import dev.medallion.platform.SourceKind;
import dev.medallion.transforms.JdbcSteps;
import dev.medallion.transforms.garmin.GarminTables;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.values.PCollection;

/**
 * Garmin Connect (issue 12):
 *
 * <pre>
 * ApiSource(GarminConnector: activities from the newest page down to the newest landed start;
 *           social profile -> displayName -> sleep and heart rate per date, the last days again)
 *   + the requests earlier runs still owe                                  -> bronze.garmin_raw
 *   bronze (pending versions) -> silver.garmin_activities / garmin_sleep / garmin_heart_rate
 *   silver (+ silver.strava_activities) -> gold.sleep_nightly, gold.training_weekly (rebuilt)
 *   failed requests -> ops.quarantine; failed pages and dates -> ops.owed_requests
 * </pre>
 *
 * The cursors are what is landed: the activities watermark and the wellness dates come from bronze,
 * and a request that was not landed is owed and asked first next run, so a run that fails on page 2
 * resumes at page 2 with no gap, and silver keeps one row per activity or date.
 */
public final class GarminPipeline implements PipelineDefinition<GarminOptions> {
  public static final String NAME = "garmin";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Garmin Connect activities, daily sleep and heart rate (stored DI OAuth2 token pair,"
        + " resumable) into bronze, silver, gold.sleep_nightly and gold.training_weekly.";
  }

  @Override
  public SourceKind sourceKind() {
    return SourceKind.API;
  }

  @Override
  public List<LayerTables> layers() {
    return List.of(
        LayerTables.of(Layer.BRONZE, GarminTables.BRONZE),
        LayerTables.of(
            Layer.SILVER, GarminTables.ACTIVITIES, GarminTables.SLEEP, GarminTables.HEART_RATE),
        LayerTables.of(Layer.GOLD, GarminTables.SLEEP_NIGHTLY, GarminTables.TRAINING_WEEKLY));
  }

  @Override
  public Class<GarminOptions> optionsType() {
    return GarminOptions.class;
  }

  @Override
  public String schedule() {
    return "activities every 4 hours, sleep daily, heart rate every 8 hours (ingestion-config.yaml)";
  }

  static List<String> chosenStreams(GarminOptions options) {
    return ApiOptionChecks.streams(
        "Garmin", options.getStreams(), GarminConnector.STREAMS, List.of());
  }

  private static List<String> wellnessStreams(GarminOptions options) {
    return chosenStreams(options).stream()
        .filter(s -> !s.equals(GarminConnector.ACTIVITIES))
        .toList();
  }

  @Override
  public List<String> problems(GarminOptions options, boolean continuous) {
    List<String> problems = new ArrayList<>();
    Landing.check(problems, options.getLanding(), options.getEnv());
    try {
      chosenStreams(options);
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
    ApiOptionChecks.urls(
        problems,
        GarminConnector.create(),
        options.getAllowInsecureHttp(),
        "--garmin-base-url",
        options.getGarminBaseUrl(),
        "--garmin-token-url",
        options.getGarminTokenUrl());
    ApiOptionChecks.range(problems, "--limit", options.getLimit(), 1, 1000);
    ApiOptionChecks.range(problems, "--refetch-days", options.getRefetchDays(), 1, 31);
    ApiOptionChecks.range(
        problems, "--max-retry-wait-seconds", options.getMaxRetryWaitSeconds(), 0, 86_400);
    try {
      ZoneId.of(options.getTimezone());
    } catch (DateTimeException e) {
      problems.add("--timezone: unknown timezone '" + options.getTimezone() + "'");
    }
    if (options.getSince() != null && !options.getSince().isBlank()) {
      try {
        LocalDate.parse(options.getSince());
      } catch (DateTimeParseException e) {
        problems.add("--since takes a date YYYY-MM-DD, got '" + options.getSince() + "'");
      }
    }
    return problems;
  }

  /**
   * The activities watermark is the newest start landed in bronze. The wellness dates run to today
   * (--as-of, else today in --timezone) from the re-fetch window's first day, or earlier: from the
   * newest landed date's own window (days landed while they were still changing), or from --since
   * on a first run.
   */
  @Override
  public void prepare(GarminOptions options, RunContext context) {
    boolean incremental = !context.full() && context.runs(Layer.BRONZE);
    options.setActivitiesWatermark(
        incremental && chosenStreams(options).contains(GarminConnector.ACTIVITIES)
            ? GarminTables.newestActivityStart(context.target())
            : null);
    LocalDate today =
        options.getAsOf() == null || options.getAsOf().isBlank()
            ? LocalDate.now(ZoneId.of(options.getTimezone()))
            : LocalDate.parse(options.getAsOf());
    int back = options.getRefetchDays() - 1;
    LocalDate newest =
        incremental
            ? GarminTables.newestWellnessDate(context.target(), wellnessStreams(options))
            : null;
    LocalDate from = today.minusDays(back);
    if (newest != null) {
      LocalDate newestWindow = (newest.isAfter(today) ? today : newest).minusDays(back);
      from = newestWindow.isBefore(from) ? newestWindow : from;
    } else if (options.getSince() != null && !options.getSince().isBlank()) {
      LocalDate since = LocalDate.parse(options.getSince());
      from = since.isBefore(from) ? since : from;
    }
    options.setWellnessFrom(from.toString());
    options.setWellnessTo(today.toString());
  }

  @Override
  public String describeSource(GarminOptions options) {
    java.net.URI uri = java.net.URI.create(options.getGarminBaseUrl());
    Long watermark = options.getActivitiesWatermark();
    List<String> streams = chosenStreams(options);
    return uri.getScheme()
        + "://"
        + uri.getHost()
        + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
        + uri.getPath()
        + " ("
        + String.join(",", streams)
        + ")"
        + (streams.contains(GarminConnector.ACTIVITIES)
            ? ", "
                + (watermark == null ? "every activity" : "activities after epoch ms " + watermark)
            : "")
        + (wellnessStreams(options).isEmpty() || options.getWellnessFrom() == null
            ? ""
            : ", days " + options.getWellnessFrom() + " to " + options.getWellnessTo());
  }

  @Override
  public List<String> streams(GarminOptions options) {
    return chosenStreams(options);
  }

  static ApiSource source(GarminOptions options, RunContext context) {
    GarminConnector connector =
        GarminConnector.create()
            .withStreams(chosenStreams(options))
            .withWatermark(options.getActivitiesWatermark())
            .withLimit(options.getLimit())
            .withTokenUrl(options.getGarminTokenUrl())
            .withSecretSource(ProcessEnvironment.source())
            .withCredentialStore(context.target(), context.runId());
    if (options.getWellnessFrom() != null && options.getWellnessTo() != null) {
      connector =
          connector.withDates(
              LocalDate.parse(options.getWellnessFrom()), LocalDate.parse(options.getWellnessTo()));
    }
    return ApiSource.of(connector)
        .withBaseUrl(options.getGarminBaseUrl())
        .withHttpClientConfiguration(context.http())
        .withMaxRetryWait(Duration.ofSeconds(options.getMaxRetryWaitSeconds()));
  }

  @Override
  public void build(Pipeline pipeline, GarminOptions options, RunContext context) {
    List<PCollection<Void>> bronzeWritten = new ArrayList<>();
    if (context.runs(Layer.BRONZE)) {
      bronzeWritten.add(
          pipeline
              .apply(
                  "LandGarmin",
                  ApiBronze.from(source(options, context))
                      .into(context.target(), GarminTables.BRONZE)
                      .forRun(NAME, context.runId())
                      .landingIn(Landing.root(options.getLanding(), options.getEnv()))
                      .retryingOwed(streams(options)))
              .get(ApiBronze.WRITTEN));
    }
    List<PCollection<Void>> silverWritten = new ArrayList<>();
    if (context.runs(Layer.SILVER)) {
      List<String> streams = chosenStreams(options);
      if (streams.contains(GarminConnector.ACTIVITIES)) {
        silverWritten.add(
            pipeline.apply(
                "UpsertSilverActivities",
                JdbcSteps.executeAfter(
                    "UpsertActivities",
                    context.target(),
                    GarminTables.upsertActivities(),
                    bronzeWritten)));
      }
      if (streams.contains(GarminConnector.SLEEP)) {
        silverWritten.add(
            pipeline.apply(
                "UpsertSilverSleep",
                JdbcSteps.executeAfter(
                    "UpsertSleep", context.target(), GarminTables.upsertSleep(), bronzeWritten)));
      }
      if (streams.contains(GarminConnector.HEART_RATE)) {
        silverWritten.add(
            pipeline.apply(
                "UpsertSilverHeartRate",
                JdbcSteps.executeAfter(
                    "UpsertHeartRate",
                    context.target(),
                    GarminTables.upsertHeartRate(),
                    bronzeWritten)));
      }
    }
    if (context.runs(Layer.GOLD)) {
      // Both are rebuilt from all of silver: a few rows a day, and Strava's silver may have moved.
      pipeline.apply(
          "RebuildSleepNightly",
          JdbcSteps.executeAfter(
              "RebuildSleepNightly",
              context.target(),
              GarminTables.rebuildSleepNightly(),
              silverWritten));
      pipeline.apply(
          "RebuildTrainingWeekly",
          JdbcSteps.executeAfter(
              "RebuildTrainingWeekly",
              context.target(),
              GarminTables.rebuildTrainingWeekly(),
              silverWritten));
    }
  }
}
