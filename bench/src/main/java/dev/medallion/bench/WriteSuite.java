package dev.medallion.bench;

import dev.medallion.io.jdbc.CopyMergeWrite;
import dev.medallion.io.jdbc.CopyText;
import dev.medallion.io.jdbc.PooledDataSource;
import dev.medallion.ops.db.ConnectionPool;
import dev.medallion.ops.db.JdbcTarget;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.BigDecimalCoder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.GenerateSequence;
import org.apache.beam.sdk.io.jdbc.JdbcIO;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * The PostgreSQL write ladder on the same rows and the same table definition: row-at-a-time, JDBC
 * batches, multi-row upserts, COPY (the physical reference), COPY to staging + merge, and the
 * project's bronze sink as a pipeline runs it.
 */
final class WriteSuite {
  static final String REFERENCE = "COPY (CopyManager)";
  static final String SINK =
      "project sink (CopyMergeWrite: COPY, or staging + merge when a key exists), in a Beam pipeline";
  static final String UPSERT_SINK = "project sink with silver's ON CONFLICT DO UPDATE";
  static final String BEST_RAW_UPSERT = "multi-row INSERT ... ON CONFLICT DO UPDATE";
  private static final String TABLE = "bench.edge_rows";
  private static final int BATCH = 1_000;
  private static final int SINGLE_ROW_SLICE = 50_000;
  private static final int SEED_REST_SLICE = 20_000;
  static final String SEED_WAY =
      "one HTTP POST per record to a loopback Supabase REST stand-in (the seed's way)";

  private final JdbcTarget target;
  private final long rows;
  private final long seed;
  private final int repeats;
  private final PrintStream progress;
  private final List<BenchRow> data = new ArrayList<>();

  /**
   * The rows of the running suite for its pipelines, which run on DirectRunner in this JVM (see
   * {@link #rowsFromMemory}).
   */
  private static volatile List<BenchRow> readyRows = List.of();

  final List<TableState> states = new ArrayList<>();
  double averageSinkBatch;

  WriteSuite(JdbcTarget target, long rows, long seed, int repeats, PrintStream progress) {
    this.target = target;
    this.rows = rows;
    this.seed = seed;
    this.repeats = repeats;
    this.progress = progress;
  }

  List<Measurement> run() throws Exception {
    for (long i = 0; i < rows; i++) {
      data.add(BenchRow.of(i, seed));
    }
    readyRows = data;
    double megabytes = data.stream().mapToLong(BenchRow::textBytes).sum() / 1048576.0;
    execute("CREATE SCHEMA IF NOT EXISTS bench");
    execute("DROP TABLE IF EXISTS " + TABLE);
    execute("CREATE TABLE " + TABLE + " (" + BenchRow.TABLE_COLUMNS + ")");
    execute("DROP TABLE IF EXISTS bench.edge_rows_stage");
    execute(
        "CREATE UNLOGGED TABLE bench.edge_rows_stage ("
            + BenchRow.TABLE_COLUMNS.replace(" PRIMARY KEY", "")
            + ")");

    List<Measurement> results = new ArrayList<>();
    int restSlice = (int) Math.min(rows, SEED_REST_SLICE);
    try (SeedRestInserts rest = new SeedRestInserts(target, TABLE)) {
      results.add(
          measureSlice(
              SEED_WAY, megabytes, restSlice, () -> rest.insertEach(data.subList(0, restSlice))));
    }
    int slice = (int) Math.min(rows, SINGLE_ROW_SLICE);
    results.add(
        measureSlice(
            "single-row INSERT, autocommit", megabytes, slice, () -> singleRowInserts(slice)));
    results.add(
        measure(
            "batched INSERT (1,000 per batch)",
            megabytes,
            this::truncate,
            () -> batchedInserts(target),
            ""));
    results.add(
        measure(
            "batched INSERT, reWriteBatchedInserts=true",
            megabytes,
            this::truncate,
            () -> batchedInserts(target.withUrlParameter("reWriteBatchedInserts", "true")),
            ""));
    results.add(
        measure(
            BEST_RAW_UPSERT + ", empty table",
            megabytes,
            this::truncate,
            this::multiRowUpsert,
            ""));
    results.add(
        measure(
            BEST_RAW_UPSERT + ", over existing rows",
            megabytes,
            this::copyIn,
            this::multiRowUpsert,
            "every row conflicts"));
    results.add(measure(REFERENCE, megabytes, this::truncate, this::copyIn, "not idempotent"));
    results.add(
        measure(
            "COPY to UNLOGGED staging + one INSERT ... SELECT ... ON CONFLICT",
            megabytes,
            this::truncate,
            this::copyToStagingThenMerge,
            ""));
    Measurement sink = measure(SINK, megabytes, this::truncate, this::projectSink, "");
    results.add(
        sink.withNote(String.format(Locale.ROOT, "average batch %.0f rows", averageSinkBatch)));
    double sinkBatch = averageSinkBatch;
    long before = state().rows();
    Measurement rerun =
        measure(
            "project sink again over the same rows (idempotent re-run)",
            megabytes,
            () -> 0,
            this::projectSink,
            "");
    long added = state().rows() - before;
    results.add(
        rerun.withNote(
            added == 0 ? "inserted 0 rows" : "INSERTED " + added + " ROWS: not idempotent"));
    results.add(
        measure(
            UPSERT_SINK + ", empty table", megabytes, this::truncate, () -> projectUpsert(), ""));
    results.add(
        measure(
            UPSERT_SINK + ", over existing rows",
            megabytes,
            () -> 0,
            () -> projectUpsert(),
            "every row conflicts"));
    results.add(
        measure(
            "JdbcIO.write batches in a Beam pipeline (plain upsert)",
            megabytes,
            this::truncate,
            this::jdbcIoSink,
            ""));
    averageSinkBatch = sinkBatch;
    readyRows = List.of();
    return results;
  }

