package dev.medallion.ops;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.medallion.testing.TestDatabase;
import java.util.List;
import java.util.Optional;
import org.junit.Before;
import org.junit.Test;

/** ops.credentials against a real PostgreSQL: what is stored is never the plaintext. */
public class CredentialStoreTest {
  private static final String KEY = "Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmE="; // 32 bytes
  private static final String TOKEN = "refresh-3b1f0c9d8e7f6a5b";

  @Before
  public void clean() {
    TestDatabase.truncate("ops.credentials");
  }

  @Test
  public void aStoredValueIsEncryptedReadBackAndReplaced() {
    CredentialStore store = CredentialStore.open(TestDatabase.target(), KEY);
    assertEquals(Optional.empty(), store.get("strava", "refresh_token"));
    store.put("strava", "refresh_token", TOKEN);

    // Neither column holds the plaintext, in any encoding a reader might try.
    assertEquals(
        List.of("f|f|12"),
        TestDatabase.rows(
            "SELECT position(convert_to('"
                + TOKEN
                + "', 'UTF8') in ciphertext) > 0, encode(ciphertext, 'escape') LIKE '%3b1f0c%',"
                + " length(nonce) FROM ops.credentials"));
    assertEquals(Optional.of(TOKEN), store.get("strava", "refresh_token"));

    store.put("strava", "refresh_token", "rotated-" + TOKEN);
    assertEquals(Optional.of("rotated-" + TOKEN), store.get("strava", "refresh_token"));
    assertEquals(1, TestDatabase.count("SELECT count(*) FROM ops.credentials"));
    // Whatever was read or written is masked in what the process prints.
    assertEquals("token ****", Redactor.process().redact("token rotated-" + TOKEN));
  }

  @Test
  public void anotherKeyOrAnotherRowDoesNotDecryptIt() {
    CredentialStore.open(TestDatabase.target(), KEY).put("strava", "refresh_token", TOKEN);
    IllegalStateException wrongKey =
        assertThrows(
            IllegalStateException.class,
            () ->
                CredentialStore.open(TestDatabase.target(), "another passphrase of some length")
                    .get("strava", "refresh_token"));
    assertThat(wrongKey.getMessage(), containsString("does not decrypt with the key"));

    // A ciphertext copied to another service's row fails: the row's name is the associated data.
    TestDatabase.execute(
        "INSERT INTO ops.credentials (service, name, nonce, ciphertext) SELECT 'spotify', name,"
            + " nonce, ciphertext FROM ops.credentials");
    assertThrows(
        IllegalStateException.class,
        () -> CredentialStore.open(TestDatabase.target(), KEY).get("spotify", "refresh_token"));
  }

  @Test
  public void aMissingOrShortKeyIsRefusedNamingTheVariable() {
    IllegalStateException missing =
        assertThrows(
            IllegalStateException.class, () -> CredentialStore.open(TestDatabase.target(), null));
    assertThat(missing.getMessage(), containsString("MEDALLION_SECRET_KEY is not set"));
    IllegalStateException shortKey =
        assertThrows(
            IllegalStateException.class, () -> CredentialStore.open(TestDatabase.target(), "abc"));
    assertTrue(shortKey.getMessage().startsWith("MEDALLION_SECRET_KEY is too short"));
  }
}
