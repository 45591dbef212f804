package dev.medallion.transforms.ingest;

import dev.medallion.core.LayerMetrics;
import dev.medallion.core.LayerMetrics.RunMetric;
import dev.medallion.core.quarantine.QuarantinedRecord;
import dev.medallion.core.table.TableSpec;
import dev.medallion.io.files.FileLimits;
import dev.medallion.io.files.LandedFile;
import dev.medallion.io.files.MalformedTextException;
import dev.medallion.io.files.ParsedFile;
import dev.medallion.io.files.RecordReader;
import dev.medallion.io.files.RecordReaders;
import dev.medallion.io.files.StorableText;
import dev.medallion.io.jdbc.PooledDataSource;
import dev.medallion.io.jdbc.SinkRejects;
import dev.medallion.io.jdbc.TableWrite;
import dev.medallion.ops.ErrorClass;
import dev.medallion.ops.Layer;
import dev.medallion.ops.db.JdbcTarget;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.annotation.Nullable;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.jdbc.JdbcIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.Distinct;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.Wait;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * How a file pipeline's landed files become rows of its bronze table, and the rules every path
 * (batch and continuous) follows: which reader reads a file (by format, from {@link
 * RecordReaders}), what a record becomes ({@link RecordMaker}), what is set aside and why, what the
 * file ledger records and where the file goes afterwards.
 *
 * <pre>{@code
 * BronzeFiles<SaleRecord> files = BronzeFiles.into("sales", SALES_RAW, SaleRecord::fromFile)
 *     .withReaders(RecordReaders.standard().with("xlsx", new XlsxRecordReader()));
 * }</pre>
 */
