package dev.medallion.pipelines;

import dev.medallion.io.api.ApiBronze;
import dev.medallion.io.api.ApiSource;
import dev.medallion.io.http.ProcessEnvironment;
import dev.medallion.io.http.RefreshTokenStore;
import dev.medallion.io.strava.StravaConnector;
import dev.medallion.ops.Layer;
import dev.medallion.platform.ApiOptionChecks;
import dev.medallion.platform.Landing;
import dev.medallion.platform.LayerTables;
import dev.medallion.platform.PipelineDefinition;
import dev.medallion.platform.RunContext;
import dev.medallion.platform.SourceKind;
import dev.medallion.transforms.strava.StravaTables;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.values.PCollection;

/**
 * Strava (issue 12):
 *
 * <pre>
 * ApiSource(StravaConnector: activities after the newest landed start - overlap, page by page; athlete)
 *   + the pages earlier runs still owe (failed, or left when the quota was spent)  -> bronze.strava_raw
 *   bronze (pending versions) -> silver.strava_activities / silver.strava_athlete (one statement each)
 *   failed requests -> ops.quarantine; failed and deferred pages -> ops.owed_requests
 * </pre>
 *
 * The cursor is what is landed: the next run's {@code after} comes from bronze, and a page that was
 * not landed (it failed, or the quota stopped the stream before it) is owed and asked first, so a
 * run that fails on page 3 resumes at page 3, with no gap, and silver keeps one row per id.
 */
public final class StravaPipeline implements PipelineDefinition<StravaOptions> {
  public static final String NAME = "strava";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Strava activities and athlete profile (OAuth refresh, quota-aware, resumable) into bronze and silver.";
  }

  @Override
  public SourceKind sourceKind() {
    return SourceKind.API;
  }

  @Override
  public List<LayerTables> layers() {
    return List.of(
        LayerTables.of(Layer.BRONZE, StravaTables.BRONZE),
        new LayerTables(Layer.SILVER, List.of(StravaTables.ACTIVITIES, StravaTables.ATHLETE)));
  }

  @Override
  public Class<StravaOptions> optionsType() {
    return StravaOptions.class;
  }

  @Override
  public String schedule() {
    return "activities every 6 hours, athlete weekly (ingestion-config.yaml)";
  }

  /** The data types chosen with --streams, checked. */
  static List<String> chosenStreams(StravaOptions options) {
    return ApiOptionChecks.streams(
        "Strava", options.getStreams(), StravaConnector.STREAMS, List.of());
  }

  @Override
  public List<String> problems(StravaOptions options, boolean continuous) {
    List<String> problems = new ArrayList<>();
    try {
      chosenStreams(options);
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
    ApiOptionChecks.urls(
        problems,
        StravaConnector.create(),
        options.getAllowInsecureHttp(),
        "--strava-base-url",
        options.getStravaBaseUrl(),
        "--strava-token-url",
        options.getStravaTokenUrl());
    ApiOptionChecks.range(problems, "--per-page", options.getPerPage(), 1, 200);
    if (options.getOverlapSeconds() < 0) {
      problems.add("--overlap-seconds must be 0 or more, got " + options.getOverlapSeconds());
    }
    ApiOptionChecks.range(
        problems, "--rate-limit-wait-seconds", options.getRateLimitWaitSeconds(), 0, 86_400);
    ApiOptionChecks.range(
        problems, "--max-retry-wait-seconds", options.getMaxRetryWaitSeconds(), 0, 86_400);
    Landing.check(problems, options.getLanding(), options.getEnv());
    return problems;
  }

  /**
   * Incremental runs read activities after the newest start landed in bronze, minus the overlap.
   */
  @Override
  public void prepare(StravaOptions options, RunContext context) {
    OffsetDateTime newest =
        !context.full() && context.runs(Layer.BRONZE)
            ? StravaTables.newestActivityStart(context.target())
            : null;
    options.setActivitiesAfter(
        newest == null ? null : newest.toEpochSecond() - options.getOverlapSeconds());
  }

  @Override
  public String describeSource(StravaOptions options) {
    Long after = options.getActivitiesAfter();
    java.net.URI uri = java.net.URI.create(options.getStravaBaseUrl());
    return uri.getScheme()
        + "://"
        + uri.getHost()
        + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
        + uri.getPath()
        + " ("
        + String.join(",", chosenStreams(options))
        + "), "
        + (after == null ? "every activity" : "activities after epoch second " + after);
  }

  @Override
  public List<String> streams(StravaOptions options) {
    return chosenStreams(options);
  }

  static ApiSource source(StravaOptions options, RunContext context) {
    StravaConnector connector =
        StravaConnector.create()
            .withStreams(chosenStreams(options))
            .withAfter(options.getActivitiesAfter())
            .withPerPage(options.getPerPage())
            .withMaxQuotaWait(Duration.ofSeconds(options.getRateLimitWaitSeconds()))
            .withTokenUrl(options.getStravaTokenUrl())
            .withSecretSource(ProcessEnvironment.source())
            .withRefreshTokenStore(
                RefreshTokenStore.inDatabase(context.target(), NAME, context.runId()));
    return ApiSource.of(connector)
        .withBaseUrl(options.getStravaBaseUrl())
        .withHttpClientConfiguration(context.http())
        .withMaxRetryWait(Duration.ofSeconds(options.getMaxRetryWaitSeconds()));
  }

  @Override
  public void build(Pipeline pipeline, StravaOptions options, RunContext context) {
    List<PCollection<Void>> bronzeWritten = new ArrayList<>();
    if (context.runs(Layer.BRONZE)) {
      bronzeWritten.add(
          pipeline
              .apply(
                  "LandStrava",
                  ApiBronze.from(source(options, context))
                      .into(context.target(), StravaTables.BRONZE)
                      .forRun(NAME, context.runId())
                      .landingIn(Landing.root(options.getLanding(), options.getEnv()))
                      .retryingOwed(streams(options)))
              .get(ApiBronze.WRITTEN));
    }
    if (context.runs(Layer.SILVER)) {
      List<String> streams = chosenStreams(options);
      if (streams.contains(StravaConnector.ACTIVITIES)) {
        pipeline.apply(
            "UpsertSilverActivities",
            StravaTables.activities()
                .upsertAfter(context.target(), NAME, context.runId(), bronzeWritten));
      }
      if (streams.contains(StravaConnector.ATHLETE)) {
        pipeline.apply(
            "UpsertSilverAthlete",
            StravaTables.athlete()
                .upsertAfter(context.target(), NAME, context.runId(), bronzeWritten));
      }
    }
  }
}
