package dev.medallion.platform.example;

import com.google.auto.value.AutoValue;
import java.math.BigDecimal;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;

/** A checked reading: one row of silver.readings. */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class Reading {
  public abstract String getReadingId();

  public abstract String getDevice();

  public abstract BigDecimal getValue();

  public abstract String getBronzeId();

  public static Reading create(String readingId, String device, BigDecimal value, String bronzeId) {
    return new AutoValue_Reading(readingId, device, value, bronzeId);
  }
}
