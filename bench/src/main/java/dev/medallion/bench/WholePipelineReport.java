package dev.medallion.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.annotation.Nullable;

/**
 * The runners suite's table, what it says in words, and its targets (issue 14): the whole edge
 * pipeline on each runner profile against the program a user would write by hand, at a quarter,
 * half and all of the rows.
 */
final class WholePipelineReport {
  static final String TITLE = "runners: the whole edge pipeline, files to platinum in PostgreSQL";

  /** time(rows) / time(rows / 4) at most this: linear, with room for noise. */
  static final double LINEAR_GROWTH = 4.4;

  static final double DIRECT_SHARE_OF_FLINK = 0.5;
  static final double FLINK_SHARE_OF_HAND_WRITTEN = 1.0;
  static final double SEED_FACTOR = 50;

  private final List<PipelineSuite.Run> runs;
  private final List<Long> sizes;
  @Nullable private final String clusterMaster;
  private final Duration timeLimit;

  WholePipelineReport(
      List<PipelineSuite.Run> runs, @Nullable String clusterMaster, Duration timeLimit) {
    this.runs = runs;
    this.sizes = runs.stream().map(PipelineSuite.Run::size).distinct().sorted().toList();
    this.clusterMaster = clusterMaster;
    this.timeLimit = timeLimit;
  }

  /** The table, each row's ratio to the hand-written program at the same size, and notes. */
  String table() {
    StringBuilder out = new StringBuilder();
    out.append(
        MarkdownTable.render(
            TITLE,
            runs.stream().map(PipelineSuite.Run::measurement).toList(),
            "the hand-written program at the same size",
            m ->
                find(PipelineSuite.HAND_WRITTEN, m.rows())
                    .map(PipelineSuite.Run::measurement)
                    .orElse(null)));
    out.append('\n')
        .append(
            "Every method loads the same generated files (500 records each, JSON and CSV in turn) into"
                + " emptied tables: bronze, silver, gold, and platinum as of "
                + PipelineSuite.AS_OF
                + ". The Beam rows run the product's edge pipeline with the options of"
                + " `runner-profiles/<profile>.properties`. The hand-written program (`HandWrittenEdge`) is what"
                + " a user would write instead: one thread and one connection; it reads the files in landing"
                + " order, validates each record with the pipeline's own parser, COPYs the raw records into"
                + " bronze, inserts silver in JDBC batches with `ON CONFLICT (transaction_id) DO NOTHING`,"
                + " recomputes the touched store-days with the seed's gold query and platinum with one SQL"
                + " statement. After each method's last run the bench takes a checksum of gold and platinum;"
                + " the targets below require the same tables from every method.\n");
    if (sizes.size() > 1) {
      List<String> growth = new ArrayList<>();
      for (String method : methods()) {
        growth.add(
            shortName(method)
                + " "
                + growth(method)
                    .map(r -> String.format(Locale.ROOT, "%.1fx", r))
                    .orElse("not timed"));
      }
      out.append(
          String.format(
              Locale.ROOT,
              "%nThe time for %,d rows as a multiple of the time for %,d (linear is %.0fx): %s.%n",
              largest(),
              sizes.get(0),
              (double) largest() / sizes.get(0),
              String.join(", ", growth)));
    }
    out.append(
        String.format(
            Locale.ROOT,
            "%nEach run may take %d min (`--runner-time-limit-minutes`); one that takes longer is"
                + " stopped, reported as not finished, and not run at larger sizes.%n",
            timeLimit.toMinutes()));
    if (clusterMaster == null) {
      out.append(
          "\nThe standalone Flink cluster was not measured: pass --flink-master HOST:PORT with a running"
              + " cluster.\n");
    }
    return out.toString();
  }

