package dev.medallion.ops;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.Test;

/** The one redactor: registered values and credential shapes are masked, nothing else. */
public class RedactorTest {
  @Test
  public void registeredValuesAreMaskedWhereverTheyStandAlsoUrlEncoded() {
    Redactor redactor = new Redactor().register("s3cr3t/pa ss").register("sk-live-4f9a2b");
    assertEquals(
        "login ****, again ****; key ****.",
        redactor.redact("login s3cr3t/pa ss, again s3cr3t%2Fpa+ss; key sk-live-4f9a2b."));
  }

  @Test
  public void aPasswordThatIsAlsoAWordLeavesLongerWordsReadable() {
    Redactor redactor = new Redactor().register("postgres");
    assertEquals(
        "jdbc:postgresql://db/x user=****, password ****",
        redactor.redact("jdbc:postgresql://db/x user=postgres, password postgres"));
  }

  @Test
  public void bearerTokensAndPasswordParametersAreMaskedUnregistered() {
    Redactor redactor = new Redactor();
    assertEquals(
        "Authorization: [Bearer ****] then ?user=a&password=****&x=1 and apikey=****",
        redactor.redact(
            "Authorization: [Bearer sk-abc.DEF_123] then ?user=a&password=hunter22&x=1 and apikey=k-99"));
  }

  @Test
  public void shortBlankAndNullValuesAreNotSecrets() {
    Redactor redactor = new Redactor().register("pg").register("   ").register(null);
    assertEquals("pg stays", redactor.redact("pg stays"));
    assertNull(redactor.redact(null));
  }

  @Test
  public void aUrlsPasswordIsLearned() {
    Redactor redactor = new Redactor().registerUrl("https://medallion:tok-77aa@api.example/v2");
    assertEquals("failed: tok **** ****", redactor.redact("failed: tok tok-77aa tok-77aa"));
  }

  @Test
  public void aPrintStreamMasksEachLineEvenWhenTheSecretArrivesInPieces() {
    Redactor redactor = new Redactor().register("sk-live-4f9a2b");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = redactor.printStream(bytes);
    out.print("error: sk-live");
    out.print("-4f9a2b echoed\n");
    out.println("second sk-live-4f9a2b");
    assertEquals(
        "error: **** echoed\nsecond ****" + System.lineSeparator(),
        bytes.toString(StandardCharsets.UTF_8));
  }
}
