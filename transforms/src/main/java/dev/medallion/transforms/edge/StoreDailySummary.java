package dev.medallion.transforms.edge;

import com.google.auto.value.AutoValue;
import java.math.BigDecimal;
import java.time.LocalDate;
import javax.annotation.Nullable;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;

/** One store's sales on one UTC day: a row of {@code gold.store_daily_summary}. */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class StoreDailySummary {
  public abstract String storeId();

  /** Days since 1970-01-01 (UTC). */
  public abstract long transactionEpochDay();

  public abstract long transactionCount();

  public abstract long activeDevices();

  public abstract BigDecimal totalRevenue();

  public abstract BigDecimal avgTransactionValue();

  @Nullable
  public abstract String mostCommonPayment();

  public abstract long firstTransactionMillis();

  public abstract long lastTransactionMillis();

  public static StoreDailySummary create(
      String storeId, LocalDate transactionDate, long transactionCount, long activeDevices,
      BigDecimal totalRevenue, BigDecimal avgTransactionValue, @Nullable String mostCommonPayment,
      long firstTransactionMillis, long lastTransactionMillis) {
    return new AutoValue_StoreDailySummary(
        storeId, transactionDate.toEpochDay(), transactionCount, activeDevices, totalRevenue,
        avgTransactionValue, mostCommonPayment, firstTransactionMillis, lastTransactionMillis);
  }

  public LocalDate transactionDate() {
    return LocalDate.ofEpochDay(transactionEpochDay());
  }
}