  /**
   * The targets: DirectRunner linear and at least half of embedded Flink, embedded Flink at least
   * the hand-written program, the same gold and platinum from every method, and the seed's way.
   */
  List<String> verdicts(@Nullable Measurement seedWay) {
    List<String> verdicts = new ArrayList<>();
    long small = sizes.get(0);
    long large = largest();
    Measurement direct = measured(PipelineSuite.DIRECT, large);
    Measurement flink = measured(PipelineSuite.FLINK_LOCAL, large);
    Measurement hand = measured(PipelineSuite.HAND_WRITTEN, large);

    Optional<Double> directGrowth = growth(PipelineSuite.DIRECT);
    verdicts.add(
        directGrowth
            .map(
                g ->
                    Bench.verdict(
                        g <= LINEAR_GROWTH,
                        String.format(
                            Locale.ROOT,
                            "the direct profile (DirectRunner) took %.1fx the time for %.0fx the rows"
                                + " (%,d to %,d; target at most %.1fx)",
                            g,
                            (double) large / small,
                            small,
                            large,
                            LINEAR_GROWTH)))
            .orElseGet(
                () ->
                    Bench.verdict(
                        false,
                        String.format(
                            Locale.ROOT,
                            "the direct profile (DirectRunner) grows linearly from %,d to %,d rows"
                                + " (target at most %.1fx the time): %s",
                            small,
                            large,
                            LINEAR_GROWTH,
                            notFinished(PipelineSuite.DIRECT)))));
    verdicts.add(
        share(
            direct,
            flink,
            DIRECT_SHARE_OF_FLINK,
            String.format(
                Locale.ROOT,
                "the direct profile (DirectRunner) at %%s of the flink-local profile's rows/s at %,d rows"
                    + " (%%s; target %.0f%%%%)",
                large,
                100 * DIRECT_SHARE_OF_FLINK)));
    verdicts.add(
        share(
            flink,
            hand,
            FLINK_SHARE_OF_HAND_WRITTEN,
            String.format(
                Locale.ROOT,
                "the Beam pipeline on the flink-local profile at %%s of the hand-written program's rows/s"
                    + " at %,d rows (%%s; target %.0f%%%%)",
                large,
                100 * FLINK_SHARE_OF_HAND_WRITTEN)));
    verdicts.add(sameTables());
    if (seedWay == null) {
      verdicts.add(
          "not measured: the 50x comparison with the seed's one-request-per-record inserts needs"
              + " --suite write too");
    } else if (!flink.finished()) {
      verdicts.add(
          Bench.verdict(
              false,
              "the whole pipeline is 50x the seed's one-request-per-record inserts: "
                  + notFinished(PipelineSuite.FLINK_LOCAL)));
    } else {
      // The stand-in has no network; each real request to Supabase adds a round trip, so the
      // target holds on any link slower than the per-record time at which the seed would run at
      // 1/50 of the pipeline.
      double breakEvenMillis =
          1000.0 * SEED_FACTOR / flink.rowsPerSecond() - 1000.0 / seedWay.rowsPerSecond();
      verdicts.add(
          Bench.verdict(
              flink.rowsPerSecond() >= SEED_FACTOR * seedWay.rowsPerSecond(),
              String.format(
                  Locale.ROOT,
                  "the whole pipeline on flink-local, files to platinum, is %.1fx the seed's"
                      + " one-request-per-record bronze inserts over loopback (target 50x); it is 50x once"
                      + " each real request adds %.1f ms of round trip to the stand-in's %.2f ms",
                  flink.rowsPerSecond() / seedWay.rowsPerSecond(),
                  Math.max(0, breakEvenMillis),
                  1000.0 / seedWay.rowsPerSecond())));
    }
    return verdicts;
  }

