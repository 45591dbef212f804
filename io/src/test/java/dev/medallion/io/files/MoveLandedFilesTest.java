package dev.medallion.io.files;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertThrows;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** A file that cannot be moved is reported with the reason, not only its path. */
public class MoveLandedFilesTest {
  @Rule public final TemporaryFolder folder = new TemporaryFolder();

  @Test
  public void aMoveRefusedByPermissionsSaysSo() {
    // What the JDK throws for EACCES (a folder the user may not write): the message is the path.
    AccessDeniedException denied =
        new AccessDeniedException("/landing/a.json", "/landing/processed/2024-06-18/a.json", null);
    String reason = MoveLandedFiles.Mover.reason(denied);
    assertThat(reason, containsString("permission denied on /landing/a.json"));
    assertThat(reason, containsString("needs write access to the landing folder"));
  }

  @Test
  public void aMoveOutOfAnImmutableFolderGivesTheSystemsReason() throws Exception {
    Path landing = folder.newFolder("landing").toPath();
    Files.writeString(landing.resolve("a.json"), "[]");
    FileSystemLandingZone zone = FileSystemLandingZone.at(landing.toString());
    // chattr +i refuses even root (tests may run as root, for whom permission bits do not count).
    Process chattr = new ProcessBuilder("chattr", "+i", landing.toString()).inheritIO().start();
    org.junit.Assume.assumeTrue("chattr +i works here", chattr.waitFor() == 0);
    try {
      IOException refused =
          assertThrows(
              IOException.class,
              () ->
                  zone.move(
                      landing.resolve("a.json").toString(),
                      folder.getRoot().toPath().resolve("processed/a.json").toString()));
      assertThat(MoveLandedFiles.Mover.reason(refused), containsString("Operation not permitted"));
    } finally {
      new ProcessBuilder("chattr", "-i", landing.toString()).inheritIO().start().waitFor();
    }
  }
}
