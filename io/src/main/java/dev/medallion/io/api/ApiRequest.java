package dev.medallion.io.api;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;

/**
 * One GET an {@link ApiConnector} asks for: the stream its rows belong to, the path below the base
 * URL, the encoded query string, and the connector's own note carried from one request to the next
 * (a page number, a cursor, "probe"), which the skeleton never reads.
 */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class ApiRequest {
  /** The stream (endpoint, data type) the rows of this request belong to, e.g. "setlists". */
  public abstract String getStream();

  /** Below the base URL, starting with '/', e.g. "/setlists/showdate/2024-06-21.json". */
  public abstract String getPath();

  /** The encoded query string without '?', or "". */
  public abstract String getQuery();

  /** The connector's note for itself, or "". */
  public abstract String getState();

  public static ApiRequest get(String stream, String path, String query) {
    return create(stream, path, query, "");
  }

  public static ApiRequest create(String stream, String path, String query, String state) {
    if (stream == null || stream.isBlank()) {
      throw new IllegalArgumentException("An API request needs a stream");
    }
    if (path == null || !path.startsWith("/")) {
      throw new IllegalArgumentException("An API request's path starts with '/', got " + path);
    }
    return new AutoValue_ApiRequest(
        stream, path, query == null ? "" : query, state == null ? "" : state);
  }

  /** The same request with another note, e.g. the next page's number. */
  public ApiRequest withState(String state) {
    return create(getStream(), getPath(), getQuery(), state);
  }

  /** Path and query, for bronze's request column, the quarantine and error messages. */
  public String describe() {
    return getPath() + (getQuery().isEmpty() ? "" : "?" + getQuery());
  }
}
