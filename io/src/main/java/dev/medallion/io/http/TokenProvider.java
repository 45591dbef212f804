package dev.medallion.io.http;

import dev.medallion.ops.Redactor;
import java.io.Serializable;
import java.util.List;

/**
 * Supplies the bearer token of an API's requests. A provider is created per connector and holds the
 * NAMES of the environment variables its secrets are in, never their values: pipeline options and
 * transforms are serialized and shown by runners, so secrets are read on the worker, in {@link
 * #open} (called from a DoFn's {@code @Setup}). {@link RetryingHttpClient} asks for a token before
 * each request and, on a 401, calls {@link #refresh()} once and retries once.
 */
public interface TokenProvider extends Serializable {
  /** Reads the secrets (on the worker). A missing secret makes {@link #token()} fail, not this. */
  void open(HttpClientConfiguration http);

  /** The token for the next request's {@code Authorization: Bearer} header. */
  String token() throws HttpFailure;

  /** The API refused the token (HTTP 401): get a new one before the one retry. */
  void refresh() throws HttpFailure;

  /** Every secret value this provider holds, so text that echoes a response can be masked. */
  List<String> secrets();

  /**
   * {@code text} with every secret this provider holds replaced by "****", through the process's
   * {@link Redactor}, which from then on masks them in everything the CLI prints or stores.
   */
  default String mask(String text) {
    Redactor redactor = Redactor.process();
    secrets().forEach(redactor::register);
    return redactor.redact(text);
  }
}
