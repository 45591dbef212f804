package dev.medallion.service;

import java.util.List;

/** The service's bearer tokens, from the environment. */
public final class Tokens {
  private Tokens() {}

  /** The tokens in {@code MEDALLION_API_TOKENS}, separated by commas; blanks ignored. */
  public static List<String> fromEnvironment() {
    return Access.fromEnvironment(System.getenv(Access.TOKENS_ENV)).stream()
        .filter(t -> !t.isBlank())
        .toList();
  }
}
