package dev.medallion.transforms.edge;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.Test;

public class StoreFeatureCalculatorTest {
  private static final double EPS = 1e-12;
  // 2024-06-20 is a Thursday; the window is 2024-06-20 minus 89 days = 2024-03-23 (a Saturday) ..
  // 2024-06-20.
  private static final LocalDate AS_OF = LocalDate.of(2024, 6, 20);

  static StoreDailySummary day(String store, LocalDate date, long count, String revenue) {
    // Only date, count and revenue feed the features; the rest is filler.
    return StoreDailySummary.create(
        store, date, count, 1, new BigDecimal(revenue), new BigDecimal("1.0000"), "card", 0L, 0L);
  }

  private static StoreFeatures compute(List<StoreDailySummary> days) {
    Optional<StoreFeatures> features = StoreFeatureCalculator.compute("store-1", days, AS_OF);
    assertTrue(features.isPresent());
    return features.get();
  }

  @Test
  public void windowStartIsEightyNineDaysBefore() {
    // June 20 - 20 days = May 31, - 31 days = April 30, - 30 days = March 31, - 8 days = March 23:
    // 20+31+30+8 = 89.
    assertEquals(LocalDate.of(2024, 3, 23), StoreFeatureCalculator.windowStart(AS_OF));
    assertEquals(DayOfWeek.THURSDAY, AS_OF.getDayOfWeek());
  }

  @Test
  public void featuresOverTheNinetyDayWindow() {
    List<StoreDailySummary> days =
        List.of(
            day("store-1", LocalDate.of(2024, 3, 22), 100, "1000.00"), // asOf - 90: outside
            day("store-1", LocalDate.of(2024, 3, 23), 2, "10.00"), // asOf - 89, a Saturday: inside
            day("store-1", LocalDate.of(2024, 6, 19), 4, "20.00"), // Wednesday: inside
            day("store-1", LocalDate.of(2024, 6, 20), 9, "30.01"), // asOf, Thursday: inside
            day("store-1", LocalDate.of(2024, 6, 21), 100, "1000.00")); // after asOf: outside

    StoreFeatures f = compute(days);

    assertEquals("store-1", f.getStoreId());
    assertEquals(AS_OF, f.asOf());
    assertEquals(LocalDate.of(2024, 3, 23), f.windowStart());
    assertEquals(3, f.getDaysWithData()); // 03-23, 06-19, 06-20
    // Counts 2, 4, 9: mean 15 / 3 = 5.0.
    assertEquals(5.0, f.getAvgDailyTransactions(), EPS);
    // Deviations -3, -1, 4; squares 9 + 1 + 16 = 26; / (3 - 1) = 13; sqrt(13).
    assertEquals(Math.sqrt(13.0), f.getStddevDailyTransactions(), EPS);
    // 10.00 + 20.00 + 30.01 = 60.01; / 3 = 20.003333... -> 20.0033.
    assertEquals(new BigDecimal("20.0033"), f.getAvgDailyRevenue());
    // Fewer than 7 days: ma7 is the mean of all 3 = 5.0.
    assertEquals(5.0, f.getMa7Transactions(), EPS);
    // Weekdays 06-19 (4) and 06-20 (9): 13 / 2 = 6.5. Weekend: 03-23 (2) only = 2.0.
    assertEquals(6.5, f.getWeekdayAvg(), EPS);
    assertEquals(2.0, f.getWeekendAvg(), EPS);
  }

  @Test
  public void sampleStandardDeviationOfOneAndThreeIsRootTwo() {
    StoreFeatures f =
        compute(
            List.of(
                day("store-1", LocalDate.of(2024, 6, 18), 1, "1.00"),
                day("store-1", LocalDate.of(2024, 6, 19), 3, "3.00")));
    // Mean 2; squares (1-2)^2 + (3-2)^2 = 2; / (2 - 1) = 2; sqrt(2) = 1.41421356...
    assertEquals(Math.sqrt(2.0), f.getStddevDailyTransactions(), EPS);
    assertEquals(1.4142135623730951, f.getStddevDailyTransactions(), EPS);
  }

  @Test
  public void oneDayHasNoStandardDeviation() {
    StoreFeatures f = compute(List.of(day("store-1", LocalDate.of(2024, 6, 18), 7, "70.00")));
    assertEquals(1, f.getDaysWithData());
    assertNull(f.getStddevDailyTransactions());
    assertEquals(7.0, f.getAvgDailyTransactions(), EPS);
    assertEquals(7.0, f.getMa7Transactions(), EPS);
    assertEquals(new BigDecimal("70.0000"), f.getAvgDailyRevenue()); // 70.00 / 1 at scale 4
  }

