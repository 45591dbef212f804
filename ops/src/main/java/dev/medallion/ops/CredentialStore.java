package dev.medallion.ops;

import dev.medallion.ops.db.JdbcTarget;
import dev.medallion.ops.db.Queries;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Credentials that change between runs (ops.credentials): a rotated refresh token, a token pair.
 * Each value is encrypted with AES-GCM (256-bit key, a fresh 12-byte nonce per write, the row's
 * "service/name" as associated data, so a ciphertext copied to another row does not decrypt). The
 * key comes from {@value #KEY_VARIABLE}; every value read or written is registered with the
 * process's {@link Redactor}, so it is masked in whatever the CLI prints or stores.
 */
public final class CredentialStore {
  /** The environment variable holding the key. */
  public static final String KEY_VARIABLE = "MEDALLION_SECRET_KEY";

  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final JdbcTarget target;
  private final SecretKey key;

  private CredentialStore(JdbcTarget target, SecretKey key) {
    this.target = target;
    this.key = key;
  }

  /**
   * A store whose key is the text of {@value #KEY_VARIABLE}: base64 of 32 bytes is used as is (e.g.
   * {@code openssl rand -base64 32}); any other text of at least 16 characters is hashed with
   * SHA-256 into the key. Throws naming the variable when it is unset or too short.
   */
  public static CredentialStore open(JdbcTarget target, String keyText) {
    if (keyText == null || keyText.isBlank()) {
      throw new IllegalStateException(
          KEY_VARIABLE
              + " is not set: it holds the key that encrypts stored credentials"
              + " (generate one with: openssl rand -base64 32)");
    }
    Redactor.process().register(keyText);
    return new CredentialStore(target, key(keyText.strip()));
  }

  static SecretKey key(String text) {
    try {
      byte[] decoded = Base64.getDecoder().decode(text);
      if (decoded.length == 32) {
        return new SecretKeySpec(decoded, "AES");
      }
    } catch (IllegalArgumentException notEncoded) {
      // hashed below
    }
    if (text.length() < 16) {
      throw new IllegalStateException(
          KEY_VARIABLE
              + " is too short: give base64 of 32 random bytes (openssl rand -base64 32)"
              + " or a passphrase of at least 16 characters");
    }
    try {
      return new SecretKeySpec(
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)),
          "AES");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /** The stored value, decrypted, or empty when none is stored yet. */
  public Optional<String> get(String service, String name) {
    List<byte[][]> rows =
        Queries.list(
            target,
            "the stored credential " + service + "/" + name,
            "SELECT nonce, ciphertext FROM ops.credentials WHERE service = ? AND name = ?",
            rs -> new byte[][] {rs.getBytes(1), rs.getBytes(2)},
            service,
            name);
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    String value = decrypt(service, name, rows.get(0)[0], rows.get(0)[1]);
    Redactor.process().register(value);
    return Optional.of(value);
  }

  /** Stores (or replaces) the value, encrypted. */
  public void put(String service, String name, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("put() needs a value for " + service + "/" + name);
    }
    Redactor.process().register(value);
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    byte[] ciphertext;
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(aad(service, name));
      ciphertext = cipher.doFinal(value.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Could not encrypt " + service + "/" + name, e);
    }
    Queries.update(
        target,
        "the credential " + service + "/" + name,
        "INSERT INTO ops.credentials (service, name, nonce, ciphertext) VALUES (?, ?, ?, ?)"
            + " ON CONFLICT (service, name) DO UPDATE SET nonce = excluded.nonce,"
            + " ciphertext = excluded.ciphertext, updated_at = now()",
        service,
        name,
        nonce,
        ciphertext);
  }

  private String decrypt(String service, String name, byte[] nonce, byte[] ciphertext) {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(aad(service, name));
      return new String(cipher.doFinal(ciphertext), StandardCharsets.UTF_8);
    } catch (javax.crypto.AEADBadTagException e) {
      throw new IllegalStateException(
          "The stored credential "
              + service
              + "/"
              + name
              + " does not decrypt with the key in "
              + KEY_VARIABLE
              + ": the key changed. Set the key it was stored with, or delete the row"
              + " (DELETE FROM ops.credentials WHERE service = '"
              + service
              + "') to start again from the environment variables");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Could not decrypt " + service + "/" + name, e);
    }
  }

  private static byte[] aad(String service, String name) {
    return (service + "/" + name).getBytes(StandardCharsets.UTF_8);
  }
}