  /**
   * A row-at-a-time method, timed on the first {@code slice} rows and reported over all rows at the
   * same rate.
   */
  private Measurement measureSlice(String method, double megabytes, int slice, Measurement.Run run)
      throws Exception {
    Measurement m =
        measure(
            method,
            megabytes * slice / rows,
            this::truncate,
            run,
            slice < rows ? String.format(Locale.ROOT, "measured on %,d rows", slice) : "");
    return new Measurement(
        m.method(), rows, m.seconds() * rows / slice, megabytes, m.peakHeapBytes(), m.note());
  }

  private Measurement measure(
      String method, double megabytes, Measurement.Run before, Measurement.Run run, String note)
      throws Exception {
    progress.printf("  write: %s ...%n", method);
    Measurement m = Measurement.of(method, megabytes, repeats, before, run, note);
    states.add(state());
    return m;
  }

  private long truncate() throws SQLException {
    execute("TRUNCATE " + TABLE);
    return 0;
  }

  private long singleRowInserts(int count) throws SQLException {
    try (Connection c = ConnectionPool.forTarget(target).getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO "
                    + TABLE
                    + " ("
                    + BenchRow.COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb), ?, ?)")) {
      c.setAutoCommit(true);
      for (int i = 0; i < count; i++) {
        bind(ps, 0, data.get(i));
        ps.executeUpdate();
      }
    }
    return count;
  }

  private long batchedInserts(JdbcTarget to) throws SQLException {
    try (Connection c = ConnectionPool.forTarget(to).getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO "
                    + TABLE
                    + " ("
                    + BenchRow.COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb), ?, ?)")) {
      c.setAutoCommit(false);
      int inBatch = 0;
      for (BenchRow row : data) {
        bind(ps, 0, row);
        ps.addBatch();
        if (++inBatch == BATCH) {
          ps.executeBatch();
          inBatch = 0;
        }
      }
      ps.executeBatch();
      c.commit();
      c.setAutoCommit(true);
    }
    return data.size();
  }

  private long multiRowUpsert() throws SQLException {
    try (Connection c = ConnectionPool.forTarget(target).getConnection()) {
      c.setAutoCommit(false);
      for (int start = 0; start < data.size(); start += BATCH) {
        int end = Math.min(data.size(), start + BATCH);
        StringBuilder sql =
            new StringBuilder("INSERT INTO " + TABLE + " AS t (" + BenchRow.COLUMNS + ") VALUES ");
        for (int i = start; i < end; i++) {
          sql.append(i == start ? "" : ", ")
              .append("(?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb), ?, ?)");
        }
        sql.append(" ").append(ON_CONFLICT_UPDATE);
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
          for (int i = start; i < end; i++) {
            bind(ps, (i - start) * 10, data.get(i));
          }
          ps.executeUpdate();
        }
      }
      c.commit();
      c.setAutoCommit(true);
    }
    return data.size();
  }

  private long copyIn() throws Exception {
    truncate();
    try (Connection c = ConnectionPool.forTarget(target).getConnection()) {
      copyRows(c, "COPY " + TABLE + " (" + BenchRow.COLUMNS + ") FROM STDIN");
    }
    return data.size();
  }

  private long copyToStagingThenMerge() throws Exception {
    try (Connection c = ConnectionPool.forTarget(target).getConnection();
        Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.execute("TRUNCATE bench.edge_rows_stage");
      copyRows(c, "COPY bench.edge_rows_stage (" + BenchRow.COLUMNS + ") FROM STDIN");
      s.executeUpdate(
          "INSERT INTO "
              + TABLE
              + " ("
              + BenchRow.COLUMNS
              + ") SELECT "
              + BenchRow.COLUMNS
              + " FROM bench.edge_rows_stage ON CONFLICT (id) DO NOTHING");
      c.commit();
      c.setAutoCommit(true);
    }
    return data.size();
  }

  /** The same clause for the raw multi-row upsert and the project's upsert sink. */
  static final String ON_CONFLICT_UPDATE =
      "ON CONFLICT (id) DO UPDATE SET amount = EXCLUDED.amount, raw_data = EXCLUDED.raw_data,"
          + " payment_method = EXCLUDED.payment_method WHERE (t.amount, t.raw_data, t.payment_method)"
          + " IS DISTINCT FROM (EXCLUDED.amount, EXCLUDED.raw_data, EXCLUDED.payment_method)";

  private long projectUpsert() {
    return runSink(ON_CONFLICT_UPDATE);
  }

  private long projectSink() {
    return runSink("ON CONFLICT (id) DO NOTHING");
  }

  private long runSink(String conflictClause) {
    Pipeline pipeline = Pipeline.create(ChainSuite.direct(false));
    rowsFromMemory(pipeline)
        .apply(
            "WriteRows",
            CopyMergeWrite.<BenchRow>into(
                target,
                TABLE,
                List.of(BenchRow.COLUMNS.split(", ")),
                conflictClause,
                BenchRow::values));
    PipelineResult result = pipeline.run();
    result.waitUntilFinish();
    for (MetricResult<DistributionResult> batch :
        result.metrics().queryMetrics(MetricsFilter.builder().build()).getDistributions()) {
      if (batch.getName().getName().endsWith("_batch_rows")) {
        averageSinkBatch = batch.getAttempted().getMean();
      }
    }
    return rows;
  }

  private long jdbcIoSink() {
    Pipeline pipeline = Pipeline.create(ChainSuite.direct(false));
    rowsFromMemory(pipeline)
        .apply(
            "WriteRows",
            JdbcIO.<BenchRow>write()
                .withDataSourceProviderFn(PooledDataSource.of(target))
                .withStatement(
                    "INSERT INTO "
                        + TABLE
                        + " ("
                        + BenchRow.COLUMNS
                        + ") VALUES (?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb), ?, ?)"
                        + " ON CONFLICT (id) DO NOTHING")
                .withPreparedStatementSetter((row, ps) -> bind(ps, 0, row))
                .withBatchSize(BATCH));
    pipeline.run().waitUntilFinish();
    return rows;
  }

  /**
   * The rows as a pipeline reads them: the same ready-made rows the raw methods write, picked by
   * index, so that a pipeline's time is its writing and not the making of the rows ({@link
   * BenchRow#of} formats text and hashes a uuid: a third of the sink's CPU when the pipeline made
   * its own rows). They are coded field by field, as the pipelines' own rows are (schema coders),
   * not by Java serialization, which a runner pays for at every copy it makes.
   */
  private PCollection<BenchRow> rowsFromMemory(Pipeline pipeline) {
    return pipeline
        .apply("GenerateRowIndexes", GenerateSequence.from(0).to(rows))
        .apply("PickRows", MapElements.into(TypeDescriptor.of(BenchRow.class)).via(new ReadyRow()))
        .setCoder(BenchRowCoder.INSTANCE);
  }

  /**
   * A bench row field by field: a uuid as two longs, text as UTF-8, the time as seconds and nanos.
   */
  static final class BenchRowCoder extends CustomCoder<BenchRow> {
    private static final long serialVersionUID = 1L;
    static final BenchRowCoder INSTANCE = new BenchRowCoder();
    private static final StringUtf8Coder TEXT = StringUtf8Coder.of();
    private static final BigDecimalCoder DECIMAL = BigDecimalCoder.of();
    private static final VarLongCoder LONG = VarLongCoder.of();
    private static final VarIntCoder INT = VarIntCoder.of();

    @Override
    public void encode(BenchRow row, OutputStream out) throws IOException {
      LONG.encode(row.id().getMostSignificantBits(), out);
      LONG.encode(row.id().getLeastSignificantBits(), out);
      TEXT.encode(row.deviceId(), out);
      TEXT.encode(row.storeId(), out);
      TEXT.encode(row.transactionId(), out);
      DECIMAL.encode(row.amount(), out);
      TEXT.encode(row.paymentMethod(), out);
      LONG.encode(row.createdAt().toEpochSecond(), out);
      INT.encode(row.createdAt().getNano(), out);
      INT.encode(row.createdAt().getOffset().getTotalSeconds(), out);
      TEXT.encode(row.rawJson(), out);
      TEXT.encode(row.fileName(), out);
      INT.encode(row.recordIndex(), out);
    }

    @Override
    public BenchRow decode(InputStream in) throws IOException {
      return new BenchRow(
          new UUID(LONG.decode(in), LONG.decode(in)),
          TEXT.decode(in),
          TEXT.decode(in),
          TEXT.decode(in),
          DECIMAL.decode(in),
          TEXT.decode(in),
          OffsetDateTime.ofInstant(
              Instant.ofEpochSecond(LONG.decode(in), INT.decode(in)),
              ZoneOffset.ofTotalSeconds(INT.decode(in))),
          TEXT.decode(in),
          TEXT.decode(in),
          INT.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }

  /** Row {@code i} of the ready-made rows in memory; serializable for the pipeline. */
  static final class ReadyRow implements SerializableFunction<Long, BenchRow> {
    private static final long serialVersionUID = 1L;

    @Override
    public BenchRow apply(Long index) {
      return readyRows.get(Math.toIntExact(index));
    }
  }

  /**
   * Streams every row through one COPY, formatting as it goes, so that a million rows never sit in
   * memory twice.
   */
  private void copyRows(Connection c, String copy) throws SQLException {
    CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn(copy);
    try {
      CopyText text = new CopyText();
      for (BenchRow row : data) {
        text.appendRow(row.values()).sendChunk(in);
      }
      text.send(in);
      in.endCopy();
    } finally {
      if (in.isActive()) {
        in.cancelCopy();
      }
    }
  }

  private static void bind(PreparedStatement ps, int offset, BenchRow row) throws SQLException {
    ps.setObject(offset + 1, row.id());
    ps.setString(offset + 2, row.deviceId());
    ps.setString(offset + 3, row.storeId());
    ps.setString(offset + 4, row.transactionId());
    ps.setBigDecimal(offset + 5, row.amount());
    ps.setString(offset + 6, row.paymentMethod());
    ps.setObject(offset + 7, row.createdAt());
    ps.setString(offset + 8, row.rawJson());
    ps.setString(offset + 9, row.fileName());
    ps.setInt(offset + 10, row.recordIndex());
  }

  TableState state() throws SQLException {
    try (Connection c = ConnectionPool.forTarget(target).getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(*), coalesce((sum(('x' || substr(md5(t::text), 1, 15))::bit(60)::bigint) % 9223372036854775807)::bigint, 0)"
                    + " FROM "
                    + TABLE
                    + " t")) {
      rs.next();
      return new TableState(rs.getLong(1), rs.getLong(2));
    }
  }

  private void execute(String sql) throws SQLException {
    try (Connection c = ConnectionPool.forTarget(target).getConnection();
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
