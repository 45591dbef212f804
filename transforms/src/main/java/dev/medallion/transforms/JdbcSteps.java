package dev.medallion.transforms;

import dev.medallion.io.jdbc.PooledDataSource;
import dev.medallion.ops.db.ConnectionPool;
import dev.medallion.ops.db.JdbcTarget;
import dev.medallion.transforms.grouping.GroupingOptions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.VoidCoder;
import org.apache.beam.sdk.io.jdbc.JdbcIO;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.Wait;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Reads that wait for writes: every layer reads its input from the table the layer before it wrote,
 * once that write has finished ({@link Wait#on}), so any subset of layers can run on its own.
 */
public final class JdbcSteps {
  private JdbcSteps() {}

  /** One element that exists only once every write in {@code after} has finished. */
  public static PCollection<Integer> trigger(PBegin input, List<PCollection<Void>> after) {
    PCollection<Integer> one = input.apply("Start", Create.of(1));
    return after.isEmpty()
        ? one
        : one.apply(
            "WaitForUpstreamWrites", Wait.on(new java.util.ArrayList<PCollection<?>>(after)));
  }

  public static <T> PTransform<PBegin, PCollection<T>> readAfter(
      String stepName,
      JdbcTarget target,
      String sql,
      List<PCollection<Void>> after,
      JdbcIO.RowMapper<T> mapper,
      Class<T> type) {
    return withRecordCoder(type, coder -> readAfter(stepName, target, sql, after, mapper, coder));
  }

  public static <T> PTransform<PBegin, PCollection<T>> readAfter(
      String stepName,
      JdbcTarget target,
      String sql,
      List<PCollection<Void>> after,
      JdbcIO.RowMapper<T> mapper,
      Coder<T> coder) {
    return new PTransform<>() {
      private static final long serialVersionUID = 1L;

      @Override
      public PCollection<T> expand(PBegin input) {
        return trigger(input, after)
            .apply(stepName, readEach(target, sql, (ignored, ps) -> {}, mapper, coder));
      }
    };
  }

  /**
   * Like {@link #readAfter(String, JdbcTarget, String, List, JdbcIO.RowMapper, Coder)}, but the
   * rows come in {@code --tableReadParts} disjoint reads (by a hash of {@code keyColumn}), spread
   * over the workers: one query is one thread and, on the DirectRunner, one bundle holding every
   * row at once, which made a large table's read the slowest and biggest step of its layer.
   *
   * @param sql a query whose select list includes {@code keyColumn}
   */
  public static <T> PTransform<PBegin, PCollection<T>> readAfterInParts(
      String stepName,
      JdbcTarget target,
      String sql,
      String keyColumn,
      List<PCollection<Void>> after,
      JdbcIO.RowMapper<T> mapper,
      Coder<T> coder) {
    return new PTransform<>() {
      private static final long serialVersionUID = 1L;

      @Override
      public PCollection<T> expand(PBegin input) {
        int parts = GroupingOptions.readPartsOf(input.getPipeline().getOptions());
        String partSql =
            "SELECT * FROM ("
                + sql
                + ") AS rows_of_part WHERE (hashtext(CAST(rows_of_part."
                + keyColumn
                + " AS text)) & 2147483647) % "
                + parts
                + " = ?";
        return trigger(input, after)
            .apply("Parts", ParDo.of(new PartNumbersFn(parts)))
            .apply(
                stepName,
                readEachSpread(target, partSql, (part, ps) -> ps.setInt(1, part), mapper, coder));
      }
    };
  }

  public static <T> PTransform<PBegin, PCollection<T>> readAfterInParts(
      String stepName,
      JdbcTarget target,
      String sql,
      String keyColumn,
      List<PCollection<Void>> after,
      JdbcIO.RowMapper<T> mapper,
      Class<T> type) {
    return withRecordCoder(
        type, coder -> readAfterInParts(stepName, target, sql, keyColumn, after, mapper, coder));
  }

  /**
   * One query for each element, the elements first spread over {@code --tableReadParts} groups (by
   * their hash): the elements come from one query or one list, so on one worker, and each group's
   * queries then run on a worker of their own.
   */
  public static <P, T> PTransform<PCollection<P>, PCollection<T>> readEachSpread(
      JdbcTarget target,
      String sql,
      JdbcIO.PreparedStatementSetter<P> parameters,
      JdbcIO.RowMapper<T> mapper,
      Coder<T> coder) {
    return new PTransform<>() {
      private static final long serialVersionUID = 1L;

      @Override
      public PCollection<T> expand(PCollection<P> elements) {
        int parts = GroupingOptions.readPartsOf(elements.getPipeline().getOptions());
        return elements
            .apply(
                "SpreadOverParts",
                WithKeys.of((P element) -> Math.floorMod(element.hashCode(), parts))
                    .withKeyType(TypeDescriptors.integers()))
            .apply("GroupIntoParts", GroupByKey.create())
            .apply("ElementsOfPart", Values.create())
            .apply("EachElement", Flatten.iterables())
            .apply("Read", readEach(target, sql, parameters, mapper, coder));
      }
    };
  }

  /** One query for each element, its rows in the element's worker and bundle. */
  private static <P, T> JdbcIO.ReadAll<P, T> readEach(
      JdbcTarget target,
      String sql,
      JdbcIO.PreparedStatementSetter<P> parameters,
      JdbcIO.RowMapper<T> mapper,
      Coder<T> coder) {
    return JdbcIO.<P, T>readAll()
        .withDataSourceProviderFn(PooledDataSource.of(target))
        .withQuery(sql)
        .withParameterSetter(parameters)
        .withRowMapper(mapper)
        .withCoder(coder)
        // Every reader here feeds a grouping step, which spreads the rows; a reshuffle first
        // would move them twice.
        .withOutputParallelization(false);
  }

  /**
   * A read whose coder is its type's {@link RecordCoders#of}, looked up when the read is applied.
   */
  private static <T> PTransform<PBegin, PCollection<T>> withRecordCoder(
      Class<T> type, SerializableFunction<Coder<T>, PTransform<PBegin, PCollection<T>>> read) {
    return new PTransform<>() {
      private static final long serialVersionUID = 1L;

      @Override
      public PCollection<T> expand(PBegin input) {
        return read.apply(RecordCoders.of(input.getPipeline(), type)).expand(input);
      }
    };
  }

  private static final class PartNumbersFn extends DoFn<Integer, Integer> {
    private static final long serialVersionUID = 1L;
    private final int parts;

    PartNumbersFn(int parts) {
      this.parts = parts;
    }

    @ProcessElement
    public void fanOut(OutputReceiver<Integer> out) {
      for (int part = 0; part < parts; part++) {
        out.output(part);
      }
    }
  }

  /**
   * Runs one statement, in one transaction, once every write in {@code after} has finished: for
   * set-based work the database does best on its own (e.g. marking a million rows), instead of
   * sending it the rows.
   */
  public static PTransform<PBegin, PCollection<Void>> executeAfter(
      String stepName, JdbcTarget target, String sql, List<PCollection<Void>> after) {
    return new PTransform<>() {
      private static final long serialVersionUID = 1L;

      @Override
      public PCollection<Void> expand(PBegin input) {
        return trigger(input, after)
            .apply(stepName, ParDo.of(new ExecuteFn(target, sql)))
            .setCoder(VoidCoder.of());
      }
    };
  }

  private static final class ExecuteFn extends DoFn<Integer, Void> {
    private static final long serialVersionUID = 1L;
    private final JdbcTarget target;
    private final String sql;

    ExecuteFn(JdbcTarget target, String sql) {
      this.target = target;
      this.sql = sql;
    }

    @ProcessElement
    public void execute() throws SQLException {
      try (Connection connection = ConnectionPool.forTarget(target).getConnection();
          Statement statement = connection.createStatement()) {
        statement.executeUpdate(sql);
      }
    }
  }
}
