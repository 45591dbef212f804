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
  public abstract String getStoreId();

  /** Days since 1970-01-01 (UTC). */
  public abstract long getTransactionEpochDay();

  public abstract long getTransactionCount();

  public abstract long getActiveDevices();

  public abstract BigDecimal getTotalRevenue();

  public abstract BigDecimal getAvgTransactionValue();

  @Nullable
  public abstract String getMostCommonPayment();

  public abstract long getFirstTransactionMillis();

  public abstract long getLastTransactionMillis();

  public static StoreDailySummary create(
      String storeId,
      LocalDate transactionDate,
      long transactionCount,
      long activeDevices,
      BigDecimal totalRevenue,
      BigDecimal avgTransactionValue,
      @Nullable String mostCommonPayment,
      long firstTransactionMillis,
      long lastTransactionMillis) {
    return new AutoValue_StoreDailySummary(
        storeId,
        transactionDate.toEpochDay(),
        transactionCount,
        activeDevices,
        totalRevenue,
        avgTransactionValue,
        mostCommonPayment,
        firstTransactionMillis,
        lastTransactionMillis);
  }

  public LocalDate transactionDate() {
    return LocalDate.ofEpochDay(getTransactionEpochDay());
  }
}
