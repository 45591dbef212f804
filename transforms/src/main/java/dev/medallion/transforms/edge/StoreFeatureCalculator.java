package dev.medallion.transforms.edge;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A store's platinum features from its daily summaries (src/docs/seeds/edge-device-medallion.md's
 * store_metrics): means over the days that have a summary in the window, as SQL's AVG would take
 * them.
 */
public final class StoreFeatureCalculator {
  /** The window: the as-of day and the 89 days before it. */
  public static final int WINDOW_DAYS = 90;

  private static final int MOVING_AVERAGE_DAYS = 7;

  private StoreFeatureCalculator() {}

  public static LocalDate windowStart(LocalDate asOf) {
    return asOf.minusDays(WINDOW_DAYS - 1L);
  }

  /** The features, or empty when the store has no summary inside the window. */
  public static Optional<StoreFeatures> compute(
      String storeId, Iterable<StoreDailySummary> summaries, LocalDate asOf) {
    LocalDate start = windowStart(asOf);
    List<StoreDailySummary> days = new ArrayList<>();
    for (StoreDailySummary summary : summaries) {
      LocalDate day = summary.transactionDate();
      if (!day.isBefore(start) && !day.isAfter(asOf)) {
        days.add(summary);
      }
    }
    if (days.isEmpty()) {
      return Optional.empty();
    }
    days.sort(Comparator.comparingLong(StoreDailySummary::getTransactionEpochDay));
    int n = days.size();

    double mean =
        days.stream().mapToLong(StoreDailySummary::getTransactionCount).average().orElseThrow();
    Double stddev = null;
    if (n > 1) {
      double squares =
          days.stream().mapToDouble(d -> Math.pow(d.getTransactionCount() - mean, 2)).sum();
      stddev = Math.sqrt(squares / (n - 1));
    }
    BigDecimal revenue =
        days.stream()
            .map(StoreDailySummary::getTotalRevenue)
            .reduce(BigDecimal.ZERO, BigDecimal::add);
    BigDecimal avgRevenue = revenue.divide(BigDecimal.valueOf(n), 4, RoundingMode.HALF_UP);
    double ma7 =
        days.subList(Math.max(0, n - MOVING_AVERAGE_DAYS), n).stream()
            .mapToLong(StoreDailySummary::getTransactionCount)
            .average()
            .orElseThrow();
    Double weekday = averageCount(days, false);
    Double weekend = averageCount(days, true);
    return Optional.of(
        StoreFeatures.create(
            storeId, asOf, start, n, mean, stddev, avgRevenue, ma7, weekday, weekend));
  }

  private static Double averageCount(List<StoreDailySummary> days, boolean weekend) {
    return days.stream()
        .filter(d -> isWeekend(d.transactionDate()) == weekend)
        .mapToLong(StoreDailySummary::getTransactionCount)
        .average()
        .stream()
        .boxed()
        .findFirst()
        .orElse(null);
  }

  private static boolean isWeekend(LocalDate day) {
    return day.getDayOfWeek() == DayOfWeek.SATURDAY || day.getDayOfWeek() == DayOfWeek.SUNDAY;
  }
}
