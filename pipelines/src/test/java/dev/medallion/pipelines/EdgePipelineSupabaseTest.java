package dev.medallion.pipelines;

import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.medallion.io.http.HttpClientConfiguration;
import dev.medallion.io.supabase.SupabaseStorageIO;
import dev.medallion.ops.Mode;
import dev.medallion.platform.RunContext;
import dev.medallion.testing.FixtureHttpServer;
import dev.medallion.testing.TestDatabase;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.TestPipeline;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;

/** The edge pipeline reading Supabase Storage, served on loopback from the recorded fixtures. */
public class EdgePipelineSupabaseTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private FixtureHttpServer server;

  @Before
  public void setUp() {
    TestDatabase.truncate(EdgeEndToEndTables.ALL);
    server = FixtureHttpServer.replaying("supabase");
  }

  @After
  public void tearDown() {
    server.close();
  }

  @Test
  public void landsTheBucketsGoodRecordsAndMovesOnlyWhatIsSafe() throws Exception {
    EdgeOptions options = PipelineOptionsFactory.as(EdgeOptions.class);
    options.setLayers("all");
    options.setAsOf("2024-06-18");
    options.setRunId("supabase-test");
    SupabaseStorageIO.Zone zone =
        SupabaseStorageIO.landingZone()
            .withProjectUrl(server.origin())
            .withServiceKey("test-service-key")
            .withLocation("supabase://sample/scout/v1/bronze/")
            .withPageSize(3);

    RunContext context =
        new RunContext(
            EdgePipeline.NAME,
            "supabase-test",
            TestDatabase.target(),
            new EdgePipeline().layerSet(),
            Mode.INCREMENTAL,
            HttpClientConfiguration.create());
    EdgePipeline.build(pipeline, options, context, zone);
    pipeline.run().waitUntilFinish();

    // STORE-014: 18.40 card + 4.25 cash + 61.99 mobile = 84.64 over 3, avg 28.2133, three-way tie
    // -> card.
    // STORE-022: 7.50 cash + 23.10 card = 30.60 over 2 (the third row has no amount), tie -> card.
    assertEquals(
        List.of(
            "STORE-014|2024-06-18|3|84.64|28.2133|card",
            "STORE-022|2024-06-18|2|30.60|15.3000|card"),
        TestDatabase.rows(
            "SELECT store_id, transaction_date, transaction_count, total_revenue, avg_transaction_value,"
                + " most_common_payment FROM gold.store_daily_summary ORDER BY 1"));
    assertEquals(
        List.of(
            "bronze|scout/v1/bronze/pi5-store014-01_20240618T103000Z.json|-1",
            "silver|scout/v1/bronze/pi5-store022-02_20240618T101700Z.csv|2"),
        TestDatabase.rows(
            "SELECT step, file_path, record_index FROM silver.edge_quarantine ORDER BY 1"));
    assertEquals(
        "amount is missing or empty",
        TestDatabase.rows("SELECT reason FROM silver.edge_quarantine WHERE step = 'silver'")
            .get(0));

    // One move per file; the fixture answers the CSV's with 409 (already there), so it stays put.
    ObjectMapper json = new ObjectMapper();
    List<String> destinations =
        server.requestsTo("POST", "/object/move").stream()
            .map(
                r -> {
                  try {
                    return json.readTree(r.body()).get("destinationKey").asText();
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                })
            .sorted()
            .toList();
    assertEquals(
        List.of(
            "scout/v1/bronze/processed/20240618/pi5-store014-01_20240618T101500Z.json",
            "scout/v1/bronze/processed/20240618/pi5-store022-02_20240618T101700Z.csv",
            "scout/v1/bronze/quarantine/20240618/pi5-store014-01_20240618T103000Z.json"),
        destinations);
  }
}
