package dev.medallion.transforms.edge;

import dev.medallion.transforms.Accumulator;
import dev.medallion.transforms.FieldCoding;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.AtomicCoder;

/**
 * The running totals behind one {@link StoreDailySummary}, kept per transaction id so that a
 * transaction seen twice counts once, as {@code COUNT(DISTINCT transaction_id)} would.
 */
public final class StoreDayAggregator implements Accumulator<EdgeTransaction, StoreDayAggregator> {
  private static final long serialVersionUID = 1L;

  /** What one transaction contributes. */
  record Sale(String device, BigDecimal value, String payment, long atMillis)
      implements Serializable {}

  private final Map<String, Sale> sales = new HashMap<>();

  @Override
  public StoreDayAggregator add(EdgeTransaction transaction) {
    sales.putIfAbsent(
        transaction.getTransactionId(),
        new Sale(
            transaction.getDeviceId(),
            transaction.getAmount(),
            transaction.getPaymentMethod(),
            transaction.getTimestampMillis()));
    return this;
  }

  @Override
  public StoreDayAggregator merge(StoreDayAggregator other) {
    other.sales.forEach(sales::putIfAbsent);
    return this;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof StoreDayAggregator that && sales.equals(that.sales);
  }

  @Override
  public int hashCode() {
    return sales.hashCode();
  }

  public boolean isEmpty() {
    return sales.isEmpty();
  }

  public StoreDailySummary summarize(String storeId, LocalDate day) {
    Set<String> devices = new HashSet<>();
    BigDecimal total = BigDecimal.ZERO;
    TreeMap<String, Integer> paymentCounts = new TreeMap<>();
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    for (Sale sale : sales.values()) {
      devices.add(sale.device());
      total = total.add(sale.value());
      if (sale.payment() != null) {
        paymentCounts.merge(sale.payment(), 1, Integer::sum);
      }
      first = Math.min(first, sale.atMillis());
      last = Math.max(last, sale.atMillis());
    }
    long count = sales.size();
    return StoreDailySummary.create(
        storeId,
        day,
        count,
        devices.size(),
        total,
        total.divide(BigDecimal.valueOf(count), 4, RoundingMode.HALF_UP),
        mostCommon(paymentCounts),
        first,
        last);
  }

  /** Each sale's fields, without Java serialization: a day's accumulator holds all its sales. */
  public static final class Coder extends AtomicCoder<StoreDayAggregator> {
    private static final long serialVersionUID = 1L;
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(StoreDayAggregator aggregator, OutputStream out) throws IOException {
      FieldCoding.number(aggregator.sales.size(), out);
      for (Map.Entry<String, Sale> entry : aggregator.sales.entrySet()) {
        Sale sale = entry.getValue();
        FieldCoding.text(entry.getKey(), out);
        FieldCoding.text(sale.device(), out);
        FieldCoding.decimal(sale.value(), out);
        FieldCoding.nullableText(sale.payment(), out);
        FieldCoding.number(sale.atMillis(), out);
      }
    }

    @Override
    public StoreDayAggregator decode(InputStream in) throws IOException {
      StoreDayAggregator aggregator = new StoreDayAggregator();
      long size = FieldCoding.number(in);
      for (long i = 0; i < size; i++) {
        aggregator.sales.put(
            FieldCoding.text(in),
            new Sale(
                FieldCoding.text(in),
                FieldCoding.decimal(in),
                FieldCoding.nullableText(in),
                FieldCoding.number(in)));
      }
      return aggregator;
    }
  }

  /**
   * Like PostgreSQL's MODE() WITHIN GROUP (ORDER BY ...): the most frequent, ties to the smallest.
   */
  static String mostCommon(TreeMap<String, Integer> counts) {
    String best = null;
    int bestCount = 0;
    for (Map.Entry<String, Integer> entry : counts.entrySet()) {
      if (entry.getValue() > bestCount) {
        best = entry.getKey();
        bestCount = entry.getValue();
      }
    }
    return best;
  }
}
