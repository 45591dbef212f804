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
import dev.medallion.transforms.ApiSilver;
import dev.medallion.transforms.JdbcSteps;
import dev.medallion.transforms.spotify.SpotifyTables;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.values.PCollection;

/**
 * Spotify (issue 12), six streams:
 *
 * <pre>
 * ApiSource(SpotifyConnector: recently_played after the newest landed played_at;
 *           saved_tracks / saved_albums newest first down to the newest landed added_at;
 *           playlists to the end; top_tracks / top_artists per time range, dated --as-of)
 *   + the pages earlier runs still owe                      -> bronze.spotify_raw (new versions)
 *   bronze (pending, per stream, types checked)             -> silver.spotify_plays, _saved_tracks,
 *                                                              _saved_albums, _playlists (+ versions),
 *                                                              _top_items
 *   silver -> gold.listening_daily (days in --timezone), gold.top_items_history
 *   failed requests, refused rows, wrong field types -> ops.quarantine; failed pages -> ops.owed_requests
 * </pre>
 *
 * Every cursor is what bronze holds: the next run's watermarks are read from landed rows, and a
 * page that was not landed is owed and asked first (with the watermark of the run that planned it),
 * so a run that fails on page 2 resumes there with no gap, and silver keeps one row per key.
 */
public final class SpotifyPipeline implements PipelineDefinition<SpotifyOptions> {
  public static final String NAME = "spotify";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Spotify recently played, saved tracks and albums, playlists and top items (OAuth refresh,"
        + " resumable watermarks) into bronze, silver, gold.listening_daily and gold.top_items_history.";
  }

  @Override
  public SourceKind sourceKind() {
    return SourceKind.API;
  }

  @Override
  public List<LayerTables> layers() {
    return List.of(
        LayerTables.of(Layer.BRONZE, SpotifyTables.BRONZE),
        new LayerTables(
            Layer.SILVER,
            List.of(
                SpotifyTables.PLAYS,
                SpotifyTables.SAVED_TRACKS,
                SpotifyTables.SAVED_ALBUMS,
                SpotifyTables.PLAYLISTS,
                SpotifyTables.PLAYLIST_VERSIONS,
                SpotifyTables.TOP_ITEMS)),
        new LayerTables(
            Layer.GOLD, List.of(SpotifyTables.LISTENING_DAILY, SpotifyTables.TOP_ITEMS_HISTORY)));
  }

  @Override
  public Class<SpotifyOptions> optionsType() {
    return SpotifyOptions.class;
  }

  @Override
  public String schedule() {
    return "recently played every 2 hours, saved tracks and albums weekly, playlists and top items"
        + " monthly (ingestion-config.yaml)";
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
      timeRanges(options);
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
    }
    try {
      MedallionOptions.asOf(options);
    } catch (RuntimeException e) {
      problems.add("--as-of: not a date (YYYY-MM-DD): '" + options.getAsOf() + "'");
    }
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

  /** The time ranges chosen with --time-ranges, checked. */
  static List<String> timeRanges(SpotifyOptions options) {
    List<String> ranges =
        java.util.Arrays.stream(options.getTimeRanges().split(","))
            .map(String::strip)
            .filter(r -> !r.isEmpty())
            .distinct()
            .toList();
    if (ranges.isEmpty() || !SpotifyConnector.TIME_RANGES.containsAll(ranges)) {
      throw new IllegalArgumentException(
          "--time-ranges: choose among "
              + String.join(", ", SpotifyConnector.TIME_RANGES)
              + ", got '"
              + options.getTimeRanges()
              + "'");
    }
    return ranges;
  }

  /** The day top items are a snapshot of: --as-of, else today in --timezone. */
  static LocalDate snapshotDate(SpotifyOptions options) {
    return options.getAsOf() == null || options.getAsOf().isBlank()
        ? LocalDate.now(ZoneId.of(options.getTimezone()))
        : LocalDate.parse(options.getAsOf());
  }

  /**
   * Incremental runs ask for plays after the newest played_at landed in bronze, and for saved items
   * down to the newest added_at landed.
   */
  @Override
  public void prepare(SpotifyOptions options, RunContext context) {
    boolean incremental = !context.full() && context.runs(Layer.BRONZE);
    List<String> streams = chosenStreams(options);
    OffsetDateTime newest =
        incremental && streams.contains(SpotifyConnector.RECENTLY_PLAYED)
            ? SpotifyTables.newestPlay(context.target())
            : null;
    options.setPlayedAfterMillis(newest == null ? null : newest.toInstant().toEpochMilli());
    options.setSavedTracksAfter(savedWatermark(context, incremental, streams, "saved_tracks"));
    options.setSavedAlbumsAfter(savedWatermark(context, incremental, streams, "saved_albums"));
  }

