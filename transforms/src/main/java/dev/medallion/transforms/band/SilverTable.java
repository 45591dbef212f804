package dev.medallion.transforms.band;

import static dev.medallion.transforms.band.ColumnType.BIGINT;
import static dev.medallion.transforms.band.ColumnType.DATE;
import static dev.medallion.transforms.band.ColumnType.DURATION_SECONDS;
import static dev.medallion.transforms.band.ColumnType.ENCORE;
import static dev.medallion.transforms.band.ColumnType.FLAG;
import static dev.medallion.transforms.band.ColumnType.INTEGER;
import static dev.medallion.transforms.band.ColumnType.POSITIVE_INTEGER;
import static dev.medallion.transforms.band.ColumnType.TEXT;
import static dev.medallion.transforms.band.ColumnType.TEXT_OR_NULL;
import static dev.medallion.transforms.band.ColumnType.TEXT_TRIMMED;
import static dev.medallion.transforms.band.ColumnType.TIMESTAMP;

import dev.medallion.core.table.TableSpec;
import dev.medallion.core.table.TableSpec.OnConflict;
import dev.medallion.io.elgoose.ElGooseEndpoint;
import java.util.ArrayList;
import java.util.List;

/**
 * The silver tables of the band pipeline and where each column comes from. Field names differ
 * between endpoints (jamcharts say {@code showid}, shows say {@code show_year}, uploads say {@code
 * URL}); fields not listed here stay in bronze only.
 */
public enum SilverTable {
  SONGS(
      "silver.band_songs",
      List.of(ElGooseEndpoint.SONGS),
      List.of("song_id"),
      required("song_id", "id", INTEGER),
      required("song_name", "name", TEXT),
      col("slug", "slug", TEXT),
      col("is_original", "isoriginal", FLAG),
      col("original_artist", "original_artist", TEXT_OR_NULL),
      col("created_at", "created_at", TIMESTAMP),
      col("source_updated_at", "updated_at", TIMESTAMP)),
  SHOWS(
      "silver.band_shows",
      List.of(ElGooseEndpoint.SHOWS),
      List.of("show_id"),
      required("show_id", "show_id", BIGINT),
      required("show_date", "showdate", DATE),
      col("artist_id", "artist_id", INTEGER),
      col("artist", "artist", TEXT),
      col("show_title", "showtitle", TEXT_OR_NULL),
      col("venue_id", "venue_id", INTEGER),
      col("venue_name", "venuename", TEXT),
      col("location", "location", TEXT),
      col("city", "city", TEXT),
      col("state", "state", TEXT_OR_NULL),
      col("country", "country", TEXT),
      col("tour_id", "tour_id", INTEGER),
      col("tour_name", "tourname", TEXT),
      col("show_order", "showorder", INTEGER),
      col("show_year", "show_year", INTEGER),
      col("permalink", "permalink", TEXT),
      col("source_updated_at", "updated_at", TIMESTAMP)),
  VENUES(
      "silver.band_venues",
      List.of(ElGooseEndpoint.VENUES),
      List.of("venue_id"),
      required("venue_id", "venue_id", INTEGER),
      required("venue_name", "venuename", TEXT),
      col("city", "city", TEXT),
      col("state", "state", TEXT_OR_NULL),
      col("country", "country", TEXT),
      col("zip", "zip", TEXT_OR_NULL),
      col("capacity", "capacity", POSITIVE_INTEGER),
      col("slug", "slug", TEXT)),
  SETLIST_ENTRIES(
      "silver.band_setlist_entries",
      List.of(ElGooseEndpoint.SETLISTS, ElGooseEndpoint.LATEST),
      List.of("unique_id"),
      required("unique_id", "uniqueid", TEXT),
      required("show_id", "show_id", BIGINT),
      required("show_date", "showdate", DATE),
      col("show_order", "showorder", INTEGER),
      col("show_year", "showyear", INTEGER),
      col("artist_id", "artist_id", INTEGER),
      required("song_id", "song_id", INTEGER),
      col("song_name", "songname", TEXT),
      col("set_type", "settype", TEXT_OR_NULL),
      required("set_number", "setnumber", TEXT_TRIMMED),
      required("is_encore", "setnumber", ENCORE),
      required("position", "position", INTEGER),
      col("track_time_seconds", "tracktime", DURATION_SECONDS),
      col("transition_id", "transition_id", INTEGER),
      col("transition", "transition", TEXT),
      required("is_jamchart", "isjamchart", FLAG),
      col("jamchart_notes", "jamchart_notes", TEXT_OR_NULL),
      col("footnote", "footnote", TEXT_OR_NULL),
      col("is_reprise", "isreprise", FLAG),
      col("is_jam", "isjam", FLAG),
      col("is_original", "isoriginal", FLAG),
      col("venue_id", "venue_id", INTEGER),
      col("venue_name", "venuename", TEXT),
      col("city", "city", TEXT),
      col("state", "state", TEXT_OR_NULL),
      col("country", "country", TEXT),
      col("tour_id", "tour_id", INTEGER),
      col("tour_name", "tourname", TEXT)),
  JAMCHARTS(
      "silver.band_jamcharts",
      List.of(ElGooseEndpoint.JAMCHARTS),
      List.of("unique_id"),
      required("unique_id", "uniqueid", TEXT),
      required("show_id", "showid", BIGINT),
      col("show_date", "showdate", DATE),
      required("song_id", "song_id", INTEGER),
      col("song_name", "songname", TEXT),
      col("set_number", "setnumber", TEXT_TRIMMED),
      col("position", "position", INTEGER),
      col("track_time_seconds", "tracktime", DURATION_SECONDS),
      col("jamchart_note", "jamchartnote", TEXT_OR_NULL),
      col("is_recommended", "isrecommended", FLAG)),
  METADATA(
      "silver.band_metadata",
      List.of(ElGooseEndpoint.METADATA),
      List.of("show_id", "song_id", "metadata_slug"),
      required("show_id", "show_id", BIGINT),
      required("song_id", "song_id", INTEGER),
      required("metadata_slug", "metadata_slug", TEXT),
      col("show_date", "showdate", DATE),
      col("meta_name", "meta_name", TEXT),
      col("value", "value", TEXT)),
  LINKS(
      "silver.band_links",
      List.of(ElGooseEndpoint.LINKS),
      List.of("link_id"),
      required("link_id", "link_id", INTEGER),
      required("show_id", "show_id", BIGINT),
      col("description", "description", TEXT),
      col("url", "url", TEXT),
      col("source_updated_at", "updated_at", TIMESTAMP)),
  UPLOADS(
      "silver.band_uploads",
      List.of(ElGooseEndpoint.UPLOADS),
      List.of("upload_id"),
      required("upload_id", "id", INTEGER),
      required("show_id", "show_id", BIGINT),
      col("show_date", "showdate", DATE),
      col("url", "URL", TEXT),
      col("image_name", "img_name", TEXT),
      col("upload_type", "upload_type", TEXT_OR_NULL),
      col("attribution", "attribution", TEXT_OR_NULL),
      col("created_at", "created_at", TIMESTAMP)),
  APPEARANCES(
      "silver.band_appearances",
      List.of(ElGooseEndpoint.APPEARANCES),
      List.of("show_id", "person_id"),
      required("show_id", "show_id", BIGINT),
      required("person_id", "person_id", INTEGER),
      col("show_date", "showdate", DATE),
      col("artist_id", "artist_id", INTEGER),
      col("person_name", "personname", TEXT),
      col("slug", "slug", TEXT),
      col("appearance_type", "appearance_type", TEXT_TRIMMED),
      col("notes", "notes", TEXT_OR_NULL));

