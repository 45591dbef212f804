package dev.medallion.testing;

import dev.medallion.io.replay.ReplayHttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A loopback API that misbehaves on request, for the fault suite of every API connector: it replays
 * a recording (the answers when nothing is wrong) and, ahead of it, serves the faults a test queues
 * for one path: server errors, 429s with a normal or an absurd Retry-After, a stall longer than the
 * client's timeout, a junk body, an error page that echoes the request's headers (credentials
 * included), or any body the test writes (a row with an id above 64 bits). Each fault answers once
 * per {@code times}; then the recording answers again, as a server that recovers.
 *
 * <pre>{@code
 * try (ApiFaultServer api = ApiFaultServer.over("recordings/elgoose/")) {
 *   api.serverError("/links.json", 2).rateLimited("/songs.json", "3600", 1);
 *   // point the connector at api.baseUrl()
 * }
 * }</pre>
 *
 * Keep the client's backoff and wait cap small in tests (HttpClientConfiguration's backoff scale,
 * the source's maximum retry wait), so a queued fault costs milliseconds.
 */
public final class ApiFaultServer extends ReplayHttpServer {
  /** Retry-After of Long.MAX_VALUE seconds: a wait no client may honour. */
  public static final String HUGE_RETRY_AFTER = Long.toString(Long.MAX_VALUE);

  /** Not JSON at all: an HTML page from a proxy in front of the API. */
  public static final String JUNK_BODY = "<html><body>502 Bad Gateway</body></html>\u0001\u00ff";

  private final String recording;

  private ApiFaultServer(String recording) throws IOException {
    super(recording);
    this.recording = recording.endsWith("/") ? recording : recording + "/";
  }

  /** Serves the recording in a classpath folder (e.g. "recordings/elgoose/") between faults. */
  public static ApiFaultServer over(String recording) {
    try {
      return new ApiFaultServer(recording);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** HTTP 500 for the next {@code times} GETs of {@code path}. */
  public ApiFaultServer serverError(String path, int times) {
    return repeat(path, times, status(500, "internal server error", Map.of()));
  }

  /** HTTP 429 with this Retry-After (seconds, an HTTP date, or {@link #HUGE_RETRY_AFTER}). */
  public ApiFaultServer rateLimited(String path, String retryAfter, int times) {
    return repeat(path, times, status(429, "slow down", Map.of("Retry-After", retryAfter)));
  }

  /** Answers only after {@code millis}: longer than the client's request timeout, a stall. */
  public ApiFaultServer stall(String path, long millis, int times) {
    return repeat(
        path,
        times,
        new Scripted(200, Map.of(), "{}".getBytes(StandardCharsets.UTF_8), millis, false));
  }

  /** HTTP 200 with {@link #JUNK_BODY}. */
  public ApiFaultServer junk(String path, int times) {
    return repeat(path, times, status(200, JUNK_BODY, Map.of("Content-Type", "text/html")));
  }

  /** HTTP {@code status} whose body ends with the request's headers, the credential among them. */
  public ApiFaultServer echoingHeaders(String path, int status, int times) {
    return repeat(
        path,
        times,
        new Scripted(
            status,
            Map.of("Content-Type", "text/plain"),
            "error; your request was:".getBytes(StandardCharsets.UTF_8),
            0,
            true));
  }

  /** HTTP 200 with this body, once: a recorded body edited by the test. */
  public ApiFaultServer answer(String path, String body) {
    return repeat(path, 1, status(200, body, Map.of("Content-Type", "application/json")));
  }

  /** The text of a file of the recording, for a test to edit and {@link #answer}. */
  public String recorded(String file) {
    String name = recording + file;
    try (InputStream in = ApiFaultServer.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalArgumentException("No recorded file " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private ApiFaultServer repeat(String path, int times, Scripted response) {
    if (times < 1) {
      throw new IllegalArgumentException("A fault needs to happen at least once, got " + times);
    }
    for (int i = 0; i < times; i++) {
      enqueue("GET", path, response);
    }
    return this;
  }
}
