package dev.medallion.platform.example;

import dev.medallion.core.Counted;
import dev.medallion.ops.Layer;
import dev.medallion.ops.db.ConnectionPool;
import dev.medallion.ops.db.JdbcTarget;
import dev.medallion.platform.LayerTables;
import dev.medallion.platform.PipelineDefinition;
import dev.medallion.platform.RunContext;
import dev.medallion.platform.RunFailure;
import dev.medallion.platform.SourceKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * A test-only pipeline that runs per business date (for the backfill tests): the amounts in {@code
 * SOURCE/DATE.csv}, one per line, summed into {@code gold.daily_totals} for that date. A line that
 * is not a whole number fails the run, which is how a test makes a date fail.
 *
 * <pre>
 * SOURCE/DATE.csv -> ParseAmounts -> SumDay -> gold.daily_totals (DATE, total)
 * </pre>
 */
public final class DailyPipeline implements PipelineDefinition<DailyOptions> {
  static final String TABLE = "gold.daily_totals";

  @Override
  public String name() {
    return "daily";
  }

  @Override
  public String description() {
    return "Example (tests): one day's amounts summed per business date.";
  }

  @Override
  public SourceKind sourceKind() {
    return SourceKind.FILES;
  }

  @Override
  public List<LayerTables> layers() {
    return List.of(LayerTables.of(Layer.GOLD, TABLE));
  }

  @Override
  public Class<DailyOptions> optionsType() {
    return DailyOptions.class;
  }

  @Override
  public String schedule() {
    return "on demand";
  }

  @Override
  public boolean supportsBusinessDate() {
    return true;
  }

  @Override
  public Optional<String> businessDateRowsQuery() {
    return Optional.of("SELECT count(*) FROM " + TABLE + " WHERE business_date = ?");
  }

  @Override
  public List<String> problems(DailyOptions options, boolean continuous) {
    return options.getBusinessDate() == null
        ? List.of("--businessDate is required: the daily pipeline runs one date at a time")
        : List.of();
  }

  @Override
  public String describeSource(DailyOptions options) {
    return options.getSource() + "/" + options.getBusinessDate() + ".csv";
  }

  /** The table is the example's own, made here rather than in a migration of the product. */
  @Override
  public void prepare(DailyOptions options, RunContext context) {
    createTable(context.target());
    if (!Files.isRegularFile(file(options))) {
      throw new RunFailure("no file " + file(options));
    }
  }

  public static void createTable(JdbcTarget target) {
    try (Connection c = ConnectionPool.forTarget(target).getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          "CREATE TABLE IF NOT EXISTS "
              + TABLE
              + " (business_date DATE PRIMARY KEY, total BIGINT NOT NULL)");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path file(DailyOptions options) {
    return Path.of(options.getSource(), options.getBusinessDate() + ".csv");
  }

  @Override
  public void build(Pipeline pipeline, DailyOptions options, RunContext context) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file(options)).stream().filter(l -> !l.isBlank()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    pipeline
        .apply("ReadDay", Create.of(lines).withCoder(StringUtf8Coder.of()))
        .apply("CountGoldIn", Counted.in(Layer.GOLD))
        .apply(
            "ParseAmounts",
            MapElements.into(TypeDescriptors.longs()).via(line -> Long.parseLong(line.strip())))
        .apply("SumDay", Sum.longsGlobally())
        .apply(
            "WriteTotal",
            ParDo.of(
                new WriteTotalFn(context.target(), LocalDate.parse(options.getBusinessDate()))))
        .apply("CountGoldOut", Counted.out(Layer.GOLD));
  }

  /** Upserts the date's total. */
  static final class WriteTotalFn extends DoFn<Long, Long> {
    private static final long serialVersionUID = 1L;
    private final JdbcTarget target;
    private final LocalDate date;

    WriteTotalFn(JdbcTarget target, LocalDate date) {
      this.target = target;
      this.date = date;
    }

    @ProcessElement
    public void process(@Element Long total, OutputReceiver<Long> out) throws SQLException {
      try (Connection c = ConnectionPool.forTarget(target).getConnection();
          PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO "
                      + TABLE
                      + " (business_date, total) VALUES (?, ?)"
                      + " ON CONFLICT (business_date) DO UPDATE SET total = EXCLUDED.total")) {
        ps.setObject(1, date);
        ps.setLong(2, total);
        ps.executeUpdate();
      }
      out.output(total);
    }
  }
}
