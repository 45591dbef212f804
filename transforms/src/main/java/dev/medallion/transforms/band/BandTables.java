package dev.medallion.transforms.band;

import dev.medallion.io.jdbc.PooledDataSource;
import dev.medallion.ops.Layer;
import dev.medallion.ops.QuarantineEntry;
import dev.medallion.ops.db.ConnectionPool;
import dev.medallion.ops.db.JdbcTarget;
import dev.medallion.transforms.JdbcSteps;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import org.apache.beam.sdk.io.jdbc.JdbcIO;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * Reads and writes of the band tables. Bronze is written by the API skeleton's versioned write
 * ({@link dev.medallion.io.api.WriteApiBronze}: a new version only when the payload hash differs);
 * silver and gold are upserts that change a row only when a value differs ({@link UpsertBandRows});
 * every write returns a signal for {@code Wait.on}.
 */
public final class BandTables {
  public static final String BRONZE = "bronze.band_raw";

  private BandTables() {}

  /** The latest version of each bronze row: only pending ones, or every row for a full rebuild. */
  public static PTransform<PBegin, PCollection<BandBronzeRow>> readBronze(
      JdbcTarget target, boolean pendingOnly, List<PCollection<Void>> after) {
    String sql =
        "SELECT DISTINCT ON (endpoint, natural_key) endpoint, natural_key, version, raw_data::text, fetched_at"
            + " FROM bronze.band_raw"
            + (pendingOnly ? " WHERE NOT is_processed" : "")
            + " ORDER BY endpoint, natural_key, version DESC";
    return JdbcSteps.readAfter(
        "ReadBandBronze", target, sql, after, BandTables::bronzeRow, BandBronzeRow.class);
  }

  /** Marks a bronze row, and any older pending version of it, processed. */
  public static PTransform<PCollection<BandBronzeRow>, PCollection<Void>> markProcessed(
      JdbcTarget target) {
    return JdbcIO.<BandBronzeRow>write()
        .withDataSourceProviderFn(PooledDataSource.of(target))
        .withStatement(
            "UPDATE bronze.band_raw SET is_processed = true, processed_at = now()"
                + " WHERE endpoint = ? AND natural_key = ? AND version <= ? AND NOT is_processed")
        .withPreparedStatementSetter(
            (row, ps) -> {
              ps.setString(1, row.getEndpoint());
              ps.setString(2, row.getNaturalKey());
              ps.setInt(3, row.getVersion());
            })
        .withResults();
  }

  /** Every silver setlist entry, for gold. */
  public static PTransform<PBegin, PCollection<SetlistEntry>> readSetlistEntries(
      JdbcTarget target, List<PCollection<Void>> after) {
    String sql =
        "SELECT unique_id, show_id, show_date, show_order, show_year, song_id, song_name, set_number, is_encore,"
            + " position, is_jamchart, venue_id, venue_name, city, state, country, tour_id, tour_name"
            + " FROM silver.band_setlist_entries";
    return JdbcSteps.readAfter(
        "ReadSetlistEntries", target, sql, after, BandTables::setlistEntry, SetlistEntry.class);
  }

  /** The newest show date with setlist rows in silver: incremental runs read setlists after it. */
  public static LocalDate newestSetlistDate(JdbcTarget target) {
    try (java.sql.Connection c = ConnectionPool.forTarget(target).getConnection();
        java.sql.PreparedStatement ps =
            c.prepareStatement("SELECT max(show_date) FROM silver.band_setlist_entries");
        ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getObject(1, LocalDate.class) : null;
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Cannot read the newest show date in silver at " + target + ": " + e.getMessage(), e);
    }
  }

  /**
   * Sets the bronze rows of silver-layer quarantine entries back to unprocessed, so the next silver
   * run parses them again. The entry's record key is {@link BandBronzeRow#describe()}.
   */
  public static List<QuarantineEntry> requeue(
      JdbcTarget target, Layer layer, List<QuarantineEntry> entries) {
    if (layer != Layer.SILVER) {
      return List.of();
    }
    List<QuarantineEntry> requeued = new java.util.ArrayList<>();
    try (java.sql.Connection c = ConnectionPool.forTarget(target).getConnection();
        java.sql.PreparedStatement ps =
            c.prepareStatement(
                "UPDATE bronze.band_raw SET is_processed = false, processed_at = NULL WHERE endpoint || '/' || natural_key = ?")) {
      for (QuarantineEntry entry : entries) {
        ps.setString(1, entry.source());
        if (ps.executeUpdate() > 0) {
          requeued.add(entry);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Could not requeue bronze rows for the replay: " + e.getMessage(), e);
    }
    return requeued;
  }

  private static BandBronzeRow bronzeRow(ResultSet rs) throws SQLException {
    return BandBronzeRow.create(
        rs.getString(1),
        rs.getString(2),
        rs.getInt(3),
        rs.getString(4),
        rs.getObject(5, OffsetDateTime.class).toInstant().toEpochMilli());
  }

  private static SetlistEntry setlistEntry(ResultSet rs) throws SQLException {
    LocalDate date = rs.getObject("show_date", LocalDate.class);
    int year = rs.getInt("show_year");
    int order = rs.getInt("show_order");
    return SetlistEntry.builder()
        .setUniqueId(rs.getString("unique_id"))
        .setShowId(rs.getLong("show_id"))
        .setShowDate(date.toString())
        .setShowOrder(rs.wasNull() || order < 1 ? 1 : order)
        .setShowYear(year == 0 ? date.getYear() : year)
        .setSongId(rs.getLong("song_id"))
        .setSongName(rs.getString("song_name"))
        .setSetNumber(rs.getString("set_number"))
        .setEncore(rs.getBoolean("is_encore"))
        .setPosition(rs.getInt("position"))
        .setJamchart(rs.getBoolean("is_jamchart"))
        .setVenueId(nullableLong(rs, "venue_id"))
        .setVenueName(rs.getString("venue_name"))
        .setCity(rs.getString("city"))
        .setState(rs.getString("state"))
        .setCountry(rs.getString("country"))
        .setTourId(nullableLong(rs, "tour_id"))
        .setTourName(rs.getString("tour_name"))
        .build();
  }

  private static Long nullableLong(ResultSet rs, String column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : value;
  }
}
