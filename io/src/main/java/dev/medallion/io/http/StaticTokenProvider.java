package dev.medallion.io.http;

import java.util.ArrayList;
import java.util.List;

/**
 * A long-lived token (a personal API token) read from one environment variable. A refresh reads the
 * variable again, so a token rotated under a running worker is picked up.
 */
public final class StaticTokenProvider implements TokenProvider {
  private static final long serialVersionUID = 1L;

  private final String variable;
  private final SecretSource secrets;
  private transient String token;

  private StaticTokenProvider(String variable, SecretSource secrets) {
    if (variable == null || variable.isBlank()) {
      throw new IllegalArgumentException(
          "fromEnvironment() needs the name of an environment variable");
    }
    if (secrets == null) {
      throw new IllegalArgumentException("withSecretSource() needs a source");
    }
    this.variable = variable;
    this.secrets = secrets;
  }

  /** The token in the environment variable {@code variable} (its name, not its value). */
  public static StaticTokenProvider fromEnvironment(String variable) {
    return new StaticTokenProvider(variable, SecretSource.ENVIRONMENT);
  }

  public StaticTokenProvider withSecretSource(SecretSource source) {
    return new StaticTokenProvider(variable, source);
  }

  @Override
  public void open(HttpClientConfiguration http) {
    token = secrets.get(variable);
  }

  @Override
  public String token() throws HttpFailure {
    if (token == null || token.isBlank()) {
      throw new HttpFailure(
          FailureType.AUTHENTICATION,
          0,
          "no API token: the environment variable " + variable + " is not set");
    }
    return token;
  }

  @Override
  public void refresh() {
    token = secrets.get(variable);
  }

  @Override
  public List<String> secrets() {
    List<String> held = new ArrayList<>();
    if (token != null) {
      held.add(token);
    }
    return held;
  }
}
