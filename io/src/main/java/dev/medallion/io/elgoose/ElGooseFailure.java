package dev.medallion.io.elgoose;

import com.google.auto.value.AutoValue;
import javax.annotation.Nullable;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;

/**
 * A request that gave no usable rows (retries used up, an error envelope, an unparseable body), or
 * one row that could not be kept (no natural key). The endpoint's other requests carry on.
 */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class ElGooseFailure {
  public abstract String getEndpoint();

  public abstract String getRequest();

  /** NETWORK, RATE_LIMIT, TIMEOUT or DATA (see {@link dev.medallion.io.http.FailureType}). */
  public abstract String getFailureType();

  /** The last HTTP status, or 0 when no response arrived. */
  public abstract int getStatus();

  public abstract String getReason();

  /** The body or row that was refused, when there was one. */
  @Nullable
  public abstract String getPayload();

  /** -1 for a whole request, else the row's position in the response. */
  public abstract int getRowIndex();

  public static ElGooseFailure create(
      String endpoint, String request, String failureType, int status, String reason, @Nullable String payload, int rowIndex) {
    return new AutoValue_ElGooseFailure(endpoint, request, failureType, status, reason, payload, rowIndex);
  }
}
