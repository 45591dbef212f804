package dev.medallion.transforms.edge;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.TreeMap;
import org.junit.Test;

public class StoreDayAggregatorTest {
  private static final LocalDate DAY = LocalDate.of(2024, 6, 18);

  static EdgeTransaction sale(
      String id, String device, String amount, String payment, String isoTime) {
    return SummarizeStoreDaysTest.sale(id, "store-1", device, amount, payment, isoTime);
  }

  private static TreeMap<String, Integer> counts(Object... pairs) {
    TreeMap<String, Integer> counts = new TreeMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      counts.put((String) pairs[i], (Integer) pairs[i + 1]);
    }
    return counts;
  }

  @Test
  public void mostCommonPicksTheMostFrequent() {
    // cash 3 > card 2 > voucher 1.
    assertEquals("cash", StoreDayAggregator.mostCommon(counts("card", 2, "cash", 3, "voucher", 1)));
  }

  @Test
  public void mostCommonBreaksTiesToTheSmallestValue() {
    // card 2 = mobile 2 = wallet 2: MODE() takes the first in sort order, "card".
    assertEquals(
        "card", StoreDayAggregator.mostCommon(counts("wallet", 2, "mobile", 2, "card", 2)));
    // Ties follow Java String order (UTF-16 code units: 'C' 0x43 < 'c' 0x63), which matches
    // PostgreSQL only under the C collation; a linguistic collation may order these two
    // differently.
    assertEquals("Card", StoreDayAggregator.mostCommon(counts("card", 1, "Card", 1)));
  }

  @Test
  public void mostCommonOfNothingIsNull() {
    assertNull(StoreDayAggregator.mostCommon(new TreeMap<>()));
  }

  @Test
  public void summaryIgnoresNullPaymentsAndBreaksTiesToTheSmallest() {
    StoreDayAggregator aggregator =
        new StoreDayAggregator()
            .add(sale("t1", "d1", "1.00", "wallet", "2024-06-18T08:00:00Z"))
            .add(sale("t2", "d1", "1.00", null, "2024-06-18T09:00:00Z"))
            .add(sale("t3", "d1", "1.00", null, "2024-06-18T10:00:00Z"))
            .add(sale("t4", "d1", "1.00", "cash", "2024-06-18T11:00:00Z"));
    // null twice would win if it were counted; counted: wallet 1, cash 1 -> tie -> "cash" <
    // "wallet".
    assertEquals("cash", aggregator.summarize("store-1", DAY).getMostCommonPayment());
  }

  @Test
  public void summaryOfOnlyNullPaymentsHasNoMostCommonPayment() {
    StoreDayAggregator aggregator =
        new StoreDayAggregator()
            .add(sale("t1", "d1", "1.00", null, "2024-06-18T08:00:00Z"))
            .add(sale("t2", "d1", "1.00", null, "2024-06-18T09:00:00Z"));
    assertNull(aggregator.summarize("store-1", DAY).getMostCommonPayment());
  }

  @Test
  public void aTransactionAddedTwiceCountsOnce() {
    EdgeTransaction t1 = sale("t1", "d1", "10.00", "card", "2024-06-18T08:00:00Z");
    StoreDayAggregator aggregator =
        new StoreDayAggregator()
            .add(t1)
            .add(t1)
            .add(sale("t2", "d2", "20.00", "card", "2024-06-18T09:00:00Z"));

    StoreDailySummary summary = aggregator.summarize("store-1", DAY);
    // Distinct ids t1, t2 -> 2 sales: 10.00 + 20.00 = 30.00, avg 30.00 / 2 = 15.0000.
    assertEquals(2, summary.getTransactionCount());
    assertEquals(new BigDecimal("30.00"), summary.getTotalRevenue());
    assertEquals(new BigDecimal("15.0000"), summary.getAvgTransactionValue());
  }

  @Test
  public void mergeCombinesBothAggregatorsAndKeepsIdsDistinct() {
    StoreDayAggregator left =
        new StoreDayAggregator()
            .add(sale("t1", "d1", "10.00", "card", "2024-06-18T08:00:00Z"))
            .add(sale("t2", "d1", "5.00", "cash", "2024-06-18T12:00:00Z"));
    StoreDayAggregator right =
        new StoreDayAggregator()
            .add(sale("t2", "d1", "5.00", "cash", "2024-06-18T12:00:00Z"))
            .add(sale("t3", "d2", "2.50", "cash", "2024-06-18T20:00:00Z"));

    StoreDailySummary summary = left.merge(right).summarize("store-1", DAY);

    // Ids t1, t2, t3 (t2 is in both) -> 3 sales on devices d1, d2 -> 2 devices.
    // 10.00 + 5.00 + 2.50 = 17.50; 17.50 / 3 = 5.83333... -> 5.8333.
    // Payments card 1, cash 2 -> cash. First 08:00, last 20:00.
    assertEquals(
        StoreDailySummary.create(
            "store-1",
            DAY,
            3,
            2,
            new BigDecimal("17.50"),
            new BigDecimal("5.8333"),
            "cash",
            Instant.parse("2024-06-18T08:00:00Z").toEpochMilli(),
            Instant.parse("2024-06-18T20:00:00Z").toEpochMilli()),
        summary);
  }

  @Test
  public void theCoderKeepsEverySaleAndItsSummary() throws Exception {
    StoreDayAggregator day =
        new StoreDayAggregator()
            .add(sale("t1", "d1", "10.00", "card", "2024-06-18T08:00:00Z"))
            .add(sale("t2", "d2", "-0.50", null, "2024-06-18T23:59:59Z"))
            .add(sale("t3", "d1", "7", "cash", "2024-06-18T00:00:00Z"));
    StoreDayAggregator back =
        org.apache.beam.sdk.util.CoderUtils.clone(StoreDayAggregator.Coder.of(), day);
    assertEquals(day, back);
    // 10.00 - 0.50 + 7 = 16.50 over 3 sales = 5.5000; card 1 and cash 1 tie -> card.
    StoreDailySummary summary = back.summarize("store-1", DAY);
    assertEquals(new BigDecimal("16.50"), summary.getTotalRevenue());
    assertEquals(new BigDecimal("5.5000"), summary.getAvgTransactionValue());
    assertEquals("card", summary.getMostCommonPayment());
    assertEquals(3, summary.getTransactionCount());
    assertEquals(2, summary.getActiveDevices());
  }

  @Test
  public void mergeIntoAnEmptyAggregatorEqualsTheOther() {
    StoreDayAggregator one =
        new StoreDayAggregator().add(sale("t1", "d1", "10.00", "card", "2024-06-18T08:00:00Z"));
    StoreDayAggregator copy =
        new StoreDayAggregator().add(sale("t1", "d1", "10.00", "card", "2024-06-18T08:00:00Z"));
    assertEquals(copy, new StoreDayAggregator().merge(one));
    assertEquals(copy.hashCode(), new StoreDayAggregator().merge(one).hashCode());
  }

  @Test
  public void isEmptyUntilASaleIsAdded() {
    StoreDayAggregator aggregator = new StoreDayAggregator();
    assertTrue(aggregator.isEmpty());
    aggregator.add(sale("t1", "d1", "10.00", "card", "2024-06-18T08:00:00Z"));
    assertFalse(aggregator.isEmpty());
  }

  @Test
  public void summarizeAThreeSaleDay() {
    StoreDayAggregator aggregator =
        new StoreDayAggregator()
            .add(sale("t2", "d2", "20.00", "cash", "2024-06-18T13:45:00Z"))
            .add(sale("t1", "d1", "10.00", "card", "2024-06-18T07:15:30Z"))
            .add(sale("t3", "d1", "3.33", "card", "2024-06-18T22:59:59Z"));

    StoreDailySummary summary = aggregator.summarize("store-1", DAY);

    assertEquals("store-1", summary.getStoreId());
    assertEquals(DAY, summary.transactionDate());
    assertEquals(3, summary.getTransactionCount()); // t1, t2, t3
    assertEquals(2, summary.getActiveDevices()); // d1, d2
    assertEquals(
        new BigDecimal("33.33"), summary.getTotalRevenue()); // 10.00 + 20.00 + 3.33 = 33.33
    assertEquals(
        new BigDecimal("11.1100"),
        summary.getAvgTransactionValue()); // 33.33 / 3 = 11.11 -> scale 4: 11.1100
    assertEquals("card", summary.getMostCommonPayment()); // card 2 (t1, t3), cash 1
    // Earliest t1 07:15:30, latest t3 22:59:59, whatever the order they were added in.
    assertEquals(
        Instant.parse("2024-06-18T07:15:30Z").toEpochMilli(), summary.getFirstTransactionMillis());
    assertEquals(
        Instant.parse("2024-06-18T22:59:59Z").toEpochMilli(), summary.getLastTransactionMillis());
  }

  @Test
  public void averageRoundsHalfUpAtFourDecimals() {
    StoreDayAggregator aggregator =
        new StoreDayAggregator()
            .add(sale("t1", "d1", "0.01", "card", "2024-06-18T08:00:00Z"))
            .add(sale("t2", "d1", "0.00", "card", "2024-06-18T09:00:00Z"))
            .add(sale("t3", "d1", "0.00", "card", "2024-06-18T10:00:00Z"))
            .add(sale("t4", "d1", "0.00", "card", "2024-06-18T11:00:00Z"))
            .add(sale("t5", "d1", "0.00", "card", "2024-06-18T11:30:00Z"))
            .add(sale("t6", "d1", "0.00", "card", "2024-06-18T11:45:00Z"))
            .add(sale("t7", "d1", "0.00", "card", "2024-06-18T12:00:00Z"))
            .add(sale("t8", "d1", "0.00", "card", "2024-06-18T12:30:00Z"));
    // 0.01 / 8 = 0.00125 -> 4 decimals, the fifth is 5 -> HALF_UP -> 0.0013.
    assertEquals(
        new BigDecimal("0.0013"), aggregator.summarize("store-1", DAY).getAvgTransactionValue());
  }
}
