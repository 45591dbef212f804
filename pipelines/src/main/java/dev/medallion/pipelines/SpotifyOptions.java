package dev.medallion.pipelines;

import dev.medallion.io.spotify.SpotifyConnector;
import dev.medallion.platform.ApiRequestOptions;
import dev.medallion.platform.LandingOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Hidden;

/**
 * Settings of the spotify pipeline (Spotify Web API: recently played, saved tracks and albums,
 * playlists, top tracks and artists).
 */
public interface SpotifyOptions extends MedallionOptions, LandingOptions, ApiRequestOptions {
  @Description(
      "Which data types to read, comma-separated: recently_played, saved_tracks, saved_albums,"
          + " playlists, top_tracks, top_artists (all by default).")
  @Default.String("recently_played,saved_tracks,saved_albums,playlists,top_tracks,top_artists")
  String getStreams();

  void setStreams(String value);

  @Description("The Spotify Web API base URL.")
  @Default.String(SpotifyConnector.DEFAULT_BASE_URL)
  String getSpotifyBaseUrl();

  void setSpotifyBaseUrl(String value);

  @Description(
      "Spotify's token URL (refresh with SPOTIFY_CLIENT_ID and SPOTIFY_CLIENT_SECRET in a Basic header).")
  @Default.String(SpotifyConnector.DEFAULT_TOKEN_URL)
  String getSpotifyTokenUrl();

  void setSpotifyTokenUrl(String value);

  @Description("Items per request, for every stream (Spotify allows 1 to 50).")
  @Default.Integer(50)
  int getPageSize();

  void setPageSize(int value);

  @Description("The timezone whose calendar days gold.listening_daily counts, e.g. Europe/Paris.")
  @Default.String("Europe/Paris")
  String getTimezone();

  void setTimezone(String value);

  @Description(
      "The time ranges of top tracks and artists to snapshot, comma-separated: short_term (about 4"
          + " weeks), medium_term (6 months), long_term (a year).")
  @Default.String("short_term,medium_term,long_term")
  String getTimeRanges();

  void setTimeRanges(String value);

  @Hidden
  @Description("Saved tracks added after this instant (ISO-8601): set from bronze before the run.")
  String getSavedTracksAfter();

  void setSavedTracksAfter(String value);

  @Hidden
  @Description("Saved albums added after this instant (ISO-8601): set from bronze before the run.")
  String getSavedAlbumsAfter();

  void setSavedAlbumsAfter(String value);

  @Hidden
  @Description("Plays after this epoch millisecond: set from bronze before the run.")
  Long getPlayedAfterMillis();

  void setPlayedAfterMillis(Long value);
}
