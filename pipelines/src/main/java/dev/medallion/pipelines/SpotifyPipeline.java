package dev.medallion.pipelines;

import dev.medallion.io.api.ApiBronze;
import dev.medallion.io.api.ApiSource;
import dev.medallion.io.http.ProcessEnvironment;
import dev.medallion.io.http.RefreshTokenStore;
import dev.medallion.io.spotify.SpotifyConnector;
import dev.medallion.ops.Layer;
import dev.medallion.platform.ApiOptionChecks;
import dev.medallion.platform.Landing;
import dev.medallion.platform.LayerTables;
import dev.medallion.platform.PipelineDefinition;
import dev.medallion.platform.RunContext;
import dev.medallion.platform.SourceKind;
import dev.medallion.transforms.JdbcSteps;
import dev.medallion.transforms.spotify.SpotifyTables;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.values.PCollection;

/**
 * Spotify (issue 12), recently played:
 *
 * <pre>
 * ApiSource(SpotifyConnector: plays after the newest landed played_at, else back through all 50)
 *   -> bronze.spotify_raw -> silver.spotify_plays -> gold.listening_daily (days in --timezone)
 *   failed requests -> ops.quarantine and ops.owed_requests
 * </pre>
 */
public final class SpotifyPipeline implements PipelineDefinition<SpotifyOptions> {
  public static final String NAME = "spotify";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Spotify recently played (OAuth refresh, watermark cursor) into bronze, silver and gold.listening_daily.";
  }

  @Override
  public SourceKind sourceKind() {
    return SourceKind.API;
  }

  @Override
  public List<LayerTables> layers() {
    return List.of(
        LayerTables.of(Layer.BRONZE, SpotifyTables.BRONZE),
        LayerTables.of(Layer.SILVER, SpotifyTables.PLAYS),
        LayerTables.of(Layer.GOLD, SpotifyTables.LISTENING_DAILY));
  }

  @Override
  public Class<SpotifyOptions> optionsType() {
    return SpotifyOptions.class;
  }

  @Override
  public String schedule() {
    return "recently played every 2 hours (ingestion-config.yaml)";
  }

  static List<String> chosenStreams(SpotifyOptions options) {
    return ApiOptionChecks.streams(
        "Spotify", options.getStreams(), SpotifyConnector.STREAMS, SpotifyConnector.NOT_YET);
  }

  @Override
  public List<String> problems(SpotifyOptions options, boolean continuous) {
    List<String> problems = new ArrayList<>();
    try {
      chosenStreams(options);
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
    ApiOptionChecks.urls(
        problems,
        SpotifyConnector.create(),
        options.getAllowInsecureHttp(),
        "--spotify-base-url",
        options.getSpotifyBaseUrl(),
        "--spotify-token-url",
        options.getSpotifyTokenUrl());
    ApiOptionChecks.range(problems, "--page-size", options.getPageSize(), 1, 50);
    try {
      ZoneId.of(options.getTimezone());
    } catch (RuntimeException e) {
      problems.add("--timezone: unknown timezone '" + options.getTimezone() + "'");
    }
    ApiOptionChecks.range(
        problems, "--max-retry-wait-seconds", options.getMaxRetryWaitSeconds(), 0, 86_400);
    Landing.check(problems, options.getLanding(), options.getEnv());
    return problems;
  }

  /** Incremental runs ask for plays after the newest played_at landed in bronze. */
  @Override
  public void prepare(SpotifyOptions options, RunContext context) {
    OffsetDateTime newest =
        !context.full() && context.runs(Layer.BRONZE)
            ? SpotifyTables.newestPlay(context.target())
            : null;
    options.setPlayedAfterMillis(newest == null ? null : newest.toInstant().toEpochMilli());
  }

  @Override
  public String describeSource(SpotifyOptions options) {
    java.net.URI uri = java.net.URI.create(options.getSpotifyBaseUrl());
    Long after = options.getPlayedAfterMillis();
    return uri.getScheme()
        + "://"
        + uri.getHost()
        + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
        + uri.getPath()
        + " (recently_played), "
        + (after == null ? "the last 50 plays" : "plays after epoch ms " + after);
  }

  @Override
  public List<String> streams(SpotifyOptions options) {
    return chosenStreams(options);
  }

  @Override
  public void build(Pipeline pipeline, SpotifyOptions options, RunContext context) {
    List<PCollection<Void>> bronzeWritten = new ArrayList<>();
    if (context.runs(Layer.BRONZE)) {
      SpotifyConnector connector =
          SpotifyConnector.create()
              .withPlayedAfter(options.getPlayedAfterMillis())
              .withLimit(options.getPageSize())
              .withTokenUrl(options.getSpotifyTokenUrl())
              .withSecretSource(ProcessEnvironment.source())
              .withRefreshTokenStore(
                  RefreshTokenStore.inDatabase(context.target(), NAME, context.runId()));
      bronzeWritten.add(
          pipeline
              .apply(
                  "LandSpotify",
                  ApiBronze.from(
                          ApiSource.of(connector)
                              .withBaseUrl(options.getSpotifyBaseUrl())
                              .withHttpClientConfiguration(context.http())
                              .withMaxRetryWait(
                                  Duration.ofSeconds(options.getMaxRetryWaitSeconds())))
                      .into(context.target(), SpotifyTables.BRONZE)
                      .forRun(NAME, context.runId())
                      .landingIn(Landing.root(options.getLanding(), options.getEnv()))
                      .retryingOwed(streams(options)))
              .get(ApiBronze.WRITTEN));
    }
    List<PCollection<Void>> silverWritten = new ArrayList<>();
    if (context.runs(Layer.SILVER)) {
      silverWritten.add(
          pipeline.apply(
              "UpsertSilverPlays",
              JdbcSteps.executeAfter(
                  "UpsertPlays", context.target(), SpotifyTables.upsertPlays(), bronzeWritten)));
    }
    if (context.runs(Layer.GOLD)) {
      pipeline.apply(
          "RebuildListeningDaily",
          JdbcSteps.executeAfter(
              "RebuildListeningDaily",
              context.target(),
              SpotifyTables.rebuildListeningDaily(ZoneId.of(options.getTimezone())),
              silverWritten));
    }
  }
}
