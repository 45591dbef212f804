package dev.medallion.platform;

import dev.medallion.io.api.ApiConnector;
import dev.medallion.io.api.ApiSource;
import dev.medallion.io.http.PlainHttp;
import java.util.Arrays;
import java.util.List;

/**
 * The option checks every API pipeline shares: which of its data types --streams names, and whether
 * each URL it calls is well formed and safe to send a credential to.
 */
public final class ApiOptionChecks {
  private ApiOptionChecks() {}

  /**
   * The data types a --streams value names, in order and without repeats. A name in {@code
   * notYetRead} is a data type of the service this version does not read; any other name outside
   * {@code read} is a mistake. Either is an {@link IllegalArgumentException} saying what is read.
   */
  public static List<String> streams(
      String service, String value, List<String> read, List<String> notYetRead) {
    List<String> chosen =
        Arrays.stream(value.split(","))
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .distinct()
            .toList();
    for (String stream : chosen) {
      if (notYetRead.contains(stream)) {
        throw new IllegalArgumentException(
            "--streams: "
                + stream
                + " is a "
                + service
                + " data type this version does not read yet (only "
                + String.join(", ", read)
                + ")");
      }
    }
    if (chosen.isEmpty() || !read.containsAll(chosen)) {
      throw new IllegalArgumentException(
          "--streams takes a comma-separated list of "
              + String.join(", ", read)
              + ", got '"
              + value
              + "'");
    }
    return chosen;
  }

  /**
   * Adds a problem, named by its flag, for each URL that is not a usable base URL of {@code
   * connector} or is plain http to another machine without {@code --allow-insecure-http}.
   */
  public static void urls(
      List<String> problems,
      ApiConnector connector,
      boolean allowInsecureHttp,
      String flag,
      String url,
      String... moreFlagsAndUrls) {
    checkUrl(problems, connector, allowInsecureHttp, flag, url);
    for (int i = 0; i + 1 < moreFlagsAndUrls.length; i += 2) {
      checkUrl(
          problems, connector, allowInsecureHttp, moreFlagsAndUrls[i], moreFlagsAndUrls[i + 1]);
    }
  }

  private static void checkUrl(
      List<String> problems,
      ApiConnector connector,
      boolean allowInsecureHttp,
      String flag,
      String url) {
    try {
      ApiSource.of(connector).withBaseUrl(url);
      PlainHttp.check(url, allowInsecureHttp, "--allow-insecure-http");
    } catch (IllegalArgumentException e) {
      problems.add(flag + ": " + e.getMessage());
    }
  }

  /** Adds a problem when a whole-number option is outside {@code [min, max]}. */
  public static void range(List<String> problems, String flag, long value, long min, long max) {
    if (value < min || value > max) {
      problems.add(flag + " must be from " + min + " to " + max + ", got " + value);
    }
  }
}
