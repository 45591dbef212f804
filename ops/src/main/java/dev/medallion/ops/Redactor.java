package dev.medallion.ops;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.annotation.Nullable;

/**
 * The one place secrets are masked. Whatever holds a secret tells the process's redactor the value
 * when it reads it ({@link #register}: the database password of a JDBC target, the Supabase service
 * key, API tokens, OAuth client secrets and refresh tokens, a password in a URL), and every message
 * the CLI prints or stores passes through {@link #redact}: run errors in ops.pipeline_runs,
 * quarantine reasons and payloads, the CLI's output and logs. A value is masked wherever it
 * appears, also URL-encoded; a bearer token or a {@code password=} parameter is masked even when
 * nobody registered it.
 */
public final class Redactor {
  public static final String MASK = "****";

  /** Shorter values are not masked: "pg" or "1" would blank out ordinary words and numbers. */
  static final int SHORTEST_SECRET = 4;

  private static final Redactor PROCESS = new Redactor();

  private static final List<Pattern> SHAPES =
      List.of(
          Pattern.compile("(?i)(\\bbearer\\s+)[A-Za-z0-9._~+/=-]{4,}"),
          Pattern.compile(
              "(?i)(\\b(?:password|passwd|pwd|apikey|api_key|client_secret)=)[^&\\s\"']+"));

  private final Set<String> secrets = ConcurrentHashMap.newKeySet();

  Redactor() {}

  /** The redactor of this process, which every component tells its secrets. */
  public static Redactor process() {
    return PROCESS;
  }

  /** Masks {@code secret} from now on (null, blank and very short values are ignored). */
  public Redactor register(@Nullable String secret) {
    if (secret != null && secret.strip().length() >= SHORTEST_SECRET) {
      secrets.add(secret);
      String encoded = URLEncoder.encode(secret, StandardCharsets.UTF_8);
      if (!encoded.equals(secret)) {
        secrets.add(encoded);
      }
    }
    return this;
  }

  /** Masks the password of a URL's user info ({@code https://user:password@host/}). */
  public Redactor registerUrl(@Nullable String url) {
    if (url == null) {
      return this;
    }
    try {
      String userInfo = URI.create(url.strip()).getRawUserInfo();
      if (userInfo != null) {
        int colon = userInfo.indexOf(':');
        register(colon < 0 ? userInfo : userInfo.substring(colon + 1));
      }
    } catch (IllegalArgumentException notAUrl) {
      // not a URL: nothing to learn from it
    }
    return this;
  }

  /** The text with every known secret and every bearer token or password parameter masked. */
  @Nullable
  public String redact(@Nullable String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String masked = text;
    // Longest first, so a secret containing another is masked whole; only where it stands alone,
    // so a password "postgres" leaves "jdbc:postgresql:" readable.
    for (String secret :
        secrets.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList()) {
      if (masked.contains(secret)) {
        masked =
            Pattern.compile("(?<![A-Za-z0-9])" + Pattern.quote(secret) + "(?![A-Za-z0-9])")
                .matcher(masked)
                .replaceAll(MASK);
      }
    }
    for (Pattern shape : SHAPES) {
      Matcher m = shape.matcher(masked);
      masked = m.replaceAll(r -> Matcher.quoteReplacement(r.group(1) + MASK));
    }
    return masked;
  }

  /** {@link #redact} with this process's redactor. */
  @Nullable
  public static String mask(@Nullable String text) {
    return PROCESS.redact(text);
  }

  /**
   * A stream that writes through {@code out} with every line redacted; a line is held until its
   * end, so a secret written in pieces is still masked. Closing it writes an unfinished last line
   * and leaves {@code out} open.
   */
  public PrintStream printStream(OutputStream out) {
    return new PrintStream(new LineRedactingStream(out, this), true, StandardCharsets.UTF_8);
  }

  private static final class LineRedactingStream extends OutputStream {
    private final OutputStream out;
    private final Redactor redactor;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    LineRedactingStream(OutputStream out, Redactor redactor) {
      this.out = out;
      this.redactor = redactor;
    }

    @Override
    public synchronized void write(int b) throws java.io.IOException {
      line.write(b);
      if (b == '\n') {
        emit();
      }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws java.io.IOException {
      for (int i = off; i < off + len; i++) {
        write(b[i]);
      }
    }

    /** Only whole lines go out: a flush mid-line would let a secret out in two pieces. */
    @Override
    public synchronized void flush() throws java.io.IOException {
      out.flush();
    }

    /** Writes what is left of the last line; the underlying stream stays open. */
    @Override
    public synchronized void close() throws java.io.IOException {
      emit();
      out.flush();
    }

    private void emit() throws java.io.IOException {
      if (line.size() > 0) {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        out.write(redactor.redact(text).getBytes(StandardCharsets.UTF_8));
      }
    }
  }
}
