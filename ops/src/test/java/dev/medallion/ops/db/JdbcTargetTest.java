package dev.medallion.ops.db;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.Test;

public class JdbcTargetTest {
  private static final String PASSWORD = "s3cr3t-Pa55";

  @Test
  public void toStringShowsUrlAndUserButNeverThePassword() {
    JdbcTarget target =
        JdbcTarget.of("jdbc:postgresql://db.example:5432/medallion", "etl", PASSWORD);

    assertEquals(
        "JdbcTarget{jdbc:postgresql://db.example:5432/medallion, user=etl}", target.toString());
    assertThat(target.toString(), not(containsString(PASSWORD)));
    assertEquals("jdbc:postgresql://db.example:5432/medallion", target.url());
    assertEquals("etl", target.user());
    assertEquals(PASSWORD, target.secret());
  }

  @Test
  public void toStringWithoutUserLeavesItOut() {
    JdbcTarget target = JdbcTarget.of("jdbc:postgresql://localhost/medallion", null, null);
    assertEquals("JdbcTarget{jdbc:postgresql://localhost/medallion}", target.toString());
    assertNull(target.user());
    assertNull(target.secret());
  }

  @Test
  public void passwordInTheUrlQueryIsRedacted() {
    JdbcTarget target =
        JdbcTarget.of(
            "jdbc:postgresql://db.example/medallion?user=etl&password="
                + PASSWORD
                + "&sslmode=require",
            null,
            null);

    assertEquals(
        "JdbcTarget{jdbc:postgresql://db.example/medallion?user=etl&password=***&sslmode=require}",
        target.toString());
    assertThat(target.toString(), not(containsString(PASSWORD)));
    // The real URL is kept for the driver.
    assertThat(target.url(), containsString("password=" + PASSWORD));
  }

  @Test
  public void passwordAsLastOrMixedCaseParameterIsRedacted() {
    assertEquals(
        "JdbcTarget{jdbc:postgresql://h/db?PASSWORD=***}",
        JdbcTarget.of("jdbc:postgresql://h/db?PASSWORD=" + PASSWORD, null, null).toString());
    assertEquals(
        "JdbcTarget{jdbc:postgresql://h/db?ssl=true&Password=***, user=etl}",
        JdbcTarget.of("jdbc:postgresql://h/db?ssl=true&Password=" + PASSWORD, "etl", PASSWORD)
            .toString());
  }

  @Test
  public void passwordInBothPlacesNeverAppears() {
    JdbcTarget target =
        JdbcTarget.of("jdbc:postgresql://h/db?password=" + PASSWORD, "etl", PASSWORD);
    assertEquals("JdbcTarget{jdbc:postgresql://h/db?password=***, user=etl}", target.toString());
    assertThat(String.valueOf(target), not(containsString(PASSWORD)));
  }

  @Test
  public void nonPostgresUrlIsRejectedNamingTheFlag() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                JdbcTarget.of(
                    "jdbc:mysql://db.example/medallion?password=" + PASSWORD, "etl", PASSWORD));

    assertThat(e.getMessage(), containsString("--jdbc-url"));
    assertThat(e.getMessage(), containsString("jdbc:postgresql:"));
    assertThat(e.getMessage(), containsString("'jdbc:mysql://db.example/medallion?password=***'"));
    assertThat(e.getMessage(), not(containsString(PASSWORD)));
  }

  @Test
  public void nullOrBareUrlIsRejected() {
    IllegalArgumentException nullUrl =
        assertThrows(IllegalArgumentException.class, () -> JdbcTarget.of(null, null, null));
    assertThat(nullUrl.getMessage(), containsString("--jdbc-url"));
    assertThat(nullUrl.getMessage(), containsString("(got 'null')"));

    IllegalArgumentException bare =
        assertThrows(
            IllegalArgumentException.class,
            () -> JdbcTarget.of("postgresql://db.example/medallion", null, null));
    assertThat(bare.getMessage(), containsString("--jdbc-url"));
  }

  @Test
  public void survivesJavaSerializationWithItsPassword() throws Exception {
    JdbcTarget target = JdbcTarget.of("jdbc:postgresql://h/db", "etl", PASSWORD);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(target);
    }
    JdbcTarget copy;
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (JdbcTarget) in.readObject();
    }
    assertEquals(target, copy);
    assertEquals(PASSWORD, copy.secret());
  }
}