public final class BronzeFiles<R> implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * Makes one bronze row from a record a reader read; its id must depend only on the file's
   * checksum and the record's index.
   */
  @FunctionalInterface
  public interface RecordMaker<R> extends Serializable {
    R make(LandedFile file, ParsedFile.Record record) throws IOException;
  }

  private static final String FILE_PATH = "file_path";
  private static final String RECORD_INDEX = "record_index";
  private static final String CHECKSUM = "checksum";

  /** The raw record's column, when the table has one: the payload of a refused row. */
  private static final String RAW_DATA = "raw_data";

  private final String pipeline;
  private final TableSpec<R> table;
  private final Class<R> recordType;
  private final RecordMaker<R> maker;
  private final RecordReaders readers;
  private final FileLimits limits;
  @Nullable private final String partitionSql;
  @Nullable private final SerializableFunction<R, String> partitionOf;

  private BronzeFiles(
      String pipeline,
      TableSpec<R> table,
      Class<R> recordType,
      RecordMaker<R> maker,
      RecordReaders readers,
      FileLimits limits,
      @Nullable String partitionSql,
      @Nullable SerializableFunction<R, String> partitionOf) {
    this.pipeline = pipeline;
    this.table = table;
    this.recordType = recordType;
    this.maker = maker;
    this.readers = readers;
    this.limits = limits;
    this.partitionSql = partitionSql;
    this.partitionOf = partitionOf;
  }

  /**
   * @param table the bronze table; its conflict rule must keep existing rows, so that a file redone
   *     after a crash lands each record once
   */
  public static <R> BronzeFiles<R> into(
      String pipeline, TableSpec<R> table, Class<R> recordType, RecordMaker<R> maker) {
    if (!table.columnNames().containsAll(List.of(FILE_PATH, CHECKSUM, RECORD_INDEX))) {
      throw new IllegalArgumentException(
          table
              + ": a bronze table of files has the columns "
              + String.join(", ", FILE_PATH, CHECKSUM, RECORD_INDEX)
              + ", so that a row the database refuses is quarantined under its file (that upload"
              + " of it) and record");
    }
    if (table.onConflict() != TableSpec.OnConflict.KEEP_EXISTING) {
      throw new IllegalArgumentException(
          table
              + ": a bronze table of files keeps existing rows (OnConflict.KEEP_EXISTING),"
              + " so that a file redone after a crash lands each record once");
    }
    return new BronzeFiles<>(
        pipeline,
        table,
        recordType,
        maker,
        RecordReaders.standard(),
        FileLimits.defaults(),
        null,
        null);
  }

  /** The readers by format; {@link RecordReaders#standard()} unless set. */
  public BronzeFiles<R> withReaders(RecordReaders readers) {
    if (readers == null) {
      throw new IllegalArgumentException(
          "withReaders() needs a registry, e.g. RecordReaders.standard()");
    }
    return new BronzeFiles<>(
        pipeline, table, recordType, maker, readers, limits, partitionSql, partitionOf);
  }

  /** How large a file and a record may be; {@link FileLimits#defaults()} unless set. */
  public BronzeFiles<R> withLimits(FileLimits limits) {
    if (limits == null) {
      throw new IllegalArgumentException("withLimits() needs limits, e.g. FileLimits.defaults()");
    }
    return new BronzeFiles<>(
        pipeline, table, recordType, maker, readers, limits, partitionSql, partitionOf);
  }

  /**
   * For a partitioned bronze table: {@code statement} (one placeholder, bound to the text {@code
   * partitionOf} gives a row) runs once per distinct value before the rows are written.
   */
  public BronzeFiles<R> withPartitions(
      String statement, SerializableFunction<R, String> partitionOf) {
    if (statement == null || !statement.contains("?") || partitionOf == null) {
      throw new IllegalArgumentException(
          "withPartitions() needs a statement with one placeholder and a function of a row");
    }
    return new BronzeFiles<>(
        pipeline, table, recordType, maker, readers, limits, statement, partitionOf);
  }

  public String pipeline() {
    return pipeline;
  }

  public TableSpec<R> table() {
    return table;
  }

  public Class<R> recordType() {
    return recordType;
  }

  public RecordReaders readers() {
    return readers;
  }

  public FileLimits limits() {
    return limits;
  }

  /**
   * What one file yields: its bronze rows, what was set aside, its ledger row and where it goes.
   */
  public record Split<R>(
      List<R> records, List<QuarantinedRecord> failures, LedgerEntry ledger, String destination) {}

  /**
   * Reads one file with the reader of its format. A file no reader takes is skipped (one {@code
   * unsupported_format} row); a file over the size limit, or that its reader cannot read, is
   * quarantined whole (one {@code malformed_file} row, the file's text as payload); a readable file
   * gives its records, one {@code malformed_record} row per record that could not be read and one
   * {@code invalid_value} row per record bronze cannot store (over the size limit, or holding a
   * NUL). Every row carries the file's checksum, so each upload keeps its own rows.
   */
  public Split<R> split(LandedFile file, @Nullable String runId) throws IOException {
    Optional<RecordReader> reader = readers.readerFor(file.name());
    if (reader.isEmpty()) {
      String reason = readers.noReaderReason(file.name());
      return new Split<>(
          List.of(),
          List.of(wholeFile(file, ErrorClass.UNSUPPORTED_FORMAT, null, reason)),
          LedgerEntry.of(pipeline, runId, file, 0, 1, FileStatus.SKIPPED, reason),
          file.quarantinePath());
    }
    String unreadable = limits.fileProblem(file.sizeBytes()).orElse(null);
    ParsedFile parsed = null;
    if (unreadable == null) {
      parsed = read(reader.get(), file);
      unreadable = parsed.fileError();
    }
    if (unreadable != null) {
      return new Split<>(
          List.of(),
          List.of(wholeFile(file, ErrorClass.MALFORMED_FILE, excerptOf(file), unreadable)),
          LedgerEntry.of(pipeline, runId, file, 0, 1, FileStatus.QUARANTINED, unreadable),
          file.quarantinePath());
    }
    List<QuarantinedRecord> failures = new ArrayList<>();
    for (ParsedFile.BadRecord bad : parsed.badRecords()) {
      failures.add(
          fromFile(file, ErrorClass.MALFORMED_RECORD, bad.index(), bad.raw(), bad.reason()));
    }
    List<R> records = new ArrayList<>();
    for (ParsedFile.Record record : parsed.records()) {
      Optional<String> unstorable =
          limits.recordProblem(record.json()).or(() -> StorableText.problemIn(record.json()));
      if (unstorable.isPresent()) {
        failures.add(
            fromFile(
                file, ErrorClass.INVALID_VALUE, record.index(), record.json(), unstorable.get()));
      } else {
        records.add(maker.make(file, record));
      }
    }
    failures.sort(java.util.Comparator.comparingInt(QuarantinedRecord::getRecordIndex));
    return new Split<>(
        records,
        failures,
        LedgerEntry.of(
            pipeline, runId, file, records.size(), failures.size(), FileStatus.INGESTED, null),
        file.processedPath());
  }

  /** A reader's answer, or an unreadable file when the bytes are not text it can decode. */
  private static ParsedFile read(RecordReader reader, LandedFile file) {
    try {
      return reader.read(file.content());
    } catch (MalformedTextException e) {
      return ParsedFile.unreadable(e.getMessage());
    }
  }

  /** A whole file's text for the quarantine row: only as much as the row keeps is decoded. */
  private static String excerptOf(LandedFile file) {
    byte[] content = file.content();
    int length = Math.min(content.length, 4 * QuarantinedRecord.MAX_PAYLOAD_CHARS);
    return new String(content, 0, length, StandardCharsets.UTF_8);
  }

  private static QuarantinedRecord fromFile(
      LandedFile file, ErrorClass errorClass, int index, @Nullable String payload, String reason) {
    return QuarantinedRecord.of(Layer.BRONZE, errorClass, file.path(), index, null, payload, reason)
        .withSourceChecksum(file.checksum());
  }

  private static QuarantinedRecord wholeFile(
      LandedFile file, ErrorClass errorClass, @Nullable String payload, String reason) {
    return fromFile(file, errorClass, QuarantinedRecord.WHOLE_SOURCE, payload, reason);
  }

  /**
   * Bronze rows in bulk: partitions first (when the table has them), then COPY and one merge per
   * batch. Outputs {@link SinkRejects#WRITTEN} and, as {@link SinkRejects#REJECTED}, a {@code
   * rejected_by_sink} record for each row the database refused (the rest of its batch lands).
   */
  public PTransform<PCollection<R>, PCollectionTuple> write(JdbcTarget target) {
    return new PTransform<>() {
      private static final long serialVersionUID = 1L;

      @Override
      public PCollectionTuple expand(PCollection<R> records) {
        PCollection<R> ready = records;
        if (partitionSql != null) {
          String statement = partitionSql;
          PCollection<Void> partitions =
              records
                  .apply(
                      "PartitionsOfRecords",
                      MapElements.into(TypeDescriptors.strings()).via(partitionOf))
                  .setCoder(StringUtf8Coder.of())
                  .apply("DistinctPartitions", Distinct.create())
                  .apply(
                      "EnsurePartitions",
                      JdbcIO.<String>write()
                          .withDataSourceProviderFn(PooledDataSource.of(target))
                          .withStatement(statement)
                          .withPreparedStatementSetter(
                              (partition, ps) -> ps.setString(1, partition))
                          .withResults());
          ready = records.apply("WaitForPartitions", Wait.on(partitions));
        }
        return ready.apply(
            "CopyMergeBronze",
            TableWrite.copyMerge(target, table).withRejects(BronzeFiles.this::rejected));
      }
    };
  }

  /** A row the database refused, quarantined where a bad record of its file would be. */
  private QuarantinedRecord rejected(R row, String databaseMessage) {
    Object[] at = table.values(row, List.of(FILE_PATH, RECORD_INDEX, CHECKSUM));
    Object payload =
        table.columnNames().contains(RAW_DATA)
            ? table.values(row, List.of(RAW_DATA))[0]
            : row.toString();
    return QuarantinedRecord.of(
            Layer.BRONZE,
            ErrorClass.REJECTED_BY_SINK,
            String.valueOf(at[0]),
            ((Number) at[1]).intValue(),
            null,
            payload == null ? null : payload.toString(),
            databaseMessage)
        .withSourceChecksum(String.valueOf(at[2]));
  }

  /**
   * Writes one file's bronze rows on an open connection (partitions first): the row-at-a-time twin
   * of {@link #write}.
   */
  public void write(Connection c, List<R> records) throws SQLException {
    if (partitionSql != null) {
      Set<String> partitions = new TreeSet<>();
      records.forEach(r -> partitions.add(partitionOf.apply(r)));
      for (String partition : partitions) {
        try (PreparedStatement ps = c.prepareStatement(partitionSql)) {
          ps.setString(1, partition);
          ps.execute();
        }
      }
    }
    try (PreparedStatement ps = c.prepareStatement(table.insertSql())) {
      for (R record : records) {
        table.bind(ps, record);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /**
   * The bronze counts of one file: records in, out and set aside, bytes read, and a skipped file.
   */
  static final class Tally implements Serializable {
    private static final long serialVersionUID = 1L;
    private final Counter recordsIn = LayerMetrics.in(Layer.BRONZE);
    private final Counter recordsOut = LayerMetrics.out(Layer.BRONZE);
    private final Counter quarantined = LayerMetrics.quarantined(Layer.BRONZE);
    private final Counter bytesRead = LayerMetrics.bytesRead(Layer.BRONZE);
    private final Counter skipped = RunMetric.FILES_SKIPPED.counter();

    void count(LandedFile file, Split<?> split) {
      bytesRead.inc(file.sizeBytes());
      recordsIn.inc(split.records().size() + split.failures().size());
      recordsOut.inc(split.records().size());
      quarantined.inc(split.failures().size());
      if (split.ledger().status() == FileStatus.SKIPPED) {
        skipped.inc();
      }
    }
  }
}
