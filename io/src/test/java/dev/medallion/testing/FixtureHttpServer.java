package dev.medallion.testing;

import dev.medallion.io.replay.ReplayHttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The replay server over the test fixtures: {@code fixtures/<api>/} on the test classpath. */
public final class FixtureHttpServer extends ReplayHttpServer {
  private FixtureHttpServer(String resourceFolder) throws IOException {
    super(resourceFolder);
  }

  /** Serves the fixtures under {@code fixtures/<api>/}, e.g. "elgoose" or "supabase". */
  public static FixtureHttpServer replaying(String api) {
    try {
      return new FixtureHttpServer("fixtures/" + api + "/");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
