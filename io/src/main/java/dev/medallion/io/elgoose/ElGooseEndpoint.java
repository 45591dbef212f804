package dev.medallion.io.elgoose;

import dev.medallion.io.api.NaturalKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The ElGoose API v2 methods Medallion reads, each with the fields that make its natural key
 * (src/docs/API-REFERENCE.md section 1). Setlists are read per show date; the others as whole
 * tables.
 */
public enum ElGooseEndpoint {
  SETLISTS("uniqueid"),
  LATEST("uniqueid"),
  SHOWS("show_id"),
  SONGS("id"),
  VENUES("venue_id"),
  JAMCHARTS("uniqueid"),
  METADATA("show_id", "song_id", "metadata_slug"),
  LINKS("link_id"),
  UPLOADS("id"),
  APPEARANCES("show_id", "person_id");

  private final NaturalKey naturalKey;

  ElGooseEndpoint(String... keyFields) {
    this.naturalKey = NaturalKey.of(keyFields);
  }

  /** The API's method name, e.g. "setlists". */
  public String method() {
    return name().toLowerCase(Locale.ROOT);
  }

  public List<String> keyFields() {
    return naturalKey.fields();
  }

  /** The fields whose values, joined by '/', identify a row. */
  public NaturalKey naturalKey() {
    return naturalKey;
  }

  public static ElGooseEndpoint fromMethod(String method) {
    for (ElGooseEndpoint endpoint : values()) {
      if (endpoint.method().equalsIgnoreCase(method.strip())) {
        return endpoint;
      }
    }
    throw new IllegalArgumentException(
        "Unknown ElGoose endpoint '" + method + "': use " + allMethods());
  }

  /** "setlists,latest,shows,...". */
  public static String allMethods() {
    List<String> names = new ArrayList<>();
    for (ElGooseEndpoint endpoint : values()) {
      names.add(endpoint.method());
    }
    return String.join(",", names);
  }

  /** Parses "all" or a comma-separated list of methods. */
  public static List<ElGooseEndpoint> parseList(String text) {
    if (text == null || text.isBlank() || text.strip().equalsIgnoreCase("all")) {
      return List.of(values());
    }
    List<ElGooseEndpoint> endpoints = new ArrayList<>();
    for (String part : text.split(",")) {
      ElGooseEndpoint endpoint = fromMethod(part);
      if (!endpoints.contains(endpoint)) {
        endpoints.add(endpoint);
      }
    }
    return endpoints;
  }
}
