package dev.medallion.transforms.band;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.medallion.core.table.TableSpec;
import dev.medallion.core.table.TableSpec.OnConflict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The gold tables of the band pipeline: their columns, and how a computed value becomes a row. */
public enum BandGoldTable {
  SONG_STATISTICS(
      "gold.band_song_statistics",
      List.of("song_id"),
      List.of(
          "song_name",
          "times_played",
          "shows_played",
          "debut_date",
          "last_played",
          "current_gap",
          "average_gap",
          "jamchart_count",
          "times_set_opener",
          "times_set_closer",
          "times_encore")),
  SHOW_SUMMARY(
      "gold.band_show_summary",
      List.of("show_id"),
      List.of(
          "show_date",
          "venue_name",
          "tour_name",
          "songs",
          "sets",
          "encore_songs",
          "debuts",
          "jamcharts")),
  VENUE_STATISTICS(
      "gold.band_venue_statistics",
      List.of("venue_id"),
      List.of(
          "venue_name",
          "city",
          "state",
          "country",
          "shows",
          "first_show",
          "last_show",
          "performances",
          "distinct_songs")),
  YEARLY_SUMMARY(
      "gold.band_yearly_summary",
      List.of("show_year"),
      List.of(
          "shows",
          "first_show",
          "last_show",
          "performances",
          "distinct_songs",
          "debuts",
          "jamcharts")),
  TOUR_SUMMARY(
      "gold.band_tour_summary",
      List.of("tour_id"),
      List.of(
          "tour_name",
          "shows",
          "first_show",
          "last_show",
          "performances",
          "distinct_songs",
          "debuts",
          "jamcharts"));

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final TableSpec<BandRow> spec;

  /**
   * Written from JSON rows ({@link BandRow}); a row changes only when a value differs, and then
   * touches updated_at.
   */
  BandGoldTable(String name, List<String> keys, List<String> values) {
    List<String> columns = new ArrayList<>(keys);
    columns.addAll(values);
    this.spec =
        TableSpec.<BandRow>named(name)
            .columns(columns)
            .key(keys.toArray(String[]::new))
            .onConflict(OnConflict.UPDATE_CHANGED)
            .touching("updated_at")
            .build();
  }

  public TableSpec<BandRow> spec() {
    return spec;
  }

  public static List<TableSpec<BandRow>> specs() {
    List<TableSpec<BandRow>> specs = new ArrayList<>();
    for (BandGoldTable table : values()) {
      specs.add(table.spec);
    }
    return specs;
  }

  public static BandRow songRow(SongStatistics s) {
    return SONG_STATISTICS.row(
        Long.toString(s.getSongId()),
        Map.ofEntries(
            Map.entry("song_id", s.getSongId()), Map.entry("song_name", nullable(s.getSongName())),
            Map.entry("times_played", s.getTimesPlayed()),
                Map.entry("shows_played", s.getShowsPlayed()),
            Map.entry("debut_date", s.getDebutDate()), Map.entry("last_played", s.getLastPlayed()),
            Map.entry("current_gap", s.getCurrentGap()),
                Map.entry("average_gap", nullable(s.getAverageGap())),
            Map.entry("jamchart_count", s.getJamchartCount()),
                Map.entry("times_set_opener", s.getTimesSetOpener()),
            Map.entry("times_set_closer", s.getTimesSetCloser()),
                Map.entry("times_encore", s.getTimesEncore())));
  }

  /** A group summary as a row of this table (show, venue, year or tour). */
  public BandRow summaryRow(GroupSummary g) {
    SetlistEntry latest = g.getLatest();
    ObjectNode row = MAPPER.createObjectNode();
    switch (this) {
      case SHOW_SUMMARY -> {
        row.put("show_id", latest.getShowId());
        row.put("show_date", latest.getShowDate());
        row.put("venue_name", latest.getVenueName());
        row.put("tour_name", latest.getTourName());
        row.put("songs", g.getPerformances());
        row.put("sets", g.getSets());
        row.put("encore_songs", g.getEncoreSongs());
      }
      case VENUE_STATISTICS -> {
        row.put("venue_id", latest.getVenueId());
        row.put("venue_name", latest.getVenueName());
        row.put("city", latest.getCity());
        row.put("state", latest.getState());
        row.put("country", latest.getCountry());
      }
      case YEARLY_SUMMARY -> row.put("show_year", latest.getShowYear());
      case TOUR_SUMMARY -> {
        row.put("tour_id", latest.getTourId());
        row.put("tour_name", latest.getTourName());
      }
      default -> throw new IllegalStateException(this + " is not a group summary table");
    }
    row.put("shows", g.getShows());
    row.put("first_show", g.getFirstShow());
    row.put("last_show", g.getLastShow());
    row.put("performances", g.getPerformances());
    row.put("distinct_songs", g.getDistinctSongs());
    row.put("debuts", g.getDebuts());
    row.put("jamcharts", g.getJamcharts());
    return BandRow.of(spec.name(), groupKey(latest), row.toString());
  }

  /**
   * The grouping key of a performance for this table, or null when it has none (no venue, no tour).
   */
  public String groupKey(SetlistEntry entry) {
    return switch (this) {
      case SHOW_SUMMARY -> Long.toString(entry.getShowId());
      case VENUE_STATISTICS ->
          entry.getVenueId() == null ? null : Long.toString(entry.getVenueId());
      case YEARLY_SUMMARY -> Integer.toString(entry.getShowYear());
      case TOUR_SUMMARY -> entry.getTourId() == null ? null : Long.toString(entry.getTourId());
      default -> throw new IllegalStateException(this + " is not a group summary table");
    };
  }

  private BandRow row(String key, Map<String, Object> columns) {
    return BandRow.of(spec.name(), key, MAPPER.valueToTree(columns).toString());
  }

  private static Object nullable(Object value) {
    return value == null ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : value;
  }
}
