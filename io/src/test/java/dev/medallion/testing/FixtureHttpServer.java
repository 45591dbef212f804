package dev.medallion.testing;

import dev.medallion.io.replay.ReplayHttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The replay server over the test fixtures ({@code fixtures/<api>/} on the test classpath) or over
 * a recording the product ships ({@code recordings/<api>/}, which the demo replays too).
 */
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

  /**
   * Serves the recording under {@code recordings/<api>/} in io's main resources, e.g. "elgoose".
   */
  public static FixtureHttpServer recording(String api) {
    try {
      return new FixtureHttpServer("recordings/" + api + "/");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
