package dev.medallion.transforms.band;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;

/** The latest version of one bronze.band_raw row, as silver reads it. */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class BandBronzeRow {
  public abstract String getEndpoint();

  public abstract String getNaturalKey();

  public abstract int getVersion();

  public abstract String getRawJson();

  public abstract long getFetchedAtMillis();

  public static BandBronzeRow create(
      String endpoint, String naturalKey, int version, String rawJson, long fetchedAtMillis) {
    return new AutoValue_BandBronzeRow(endpoint, naturalKey, version, rawJson, fetchedAtMillis);
  }

  /** endpoint/natural_key/vN, for the quarantine. */
  public String describe() {
    return getEndpoint() + "/" + getNaturalKey() + "/v" + getVersion();
  }
}
