package dev.medallion.io.api;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.lessThan;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import dev.medallion.testing.GcsStandIn;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.extensions.gcp.options.GcsOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Raw pages land as JSON-lines files and come back unchanged: through Beam's GCS file system
 * against the loopback {@link GcsStandIn} ({@code --gcsEndpoint}), and in a local folder.
 */
public class LandRawPagesTest {
  // 2026-03-29T00:30:00Z and 2026-03-30T09:00:00Z: two UTC days.
  private static final long DAY1 = 1_774_744_200_000L;
  private static final long DAY2 = 1_774_861_200_000L;

  /** Page 1 and page 10 of activities on day 1 (page 10 sorts after 2 by number), athlete on 2. */
  private static final List<ApiRecord> RECORDS =
      List.of(
          record("activities", "2", "{\"id\":2,\"name\":\"Run, \\\"data\\\":x\"}", "page=1", DAY1),
          record("activities", "1", "{\"id\":1,\"extra\":{\"a\":[1,2]}}", "page=1", DAY1),
          record("activities", "9", "{\"id\":9}", "page=10", DAY1),
          record("athlete", "77", "{\"id\":77,\"firstname\":\"Élise\"}", "athlete", DAY2));

  @Rule public final transient TemporaryFolder folder = new TemporaryFolder();

  /**
   * A plain pipeline rather than TestPipeline, whose run registered Beam's file systems without the
   * --gcsEndpoint of its options (the GCS calls went to storage.googleapis.com); PAssert still
   * fails the run on a mismatch.
   */
  private final Pipeline pipeline = Pipeline.create(gcsOptions());

  private static GcsStandIn gcs;

  private static synchronized GcsStandIn gcs() {
    if (gcs == null) {
      gcs = GcsStandIn.start();
    }
    return gcs;
  }

  private static GcsOptions gcsOptions() {
    GcsOptions options = PipelineOptionsFactory.create().as(GcsOptions.class);
    options.setGcsEndpoint(gcs().endpoint());
    // A fixed token: no Application Default Credentials lookup, and an Authorization header sent.
    options.setGcpCredential(GoogleCredentials.create(new AccessToken("stand-in-token", null)));
    options.setProject("medallion-test");
    return options;
  }

  private static ApiRecord record(
      String stream, String key, String raw, String request, long fetchedAt) {
    return ApiRecord.create(
        stream,
        key,
        raw,
        dev.medallion.io.files.Checksums.md5Hex(raw.getBytes(StandardCharsets.UTF_8)),
        request,
        fetchedAt);
  }

  @Test
  public void landsPagesInTheBucketThroughTheGcsFileSystemAndReadsThemBack() {
    assertThat(
        pipeline.getOptions().as(GcsOptions.class).getGcsEndpoint(), equalTo(gcs().endpoint()));
    PCollection<ApiRecord> back =
        pipeline
            .apply(Create.of(RECORDS))
            .apply(LandRawPages.under("gs://ela-dp-dev", "strava", "run-7"));
    PAssert.that(back).containsInAnyOrder(RECORDS);
    pipeline.run().waitUntilFinish();

    // Pages numbered per folder in request order: page=1 -> 1, page=10 -> 2; athlete alone -> 1.
    String p1 = "gs://ela-dp-dev/strava/activities/dt=2026-03-29/run-7-1.jsonl";
    String p2 = "gs://ela-dp-dev/strava/activities/dt=2026-03-29/run-7-2.jsonl";
    String a1 = "gs://ela-dp-dev/strava/athlete/dt=2026-03-30/run-7-1.jsonl";
    assertThat(gcs().objectNames(), containsInAnyOrder(p1, p2, a1));
    // One line per row, sorted by natural key; the row kept byte for byte after the envelope.
    assertThat(
        gcs().content(p1),
        equalTo(
            "{\"stream\":\"activities\",\"natural_key\":\"1\",\"request\":\"page=1\","
                + "\"fetched_at\":\"2026-03-29T00:30:00Z\",\"payload_hash\":\""
                + RECORDS.get(1).getPayloadHash()
                + "\",\"data\":{\"id\":1,\"extra\":{\"a\":[1,2]}}}\n"
                + "{\"stream\":\"activities\",\"natural_key\":\"2\",\"request\":\"page=1\","
                + "\"fetched_at\":\"2026-03-29T00:30:00Z\",\"payload_hash\":\""
                + RECORDS.get(0).getPayloadHash()
                + "\",\"data\":{\"id\":2,\"name\":\"Run, \\\"data\\\":x\"}}\n"));
    // Written by upload, read back by name: the stand-in saw Beam's own calls.
    assertThat(
        gcs().requests().stream().filter(r -> r.startsWith("POST /upload/")).count(), equalTo(3L));
    assertThat(gcs().unknownRequests(), equalTo(List.of()));
  }

  @Test
  public void landsPagesInALocalFolder() throws Exception {
    Path root = folder.newFolder("landing").toPath();
    PCollection<ApiRecord> back =
        pipeline
            .apply(Create.of(RECORDS))
            .apply(LandRawPages.under(root.toString(), "strava", "run-8"));
    PAssert.that(back).containsInAnyOrder(RECORDS);
    pipeline.run().waitUntilFinish();

    try (Stream<Path> files = Files.walk(root)) {
      assertThat(
          files
              .filter(Files::isRegularFile)
              .map(f -> root.relativize(f).toString())
              .sorted()
              .toList(),
          contains(
              "strava/activities/dt=2026-03-29/run-8-1.jsonl",
              "strava/activities/dt=2026-03-29/run-8-2.jsonl",
              "strava/athlete/dt=2026-03-30/run-8-1.jsonl"));
    }
    assertThat(
        Files.readAllLines(root.resolve("strava/athlete/dt=2026-03-30/run-8-1.jsonl")),
        hasItem(
            "{\"stream\":\"athlete\",\"natural_key\":\"77\",\"request\":\"athlete\","
                + "\"fetched_at\":\"2026-03-30T09:00:00Z\",\"payload_hash\":\""
                + RECORDS.get(3).getPayloadHash()
                + "\",\"data\":{\"id\":77,\"firstname\":\"Élise\"}}"));
  }

  @Test
  public void ordersRequestsByTheirNumbers() {
    assertThat(LandRawPages.compareRequests("page=2", "page=10"), lessThan(0));
    assertThat(LandRawPages.compareRequests("a?page=10&x=1", "a?page=9&x=1") > 0, equalTo(true));
  }
}
