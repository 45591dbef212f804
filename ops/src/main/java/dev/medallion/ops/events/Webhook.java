package dev.medallion.ops.events;

import dev.medallion.ops.Redactor;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import javax.annotation.Nullable;

/**
 * A webhook events are delivered to: a name (the key of its delivery status), a URL, the secret the
 * body is signed with, and its format.
 *
 * <p>Configured by the environment: {@code MEDALLION_WEBHOOKS=ops=https://hooks.example/medallion,
 * alerts=alert:https://hooks.slack.com/services/...}; the secret of webhook {@code ops} is {@code
 * MEDALLION_WEBHOOK_SECRET_OPS}, else {@code MEDALLION_WEBHOOK_SECRET}. Secrets and the URLs' paths
 * (a Slack or Discord webhook URL is itself a credential) are registered with the process's {@link
 * Redactor}.
 */
public record Webhook(String name, URI url, @Nullable String secret, Format format) {
  public static final String ENV = "MEDALLION_WEBHOOKS";
  public static final String SECRET_ENV = "MEDALLION_WEBHOOK_SECRET";
  private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

  /** What a webhook receives. */
  public enum Format {
    /** Every event as its JSON, signed. */
    EVENTS,
    /**
     * Slack- and Discord-compatible alerts ({@code text} and {@code content}) for a failed run or a
     * failed check; other events are skipped.
     */
    ALERT
  }

  public Webhook {
    if (!name.matches("[A-Za-z0-9_-]+")) {
      throw new IllegalArgumentException(
          "webhook name '" + name + "': use letters, digits, '-' and '_'");
    }
  }

  /** Whether this webhook carries events of this type. */
  public boolean carries(EventType type) {
    return format == Format.EVENTS || type.alert();
  }

  /** The webhooks {@link #ENV} names, reading secrets through {@code env}. */
  public static List<Webhook> fromEnvironment(Function<String, String> env) {
    String spec = env.apply(ENV);
    List<Webhook> webhooks = new ArrayList<>();
    if (spec == null || spec.isBlank()) {
      return webhooks;
    }
    for (String entry : spec.split(",")) {
      String trimmed = entry.strip();
      int eq = trimmed.indexOf('=');
      if (eq < 1) {
        throw new IllegalArgumentException(
            ENV + ": '" + Redactor.mask(trimmed) + "' is not NAME=URL or NAME=alert:URL");
      }
      String name = trimmed.substring(0, eq).strip();
      String rest = trimmed.substring(eq + 1).strip();
      Format format = Format.EVENTS;
      if (rest.toLowerCase(Locale.ROOT).startsWith("alert:")) {
        format = Format.ALERT;
        rest = rest.substring("alert:".length());
      }
      String secret = env.apply(SECRET_ENV + "_" + name.toUpperCase(Locale.ROOT).replace('-', '_'));
      if (secret == null || secret.isBlank()) {
        secret = env.apply(SECRET_ENV);
      }
      webhooks.add(of(name, rest, secret, format));
    }
    return webhooks;
  }

  /**
   * A webhook; plain {@code http://} only to loopback (the platform's rule for credentials on the
   * wire).
   */
  public static Webhook of(String name, String url, @Nullable String secret, Format format) {
    URI uri;
    try {
      uri = URI.create(url.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("webhook " + name + ": not a URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !(scheme.equals("http") && LOOPBACK.contains(uri.getHost()))) {
      throw new IllegalArgumentException(
          "webhook " + name + ": use https:// (plain http:// only to localhost)");
    }
    Redactor.process().register(secret);
    // A Slack or Discord URL's long path is its credential; a short one ("/hooks") is not.
    if (uri.getRawPath() != null && uri.getRawPath().length() > 20) {
      Redactor.process().register(uri.getRawPath().substring(1));
    }
    return new Webhook(name, uri, secret == null || secret.isBlank() ? null : secret, format);
  }

  /** For logs: the name and host, never the path or the secret. */
  @Override
  public String toString() {
    return name + " (" + url.getHost() + ", " + format.name().toLowerCase(Locale.ROOT) + ")";
  }

  /** Test convenience: a map as the environment. */
  public static List<Webhook> fromMap(Map<String, String> env) {
    return fromEnvironment(env::get);
  }
}
