package dev.medallion.io.elgoose;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;

/** One row of an API response, kept whole: every field, known or not, stays in the raw JSON. */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class ElGooseRecord {
  public abstract String getEndpoint();

  /** The endpoint's natural key, e.g. the setlist row's uniqueid, or "show_id/person_id". */
  public abstract String getNaturalKey();

  public abstract String getRawJson();

  /** MD5 of the raw JSON: an unchanged row fetched again has the same hash. */
  public abstract String getPayloadHash();

  /** The request that returned the row. */
  public abstract String getRequest();

  public abstract long getFetchedAtMillis();

  public static ElGooseRecord create(
      String endpoint, String naturalKey, String rawJson, String payloadHash, String request, long fetchedAtMillis) {
    return new AutoValue_ElGooseRecord(endpoint, naturalKey, rawJson, payloadHash, request, fetchedAtMillis);
  }
}