  private static String savedWatermark(
      RunContext context, boolean incremental, List<String> streams, String stream) {
    if (!incremental || !streams.contains(stream)) {
      return null;
    }
    OffsetDateTime newest = SpotifyTables.newestSaved(context.target(), stream);
    return newest == null ? null : newest.toInstant().toString();
  }

  private static Instant instantOrNull(String text) {
    return text == null || text.isBlank() ? null : Instant.parse(text);
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
        + " ("
        + String.join(",", chosenStreams(options))
        + "), "
        + (after == null ? "the last 50 plays" : "plays after epoch ms " + after)
        + (options.getSavedTracksAfter() == null
            ? ""
            : ", tracks saved after " + options.getSavedTracksAfter())
        + (options.getSavedAlbumsAfter() == null
            ? ""
            : ", albums saved after " + options.getSavedAlbumsAfter());
  }

  @Override
  public List<String> streams(SpotifyOptions options) {
    return chosenStreams(options);
  }

  @Override
  public void build(Pipeline pipeline, SpotifyOptions options, RunContext context) {
    List<String> streams = chosenStreams(options);
    List<PCollection<Void>> bronzeWritten = new ArrayList<>();
    if (context.runs(Layer.BRONZE)) {
      SpotifyConnector connector =
          SpotifyConnector.create()
              .withStreams(streams)
              .withPlayedAfter(options.getPlayedAfterMillis())
              .withSavedTracksAfter(instantOrNull(options.getSavedTracksAfter()))
              .withSavedAlbumsAfter(instantOrNull(options.getSavedAlbumsAfter()))
              .withSnapshotDate(snapshotDate(options))
              .withTimeRanges(timeRanges(options))
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
                      .retryingOwed(streams))
              .get(ApiBronze.WRITTEN));
    }
    List<PCollection<Void>> playsWritten = new ArrayList<>();
    List<PCollection<Void>> topWritten = new ArrayList<>();
    if (context.runs(Layer.SILVER)) {
      for (String stream : streams) {
        PCollection<Void> written =
            pipeline.apply(
                "UpsertSilver" + camel(stream),
                silver(stream).upsertAfter(context.target(), NAME, context.runId(), bronzeWritten));
        if (stream.equals(SpotifyConnector.RECENTLY_PLAYED)) {
          playsWritten.add(written);
        } else if (stream.startsWith("top_")) {
          topWritten.add(written);
        }
      }
    }
    if (context.runs(Layer.GOLD)) {
      if (streams.contains(SpotifyConnector.RECENTLY_PLAYED)) {
        pipeline.apply(
            "RebuildListeningDaily",
            JdbcSteps.executeAfter(
                "RebuildListeningDaily",
                context.target(),
                SpotifyTables.rebuildListeningDaily(ZoneId.of(options.getTimezone())),
                playsWritten));
      }
      if (streams.contains(SpotifyConnector.TOP_TRACKS)
          || streams.contains(SpotifyConnector.TOP_ARTISTS)) {
        pipeline.apply(
            "RebuildTopItemsHistory",
            JdbcSteps.executeAfter(
                "RebuildTopItemsHistory",
                context.target(),
                SpotifyTables.rebuildTopItemsHistory(),
                topWritten));
      }
    }
  }

  private static ApiSilver silver(String stream) {
    return switch (stream) {
      case SpotifyConnector.RECENTLY_PLAYED -> SpotifyTables.plays();
      case SpotifyConnector.SAVED_TRACKS -> SpotifyTables.savedTracks();
      case SpotifyConnector.SAVED_ALBUMS -> SpotifyTables.savedAlbums();
      case SpotifyConnector.PLAYLISTS -> SpotifyTables.playlists();
      default -> SpotifyTables.topItems(stream);
    };
  }

  /** "saved_tracks" -> "SavedTracks", for step names. */
  private static String camel(String stream) {
    StringBuilder name = new StringBuilder();
    for (String part : stream.split("_")) {
      name.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
    }
    return name.toString();
  }
}
