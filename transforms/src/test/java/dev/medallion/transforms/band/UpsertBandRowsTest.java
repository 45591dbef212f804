package dev.medallion.transforms.band;

import static org.junit.Assert.assertEquals;

import dev.medallion.io.jdbc.SinkRejects;
import dev.medallion.ops.Layer;
import dev.medallion.testing.TestDatabase;
import java.util.List;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;

/**
 * Band rows PostgreSQL refuses (a song id beyond integer, a \u0000 escape jsonb cannot hold) are
 * set aside with the database's message; the other rows of the batch land.
 */
public class UpsertBandRowsTest {
  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  @Before
  public void emptySongs() {
    TestDatabase.truncate("silver.band_songs");
  }

  private static BandRow song(String id, String name) {
    return BandRow.of(
        "silver.band_songs",
        id,
        "{\"song_id\": "
            + id
            + ", \"song_name\": \""
            + name
            + "\", \"bronze_version\": 1, \"fetched_at\": \"2024-06-20T10:00:00Z\"}");
  }

  @Test
  public void rowsTheTableRefusesAreSetAsideAndTheOthersLand() {
    PCollectionTuple written =
        pipeline
            .apply(
                Create.of(
                    song("400", "Turned Clouds"),
                    song("18446744073709552016", "Too Big"),
                    song("401", "Nul\\\\u0000Text"),
                    song("402", "Nul \\u0000 Char"),
                    song("403", "Mountain Jam")))
            .apply(UpsertBandRows.into(TestDatabase.target(), Layer.SILVER, SilverTable.specs()));
    PAssert.that(
            written
                .get(SinkRejects.REJECTED)
                .apply(
                    MapElements.into(TypeDescriptors.strings())
                        .via(
                            q ->
                                String.join(
                                    "|",
                                    q.getLayer(),
                                    q.getSource(),
                                    q.getErrorClass(),
                                    q.getReason()))))
        .containsInAnyOrder(
            "silver|silver.band_songs/18446744073709552016|rejected_by_sink|silver.band_songs"
                + " refused the row: value \"18446744073709552016\" is out of range for type"
                + " integer [SQLState 22003]",
            "silver|silver.band_songs/402|rejected_by_sink|silver.band_songs refused the row:"
                + " unsupported Unicode escape sequence (\\u0000 cannot be converted to text.)"
                + " [SQLState 22P05]");
    pipeline.run().waitUntilFinish();
    // The text "\u0000" (an escaped backslash) is ordinary text and lands.
    assertEquals(
        List.of("400|Turned Clouds", "401|Nul\\u0000Text", "403|Mountain Jam"),
        TestDatabase.rows("SELECT song_id, song_name FROM silver.band_songs ORDER BY 1"));
  }
}
