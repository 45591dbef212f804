package dev.medallion.transforms.edge;

import com.google.auto.value.AutoValue;
import dev.medallion.transforms.FieldCoding;
import dev.medallion.transforms.RecordCoders;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import javax.annotation.Nullable;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * One sale recorded by an edge device, typed and validated: a row of {@code
 * silver.edge_transactions}.
 */
@DefaultCoder(EdgeTransaction.Coder.class)
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

  /**
   * Field by field, without a schema's row conversion: silver's rows cross a grouping by
   * transaction id and a batching step, so this coder runs twice for every row.
   */
  public static final class Coder extends RecordCoders.FieldByField<EdgeTransaction> {
    private static final long serialVersionUID = 1L;
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    /**
     * What Beam's {@code @DefaultCoder} calls to find this coder for every {@link EdgeTransaction}.
     */
    public static CoderProvider getCoderProvider() {
      return CoderProviders.forCoder(TypeDescriptor.of(EdgeTransaction.class), INSTANCE);
    }

    @Override
    public void encode(EdgeTransaction t, OutputStream out) throws IOException {
      FieldCoding.text(t.getTransactionId(), out);
      FieldCoding.text(t.getStoreId(), out);
      FieldCoding.text(t.getDeviceId(), out);
      FieldCoding.number(t.getTimestampMillis(), out);
      FieldCoding.decimal(t.getAmount(), out);
      FieldCoding.nullableText(t.getCurrency(), out);
      FieldCoding.nullableText(t.getPaymentMethod(), out);
      FieldCoding.text(t.getPayloadJson(), out);
      FieldCoding.text(t.getBronzeId(), out);
      FieldCoding.text(t.getFilePath(), out);
      FieldCoding.number(t.getRecordIndex(), out);
      FieldCoding.number(t.getLandedAtMillis(), out);
      FieldCoding.number(t.getIngestedAtMillis(), out);
    }

    @Override
    public EdgeTransaction decode(InputStream in) throws IOException {
      return builder()
          .setTransactionId(FieldCoding.text(in))
          .setStoreId(FieldCoding.text(in))
          .setDeviceId(FieldCoding.text(in))
          .setTimestampMillis(FieldCoding.number(in))
          .setAmount(FieldCoding.decimal(in))
          .setCurrency(FieldCoding.nullableText(in))
          .setPaymentMethod(FieldCoding.nullableText(in))
          .setPayloadJson(FieldCoding.text(in))
          .setBronzeId(FieldCoding.text(in))
          .setFilePath(FieldCoding.text(in))
          .setRecordIndex((int) FieldCoding.number(in))
          .setLandedAtMillis(FieldCoding.number(in))
          .setIngestedAtMillis(FieldCoding.number(in))
          .build();
    }
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
