package dev.medallion.io.api;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;

/**
 * One row of an API response, kept whole: every field, known or not, stays in the raw JSON, and
 * bronze stores it as fetched. The hash tells an unchanged row fetched again from a changed one.
 */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class ApiRecord {
  /** The stream the row belongs to, e.g. "setlists" (bronze's endpoint column). */
  public abstract String getStream();

  /** The stream's natural key of the row, e.g. "51204", or "1707341122/60" for a two-field key. */
  public abstract String getNaturalKey();

  public abstract String getRawJson();

  /** MD5 of the raw JSON. */
  public abstract String getPayloadHash();

  /** The request that returned the row ({@link ApiRequest#describe()}). */
  public abstract String getRequest();

  public abstract long getFetchedAtMillis();

  public static ApiRecord create(
      String stream,
      String naturalKey,
      String rawJson,
      String payloadHash,
      String request,
      long fetchedAtMillis) {
    return new AutoValue_ApiRecord(
        stream, naturalKey, rawJson, payloadHash, request, fetchedAtMillis);
  }
}