  /** Met when every method finished at every size and left the same gold and platinum. */
  private String sameTables() {
    List<String> differences = new ArrayList<>();
    List<String> unfinished = new ArrayList<>();
    String agreed = "";
    for (long size : sizes) {
      Map<String, PipelineSuite.EdgeTables> left = new LinkedHashMap<>();
      for (PipelineSuite.Run run : runs) {
        if (run.size() != size) {
          continue;
        }
        if (run.tables() == null) {
          if (!unfinished.contains(shortName(run.method()))) {
            unfinished.add(shortName(run.method()));
          }
        } else {
          left.put(shortName(run.method()), run.tables());
        }
      }
      if (left.values().stream().distinct().count() > 1
          || left.values().stream()
              .anyMatch(t -> t.gold().rows() == 0 || t.platinum().rows() == 0)) {
        differences.add(
            String.format(Locale.ROOT, "at %,d rows ", size)
                + left.entrySet().stream()
                    .map(
                        e ->
                            String.format(
                                Locale.ROOT,
                                "%s gold %,d rows #%x, platinum %,d rows #%x",
                                e.getKey(),
                                e.getValue().gold().rows(),
                                e.getValue().gold().checksum(),
                                e.getValue().platinum().rows(),
                                e.getValue().platinum().checksum()))
                    .collect(Collectors.joining("; ")));
      } else if (!left.isEmpty() && size == largest()) {
        PipelineSuite.EdgeTables tables = left.values().iterator().next();
        agreed =
            String.format(
                Locale.ROOT,
                " (at %,d rows: gold %,d rows, platinum %,d rows)",
                size,
                tables.gold().rows(),
                tables.platinum().rows());
      }
    }
    String what = "every method left the same gold and platinum tables at every size";
    if (!differences.isEmpty()) {
      return Bench.verdict(false, what + ": they differ " + String.join("; ", differences));
    }
    if (!unfinished.isEmpty()) {
      return Bench.verdict(
          false,
          what
              + ": the methods that finished agree"
              + agreed
              + ", but "
              + String.join(" and ", unfinished)
              + " did not finish");
    }
    return Bench.verdict(true, what + agreed);
  }

  /** {@code what} with the share and both rates filled in, met when at least {@code target}. */
  private String share(Measurement m, Measurement reference, double target, String what) {
    if (!m.finished() || !reference.finished()) {
      return Bench.verdict(
          false,
          String.format(
              Locale.ROOT,
              what,
              "an unknown share",
              (m.finished() ? shortName(reference.method()) : shortName(m.method()))
                  + " did not finish"));
    }
    double ratio = m.rowsPerSecond() / reference.rowsPerSecond();
    return Bench.verdict(
        ratio >= target,
        String.format(
            Locale.ROOT,
            what,
            String.format(Locale.ROOT, "%.0f%%", 100 * ratio),
            String.format(
                Locale.ROOT,
                "%,.0f vs %,.0f rows/s",
                m.rowsPerSecond(),
                reference.rowsPerSecond())));
  }

  private long largest() {
    return sizes.get(sizes.size() - 1);
  }

  private List<String> methods() {
    return runs.stream().map(PipelineSuite.Run::method).distinct().toList();
  }

  /** time(largest) / time(smallest) of a method, when it finished both. */
  private Optional<Double> growth(String method) {
    Measurement small = measured(method, sizes.get(0));
    Measurement large = measured(method, largest());
    if (sizes.size() < 2 || !small.finished() || !large.finished()) {
      return Optional.empty();
    }
    return Optional.of(large.seconds() / small.seconds());
  }

  private String notFinished(String method) {
    return runs.stream()
        .filter(r -> r.method().equals(method) && !r.measurement().finished())
        .findFirst()
        .map(r -> String.format(Locale.ROOT, "at %,d rows it %s", r.size(), r.measurement().note()))
        .orElse("it was not measured");
  }

  private Measurement measured(String method, long size) {
    return find(method, size)
        .map(PipelineSuite.Run::measurement)
        .orElse(Measurement.didNotFinish(method, size, 0, "not measured"));
  }

  private Optional<PipelineSuite.Run> find(String method, long size) {
    return runs.stream().filter(r -> r.method().equals(method) && r.size() == size).findFirst();
  }

  /** A method's name without what it is run with: "direct", "hand-written", ... */
  static String shortName(String method) {
    if (method.equals(PipelineSuite.HAND_WRITTEN)) {
      return "hand-written";
    }
    if (method.equals(PipelineSuite.DIRECT)) {
      return "direct";
    }
    if (method.equals(PipelineSuite.FLINK_LOCAL)) {
      return "flink-local";
    }
    return "flink-cluster";
  }
}
