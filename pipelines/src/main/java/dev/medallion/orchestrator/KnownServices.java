package dev.medallion.orchestrator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The services a job may name and the data types (streams) each one's connector reads: the issue's
 * 13. A job of service S runs the registered pipeline S (or the service's {@code pipeline}) with
 * {@code --streams=DATA_TYPE}; adding a data type here goes with adding it to the connector.
 */
public final class KnownServices {
  private static final Map<String, List<String>> DATA_TYPES = new LinkedHashMap<>();

  static {
    DATA_TYPES.put(
        "spotify",
        List.of(
            "recently_played",
            "saved_tracks",
            "saved_albums",
            "playlists",
            "top_tracks",
            "top_artists"));
    DATA_TYPES.put("strava", List.of("activities", "athlete"));
    DATA_TYPES.put("garmin", List.of("activities", "sleep", "heart_rate"));
    DATA_TYPES.put("todoist", List.of("tasks", "projects"));
  }

  private KnownServices() {}

  public static Set<String> services() {
    return DATA_TYPES.keySet();
  }

  /** The data types of a known service; empty for an unknown one. */
  public static List<String> dataTypes(String service) {
    return DATA_TYPES.getOrDefault(service, List.of());
  }
}
