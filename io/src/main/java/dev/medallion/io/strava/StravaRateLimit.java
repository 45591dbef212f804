package dev.medallion.io.strava;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.annotation.Nullable;

/**
 * Strava's quota as a response reports it (API-REFERENCE.md section 3): {@code X-RateLimit-Limit}
 * and {@code X-RateLimit-Usage} are "15-minute,daily"; the {@code X-ReadRateLimit-*} pair, when
 * present, is the one that governs GETs. The 15-minute window resets at :00, :15, :30 and :45 UTC,
 * the daily one at midnight UTC. A plain class: the connector asks it after every page.
 */
public record StravaRateLimit(
    String kind, long limit15, long usage15, long limitDay, long usageDay) {

  /** The pair that governs a GET, or empty when the response carries neither. */
  public static Optional<StravaRateLimit> of(Map<String, List<String>> headers) {
    Optional<StravaRateLimit> read =
        pair(
            "read",
            header(headers, "X-ReadRateLimit-Limit"),
            header(headers, "X-ReadRateLimit-Usage"));
    return read.isPresent()
        ? read
        : pair(
            "overall", header(headers, "X-RateLimit-Limit"), header(headers, "X-RateLimit-Usage"));
  }

  private static Optional<StravaRateLimit> pair(
      String kind, @Nullable String limits, @Nullable String usages) {
    long[] limit = numbers(limits);
    long[] usage = numbers(usages);
    if (limit == null || usage == null) {
      return Optional.empty();
    }
    return Optional.of(new StravaRateLimit(kind, limit[0], usage[0], limit[1], usage[1]));
  }

  @Nullable
  private static long[] numbers(@Nullable String value) {
    if (value == null) {
      return null;
    }
    String[] parts = value.split(",");
    if (parts.length != 2) {
      return null;
    }
    try {
      return new long[] {Long.parseLong(parts[0].strip()), Long.parseLong(parts[1].strip())};
    } catch (NumberFormatException e) {
      return null;
    }
  }

  @Nullable
  private static String header(Map<String, List<String>> headers, String name) {
    for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
      if (entry.getKey() != null
          && entry.getKey().equalsIgnoreCase(name)
          && !entry.getValue().isEmpty()) {
        return entry.getValue().get(0);
      }
    }
    return null;
  }

  public boolean dailySpent() {
    return usageDay >= limitDay;
  }

  public boolean windowSpent() {
    return usage15 >= limit15;
  }

  /**
   * When the next request may go out: now when nothing is spent, else the reset of the spent window
   * (the later one when both are).
   */
  public Instant nextAllowed(Instant now) {
    ZonedDateTime utc = now.atZone(ZoneOffset.UTC);
    Instant allowed = now;
    if (windowSpent()) {
      ZonedDateTime hour = utc.truncatedTo(ChronoUnit.HOURS);
      int quarter = utc.getMinute() / 15 + 1;
      allowed = hour.plusMinutes(15L * quarter).toInstant();
    }
    if (dailySpent()) {
      Instant midnight = utc.toLocalDate().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
      allowed = midnight.isAfter(allowed) ? midnight : allowed;
    }
    return allowed;
  }

  /** Why the next request must wait, e.g. "the 15-minute read limit (100) is spent". */
  public String describeSpent() {
    String what = kind.equals("read") ? "read " : "";
    if (dailySpent()) {
      return "the daily " + what + "limit (" + limitDay + ") is spent";
    }
    return "the 15-minute " + what + "limit (" + limit15 + ") is spent";
  }

  /** The wait until {@link #nextAllowed}, zero when nothing is spent. */
  public Duration waitFrom(Instant now) {
    return Duration.between(now, nextAllowed(now));
  }
}
