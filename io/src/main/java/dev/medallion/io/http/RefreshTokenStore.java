package dev.medallion.io.http;

import dev.medallion.ops.CredentialStore;
import dev.medallion.ops.db.JdbcTarget;
import java.io.Serializable;
import javax.annotation.Nullable;

/**
 * Where an {@link OAuthRefreshTokenProvider} keeps a service's refresh token between runs: {@link
 * #inDatabase} stores it encrypted in ops.credentials ({@link CredentialStore}). Serializable and
 * holding no secret: the key is read on the worker, in {@link #open}.
 */
public interface RefreshTokenStore extends Serializable {
  /** The store, opened on the worker with its key. */
  interface Opened {
    /** The stored refresh token, or null when none is stored yet. */
    @Nullable
    String load();

    void save(String refreshToken);
  }

  /** The service whose token it keeps (e.g. "strava"), for "re-authorize strava". */
  String service();

  /**
   * Providers with the same key (one service in one run) refresh one at a time in a process and
   * share the access token.
   */
  String sharingKey();

  /** Where the token is, for a message (never the token). */
  String describe();

  Opened open(SecretSource secrets);

  /**
   * The service's refresh token in ops.credentials, encrypted with the key in the secret {@value
   * CredentialStore#KEY_VARIABLE}.
   */
  static RefreshTokenStore inDatabase(JdbcTarget target, String service, String runId) {
    if (target == null || service == null || service.isBlank() || runId == null) {
      throw new IllegalArgumentException(
          "inDatabase() needs a database target, a service and the run's id");
    }
    return new RefreshTokenStore() {
      private static final long serialVersionUID = 1L;

      @Override
      public String service() {
        return service;
      }

      @Override
      public String sharingKey() {
        return service + "@" + target.url() + "#" + runId;
      }

      @Override
      public String describe() {
        return "DELETE FROM ops.credentials WHERE service = '" + service + "'";
      }

      @Override
      public Opened open(SecretSource secrets) {
        CredentialStore credentials =
            CredentialStore.open(target, secrets.get(CredentialStore.KEY_VARIABLE));
        return new Opened() {
          @Override
          public String load() {
            return credentials.get(service, "refresh_token").orElse(null);
          }

          @Override
          public void save(String refreshToken) {
            credentials.put(service, "refresh_token", refreshToken);
          }
        };
      }
    };
  }
}
