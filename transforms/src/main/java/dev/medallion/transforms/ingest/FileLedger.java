package dev.medallion.transforms.ingest;

import dev.medallion.core.files.FolderLayout;
import dev.medallion.core.table.TableSpec;
import dev.medallion.core.table.TableSpec.OnConflict;
import dev.medallion.io.files.LandingZone;
import dev.medallion.io.jdbc.PooledDataSource;
import dev.medallion.io.jdbc.TableWrite;
import dev.medallion.ops.Layer;
import dev.medallion.ops.QuarantineEntry;
import dev.medallion.ops.db.ConnectionPool;
import dev.medallion.ops.db.JdbcTarget;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.jdbc.JdbcIO;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * The file ledger, ops.landed_files: which landed files (by checksum) a pipeline has handled. A row
 * is written only after every record of its file is committed to bronze or to the quarantine, so
 * "in the ledger" means "ingested whole", and a run skips exactly those files.
 */
public final class FileLedger {
  public static final TableSpec<LedgerEntry> LANDED_FILES =
      TableSpec.<LedgerEntry>named("ops.landed_files")
          .column("pipeline", LedgerEntry::pipeline)
          .column("checksum", LedgerEntry::checksum)
          .column("path", LedgerEntry::path)
          .column("size_bytes", LedgerEntry::sizeBytes)
          .column(
              "landed_at", e -> Instant.ofEpochMilli(e.landedAtMillis()).atOffset(ZoneOffset.UTC))
          .column("records", LedgerEntry::records)
          .column("quarantined", LedgerEntry::quarantined)
          .column("status", e -> e.status().label())
          .column("reason", LedgerEntry::reason)
          .column("run_id", LedgerEntry::runId)
          .generated("ingested_at")
          .key("pipeline", "checksum")
          .onConflict(OnConflict.UPDATE_CHANGED)
          .touching("ingested_at")
          .build();

  /** A file's status alone, to put it back for a replay. */
  static final TableSpec<LedgerEntry> FILE_STATUS =
      LANDED_FILES
          .<LedgerEntry>derive()
          .column("pipeline", LedgerEntry::pipeline)
          .column("checksum", LedgerEntry::checksum)
          .column("status", e -> e.status().label())
          .key("pipeline", "checksum")
          .build();

  private static final String HANDLED_FILES =
      "SELECT "
          + LANDED_FILES.selectList("checksum", "status")
          + " FROM "
          + LANDED_FILES
          + " WHERE pipeline = ? AND status <> '"
          + FileStatus.REQUEUED.label()
          + "'";

  private FileLedger() {}

