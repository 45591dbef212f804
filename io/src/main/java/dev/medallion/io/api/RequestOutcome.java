package dev.medallion.io.api;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;

/**
 * How one request of a run ended: succeeded, or failed with its failure type and reason (secrets
 * masked). {@link RecordOwedRequests} keeps the failed ones owed until they succeed.
 */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class RequestOutcome {
  public abstract String getStream();

  public abstract String getPath();

  public abstract String getQuery();

  public abstract String getState();

  /** The {@link dev.medallion.io.http.FailureType} name, or "" when the request succeeded. */
  public abstract String getFailureType();

  /** Why it failed, or "". */
  public abstract String getReason();

  public static RequestOutcome succeeded(ApiRequest request) {
    return create(request, "", "");
  }

  public static RequestOutcome failed(ApiRequest request, String failureType, String reason) {
    if (failureType.isEmpty()) {
      throw new IllegalArgumentException("A failed request needs its failure type");
    }
    return create(request, failureType, reason);
  }

  private static RequestOutcome create(ApiRequest request, String failureType, String reason) {
    return new AutoValue_RequestOutcome(
        request.getStream(),
        request.getPath(),
        request.getQuery(),
        request.getState(),
        failureType,
        reason);
  }

  public boolean hasFailed() {
    return !getFailureType().isEmpty();
  }

  public ApiRequest request() {
    return ApiRequest.create(getStream(), getPath(), getQuery(), getState());
  }
}
