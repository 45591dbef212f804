package dev.medallion.transforms.edge;

import com.google.auto.value.AutoValue;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import javax.annotation.Nullable;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;

/**
 * One sale recorded by an edge device, typed and validated: a row of {@code
 * silver.edge_transactions}.
 */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class EdgeTransaction {
  public abstract String getTransactionId();

  public abstract String getStoreId();

  public abstract String getDeviceId();

  public abstract long getTimestampMillis();

  public abstract BigDecimal getAmount();

  @Nullable
  public abstract String getCurrency();

  @Nullable
  public abstract String getPaymentMethod();

  public abstract String getPayloadJson();

  public abstract String getBronzeId();

  public abstract String getFilePath();

  public abstract int getRecordIndex();

  /** When the file landed: the first file to land wins a duplicate transaction id. */
  public abstract long getLandedAtMillis();

  public abstract long getIngestedAtMillis();

  public static Builder builder() {
    return new AutoValue_EdgeTransaction.Builder();
  }

  public Instant timestamp() {
    return Instant.ofEpochMilli(getTimestampMillis());
  }

  /** The UTC calendar day of the sale. */
  public LocalDate transactionDate() {
    return timestamp().atZone(ZoneOffset.UTC).toLocalDate();
  }

  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setTransactionId(String value);

    public abstract Builder setStoreId(String value);

    public abstract Builder setDeviceId(String value);

    public abstract Builder setTimestampMillis(long value);

    public abstract Builder setAmount(BigDecimal value);

    public abstract Builder setCurrency(@Nullable String value);

    public abstract Builder setPaymentMethod(@Nullable String value);

    public abstract Builder setPayloadJson(String value);

    public abstract Builder setBronzeId(String value);

    public abstract Builder setFilePath(String value);

    public abstract Builder setRecordIndex(int value);

    public abstract Builder setLandedAtMillis(long value);

    public abstract Builder setIngestedAtMillis(long value);

    public abstract EdgeTransaction build();
  }
}