  @Test
  public void movingAverageTakesTheLastSevenDaysWithRows() {
    // Nine days with rows, given out of order; 06-10 and 06-11 are the two oldest and must not
    // count.
    List<StoreDailySummary> days =
        new ArrayList<>(
            List.of(
                day("store-1", LocalDate.of(2024, 6, 19), 7, "0.00"),
                day("store-1", LocalDate.of(2024, 6, 10), 1000, "0.00"),
                day("store-1", LocalDate.of(2024, 6, 13), 2, "0.00"),
                day("store-1", LocalDate.of(2024, 6, 20), 8, "0.00"),
                day("store-1", LocalDate.of(2024, 6, 11), 500, "0.00"),
                day("store-1", LocalDate.of(2024, 6, 14), 3, "0.00"),
                day("store-1", LocalDate.of(2024, 6, 12), 1, "0.00"), // gap: no 06-15..06-16 rows
                day("store-1", LocalDate.of(2024, 6, 17), 4, "0.00"),
                day("store-1", LocalDate.of(2024, 6, 18), 6, "0.00")));

    StoreFeatures f = compute(days);

    assertEquals(9, f.getDaysWithData());
    // Last 7 days with rows: 06-12 (1), 06-13 (2), 06-14 (3), 06-17 (4), 06-18 (6), 06-19 (7),
    // 06-20 (8).
    // 1 + 2 + 3 + 4 + 6 + 7 + 8 = 31; 31 / 7 = 4.428571...
    assertEquals(31.0 / 7.0, f.getMa7Transactions(), EPS);
    // All nine: 1000 + 500 + 31 = 1531; / 9 = 170.111...
    assertEquals(1531.0 / 9.0, f.getAvgDailyTransactions(), EPS);
    // No Saturday/Sunday among them (06-15 and 06-16 are the weekend, and have no rows).
    assertNull(f.getWeekendAvg());
    assertEquals(1531.0 / 9.0, f.getWeekdayAvg(), EPS);
    assertEquals(new BigDecimal("0.0000"), f.getAvgDailyRevenue()); // 0.00 * 9 / 9
  }

  @Test
  public void saturdayAndSundayAreWeekendAndFridayAndMondayAreNot() {
    StoreFeatures f =
        compute(
            List.of(
                day("store-1", LocalDate.of(2024, 6, 14), 10, "0.00"), // Friday
                day("store-1", LocalDate.of(2024, 6, 15), 3, "0.00"), // Saturday
                day("store-1", LocalDate.of(2024, 6, 16), 5, "0.00"), // Sunday
                day("store-1", LocalDate.of(2024, 6, 17), 20, "0.00"))); // Monday
    assertEquals(DayOfWeek.SATURDAY, LocalDate.of(2024, 6, 15).getDayOfWeek());
    // Weekend 3 and 5 -> 4.0; weekday 10 and 20 -> 15.0.
    assertEquals(4.0, f.getWeekendAvg(), EPS);
    assertEquals(15.0, f.getWeekdayAvg(), EPS);
  }

  @Test
  public void onlyWeekendDaysHaveNoWeekdayAverage() {
    StoreFeatures f =
        compute(
            List.of(
                day("store-1", LocalDate.of(2024, 6, 15), 3, "0.00"),
                day("store-1", LocalDate.of(2024, 6, 16), 6, "0.00")));
    assertNull(f.getWeekdayAvg());
    assertEquals(4.5, f.getWeekendAvg(), EPS); // (3 + 6) / 2
  }

  @Test
  public void averageRevenueRoundsHalfUpAtFourDecimals() {
    StoreFeatures f =
        compute(
            List.of(
                day("store-1", LocalDate.of(2024, 6, 17), 1, "0.01"),
                day("store-1", LocalDate.of(2024, 6, 18), 1, "0.00"),
                day("store-1", LocalDate.of(2024, 6, 19), 1, "0.00"),
                day("store-1", LocalDate.of(2024, 6, 20), 1, "0.00"),
                day("store-1", LocalDate.of(2024, 6, 12), 1, "0.00"),
                day("store-1", LocalDate.of(2024, 6, 13), 1, "0.00"),
                day("store-1", LocalDate.of(2024, 6, 14), 1, "0.00"),
                day("store-1", LocalDate.of(2024, 6, 11), 1, "0.00")));
    // 0.01 / 8 = 0.00125 -> HALF_UP at 4 decimals -> 0.0013.
    assertEquals(new BigDecimal("0.0013"), f.getAvgDailyRevenue());
    // Counts all 1: stddev 0.0, not null.
    assertEquals(0.0, f.getStddevDailyTransactions(), EPS);
  }

  @Test
  public void noDayInTheWindowGivesNoFeatures() {
    assertFalse(
        StoreFeatureCalculator.compute(
                "store-1",
                List.of(
                    day("store-1", LocalDate.of(2024, 3, 22), 5, "5.00"), // asOf - 90
                    day("store-1", LocalDate.of(2024, 6, 21), 5, "5.00")), // asOf + 1
                AS_OF)
            .isPresent());
    assertFalse(StoreFeatureCalculator.compute("store-1", List.of(), AS_OF).isPresent());
  }
}