  /**
   * Checksum to status of every file the pipeline has handled (requeued files are not: they are to
   * be read again).
   */
  public static PTransform<PBegin, PCollection<KV<String, String>>> handledFiles(
      JdbcTarget target, String pipeline) {
    return new PTransform<>() {
      private static final long serialVersionUID = 1L;

      @Override
      public PCollection<KV<String, String>> expand(PBegin input) {
        return input.apply(
            "ReadFileLedger",
            JdbcIO.<KV<String, String>>read()
                .withDataSourceProviderFn(PooledDataSource.of(target))
                .withQuery(HANDLED_FILES)
                .withStatementPreparator(ps -> ps.setString(1, pipeline))
                .withRowMapper(rs -> KV.of(rs.getString("checksum"), rs.getString("status")))
                .withCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of())));
      }
    };
  }

  public static PTransform<PCollection<LedgerEntry>, PCollection<Void>> write(JdbcTarget target) {
    return TableWrite.upsert(target, LANDED_FILES);
  }

  /** The status of a handled file, for a step that ingests file by file (continuous runs). */
  public static Optional<FileStatus> handledStatus(Connection c, String pipeline, String checksum)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(HANDLED_FILES + " AND checksum = ?")) {
      ps.setString(1, pipeline);
      ps.setString(2, checksum);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(FileStatus.parse(rs.getString("status"))) : Optional.empty();
      }
    }
  }

  public static void record(Connection c, LedgerEntry entry) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(LANDED_FILES.insertSql())) {
      LANDED_FILES.bind(ps, entry);
      ps.executeUpdate();
    }
  }

  /**
   * Puts the files of bronze quarantine entries back into the landing zone for a replay: a whole
   * file that could not be read (or had no reader) comes back from quarantine/, a file with bad
   * records from processed/; its ledger row becomes {@code requeued}, so the next run reads it
   * again. Its records already in bronze stay (bronze keeps existing rows), the others land or are
   * set aside again. Returns the entries whose files were put back.
   */
  public static List<QuarantineEntry> requeue(
      JdbcTarget target, String pipeline, LandingZone zone, List<QuarantineEntry> entries) {
    Map<String, List<QuarantineEntry>> byFile = new LinkedHashMap<>();
    for (QuarantineEntry entry : entries) {
      if (entry.layer() == Layer.BRONZE && entry.pipeline().equals(pipeline)) {
        byFile.computeIfAbsent(entry.source(), path -> new ArrayList<>()).add(entry);
      }
    }
    List<QuarantineEntry> requeued = new ArrayList<>();
    try (Connection c = ConnectionPool.forTarget(target).getConnection()) {
      for (Map.Entry<String, List<QuarantineEntry>> file : byFile.entrySet()) {
        Optional<LedgerEntry> handled = latestHandled(c, pipeline, file.getKey());
        if (handled.isEmpty()) {
          continue;
        }
        LedgerEntry entry = handled.get();
        moveBack(zone, entry);
        try (PreparedStatement ps = c.prepareStatement(FILE_STATUS.updateSql())) {
          FILE_STATUS.bind(
              ps,
              new LedgerEntry(
                  pipeline,
                  entry.checksum(),
                  entry.path(),
                  entry.sizeBytes(),
                  entry.landedAtMillis(),
                  entry.records(),
                  entry.quarantined(),
                  FileStatus.REQUEUED,
                  entry.reason(),
                  entry.runId()));
          ps.executeUpdate();
        }
        requeued.addAll(file.getValue());
      }
    } catch (SQLException | IOException e) {
      throw new IllegalStateException(
          "Could not put quarantined files back for the replay: " + e.getMessage(), e);
    }
    return requeued;
  }

  /**
   * Moves a handled file back to where it landed: its own copy, which carries its checksum when
   * another upload of the name held the folder first ({@link FolderLayout#withChecksum}), else the
   * copy under its name.
   */
  private static void moveBack(LandingZone zone, LedgerEntry entry) throws IOException {
    String copy = whereItIsNow(entry);
    try {
      zone.move(FolderLayout.withChecksum(copy, entry.checksum()), entry.path());
    } catch (java.io.FileNotFoundException noSuffixedCopy) {
      zone.move(copy, entry.path());
    }
  }

  /** processed/ or quarantine/ of the day it landed, as {@link FolderLayout} says. */
  static String whereItIsNow(LedgerEntry entry) {
    int slash = entry.path().lastIndexOf('/');
    String prefix = entry.path().substring(0, slash + 1);
    String name = entry.path().substring(slash + 1);
    return entry.status().belongsInQuarantine()
        ? FolderLayout.quarantinePath(prefix, name, entry.landedAtMillis())
        : FolderLayout.processedPath(prefix, name, entry.landedAtMillis());
  }

  private static Optional<LedgerEntry> latestHandled(Connection c, String pipeline, String path)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + LANDED_FILES.selectList()
                + " FROM "
                + LANDED_FILES
                + " WHERE pipeline = ? AND path = ? AND status <> '"
                + FileStatus.REQUEUED.label()
                + "' ORDER BY ingested_at DESC LIMIT 1")) {
      ps.setString(1, pipeline);
      ps.setString(2, path);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new LedgerEntry(
                rs.getString("pipeline"),
                rs.getString("checksum"),
                rs.getString("path"),
                rs.getLong("size_bytes"),
                rs.getObject("landed_at", OffsetDateTime.class).toInstant().toEpochMilli(),
                rs.getInt("records"),
                rs.getInt("quarantined"),
                FileStatus.parse(rs.getString("status")),
                rs.getString("reason"),
                rs.getString("run_id")));
      }
    }
  }
}
