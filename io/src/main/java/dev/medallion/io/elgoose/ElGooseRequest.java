package dev.medallion.io.elgoose;

import com.google.auto.value.AutoValue;
import java.time.LocalDate;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;

/** One GET to the API: the endpoint it reads, the path below the base URL and the query string. */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class ElGooseRequest {
  /** The endpoint's method name, e.g. "setlists". */
  public abstract String getEndpoint();

  /** e.g. "/setlists/showdate/2024-06-21.json". */
  public abstract String getPath();

  /** The encoded query string without '?', or "". */
  public abstract String getQuery();

  public static ElGooseRequest create(String endpoint, String path, String query) {
    return new AutoValue_ElGooseRequest(endpoint, path, query);
  }

  /** All rows: {@code /{method}.json}, bounded by {@code limit} when a record limit is set. */
  public static ElGooseRequest allRows(ElGooseEndpoint endpoint, Integer recordLimit) {
    return create(endpoint.method(), "/" + endpoint.method() + ".json", recordLimit == null ? "" : "limit=" + recordLimit);
  }

  /** The setlist of one day: {@code /setlists/showdate/YYYY-MM-DD.json}. */
  public static ElGooseRequest setlistOn(LocalDate showDate) {
    return create(ElGooseEndpoint.SETLISTS.method(), "/setlists/showdate/" + showDate + ".json", "");
  }

  /** The newest shows first: {@code /shows.json?order_by=showdate&direction=desc&limit=N}. */
  public static ElGooseRequest newestShows(int limit) {
    return create(ElGooseEndpoint.SHOWS.method(), "/shows.json", "order_by=showdate&direction=desc&limit=" + limit);
  }

  /** A filter request ({@code /{method}/{column}/{value}.json}), where a 404 means "no rows". */
  public boolean isFilter() {
    return getPath().chars().filter(c -> c == '/').count() >= 3;
  }

  /** Path and query, for logs and error messages. */
  public String describe() {
    return getPath() + (getQuery().isEmpty() ? "" : "?" + getQuery());
  }
}