  /**
   * A silver column: its name, the API field it comes from, how to read it, and whether it may be
   * null.
   */
  public record Column(String name, String field, ColumnType type, boolean required)
      implements java.io.Serializable {}

  /** Columns every silver table has after its own: which bronze row it came from. */
  public static final List<String> LINEAGE_COLUMNS = List.of("bronze_version", "fetched_at");

  private final String tableName;
  private final List<ElGooseEndpoint> endpoints;
  private final List<String> keyColumns;
  private final List<Column> columns;

  SilverTable(
      String tableName,
      List<ElGooseEndpoint> endpoints,
      List<String> keyColumns,
      Column... columns) {
    this.tableName = tableName;
    this.endpoints = endpoints;
    this.keyColumns = keyColumns;
    this.columns = List.of(columns);
  }

  public String tableName() {
    return tableName;
  }

  public List<Column> columns() {
    return columns;
  }

  /** The table that takes an endpoint's rows. */
  public static SilverTable forEndpoint(ElGooseEndpoint endpoint) {
    for (SilverTable table : values()) {
      if (table.endpoints.contains(endpoint)) {
        return table;
      }
    }
    throw new IllegalArgumentException("No silver table for endpoint " + endpoint.method());
  }

  /**
   * The table as written: its key, then its value columns and the lineage columns, from JSON rows
   * ({@link BandRow}); a row changes only when a value differs, and then touches updated_at.
   */
  public TableSpec<BandRow> spec() {
    List<String> columnNames = new ArrayList<>(keyColumns);
    for (Column column : columns) {
      if (!keyColumns.contains(column.name())) {
        columnNames.add(column.name());
      }
    }
    columnNames.addAll(LINEAGE_COLUMNS);
    return TableSpec.<BandRow>named(tableName)
        .columns(columnNames)
        .key(keyColumns.toArray(String[]::new))
        .onConflict(OnConflict.UPDATE_CHANGED)
        .touching("updated_at")
        .build();
  }

  public static List<TableSpec<BandRow>> specs() {
    List<TableSpec<BandRow>> specs = new ArrayList<>();
    for (SilverTable table : values()) {
      specs.add(table.spec());
    }
    return specs;
  }

  private static Column col(String name, String field, ColumnType type) {
    return new Column(name, field, type, false);
  }

  private static Column required(String name, String field, ColumnType type) {
    return new Column(name, field, type, true);
  }
}
