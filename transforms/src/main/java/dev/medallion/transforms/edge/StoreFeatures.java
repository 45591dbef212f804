package dev.medallion.transforms.edge;

import com.google.auto.value.AutoValue;
import java.math.BigDecimal;
import java.time.LocalDate;
import javax.annotation.Nullable;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;

/**
 * A store's features as of one day, over the 90 days up to it: a row of {@code
 * platinum.store_features}.
 */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class StoreFeatures {
  public abstract String getStoreId();

  public abstract long getAsOfEpochDay();

  public abstract long getWindowStartEpochDay();

  public abstract int getDaysWithData();

  public abstract double getAvgDailyTransactions();

  /** Sample standard deviation; null with fewer than two days. */
  @Nullable
  public abstract Double getStddevDailyTransactions();

  public abstract BigDecimal getAvgDailyRevenue();

  public abstract double getMa7Transactions();

  @Nullable
  public abstract Double getWeekdayAvg();

  @Nullable
  public abstract Double getWeekendAvg();

  public static StoreFeatures create(
      String storeId,
      LocalDate asOf,
      LocalDate windowStart,
      int daysWithData,
      double avgDailyTransactions,
      @Nullable Double stddevDailyTransactions,
      BigDecimal avgDailyRevenue,
      double ma7Transactions,
      @Nullable Double weekdayAvg,
      @Nullable Double weekendAvg) {
    return new AutoValue_StoreFeatures(
        storeId,
        asOf.toEpochDay(),
        windowStart.toEpochDay(),
        daysWithData,
        avgDailyTransactions,
        stddevDailyTransactions,
        avgDailyRevenue,
        ma7Transactions,
        weekdayAvg,
        weekendAvg);
  }

  public LocalDate asOf() {
    return LocalDate.ofEpochDay(getAsOfEpochDay());
  }

  public LocalDate windowStart() {
    return LocalDate.ofEpochDay(getWindowStartEpochDay());
  }
}
