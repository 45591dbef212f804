package dev.medallion.service;

import dev.medallion.ops.Redactor;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import javax.annotation.Nullable;

/**
 * Who may do what: writes (a trigger, a retry) need {@code Authorization: Bearer TOKEN} with one of
 * the service's tokens; reads are open to loopback callers and need a token from anywhere else. The
 * dashboard's own forms carry a per-process form key instead, which a page of another site cannot
 * read, so a loopback browser can press Retry without holding a token.
 */
final class Access {
  /** The environment variable holding the accepted tokens, separated by commas. */
  static final String TOKENS_ENV = "MEDALLION_API_TOKENS";

  private final List<byte[]> tokenDigests;
  private final String formKey;

  Access(List<String> tokens) {
    this.tokenDigests =
        tokens.stream().map(String::strip).filter(t -> !t.isEmpty()).map(Access::digest).toList();
    tokens.forEach(Redactor.process()::register);
    byte[] key = new byte[24];
    new SecureRandom().nextBytes(key);
    this.formKey = HexFormat.of().formatHex(key);
  }

  /** The tokens in {@code MEDALLION_API_TOKENS}. */
  static List<String> fromEnvironment(@Nullable String value) {
    return value == null ? List.of() : Arrays.stream(value.split(",")).map(String::strip).toList();
  }

  boolean hasTokens() {
    return !tokenDigests.isEmpty();
  }

  int tokenCount() {
    return tokenDigests.size();
  }

  String formKey() {
    return formKey;
  }

  /**
   * Whether the header carries an accepted token. Every token is compared, each in constant time
   * over digests of equal length, so neither the position nor the length of a match shows in the
   * time taken.
   */
  boolean bearerAccepted(@Nullable String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    byte[] given = digest(authorization.substring(7).strip());
    boolean accepted = false;
    for (byte[] token : tokenDigests) {
      accepted |= MessageDigest.isEqual(token, given);
    }
    return accepted;
  }

  boolean formKeyAccepted(@Nullable String given) {
    return given != null
        && MessageDigest.isEqual(
            formKey.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
  }

  static boolean loopback(@Nullable String address) {
    if (address == null) {
      return false;
    }
    try {
      // A literal address: no name lookup happens.
      return InetAddress.getByName(address.replaceAll("^\\[|\\]$", "")).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static byte[] digest(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
