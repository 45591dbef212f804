package dev.medallion.transforms.band;

import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.medallion.core.quarantine.QuarantinedRecord;
import dev.medallion.ops.ErrorClass;
import dev.medallion.ops.Layer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.Rule;
import org.junit.Test;

/**
 * The band composites on TestPipeline: silver parsing with its failures, and gold over the
 * hand-worked shows.
 */
public class BandTransformsTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  @Test
  public void parsingKeepsOneRowPerKeyAndQuarantinesWhatDoesNotParse() {
    String performance =
        "{\"uniqueid\": \"51219\", \"show_id\": 1707341123, \"showdate\": \"2024-06-22\", \"song_id\": 400,"
            + " \"setnumber\": \"e\", \"position\": 7, \"isjamchart\": 0}";
    PCollectionTuple parsed =
        pipeline
            .apply(
                Create.of(
                    BandBronzeRow.create("setlists", "51219", 1, performance, 1000L),
                    BandBronzeRow.create("latest", "51219", 1, performance, 2000L),
                    BandBronzeRow.create(
                        "songs", "400", 2, "{\"id\": 400, \"name\": \"Turned Clouds\"}", 1000L),
                    BandBronzeRow.create("songs", "401", 1, "{\"id\": 401}", 1000L)))
            .apply(ParseBandRecords.fromBronze());
    // The performance arrived from setlists and latest: one row, the later fetch.
    PAssert.that(
            parsed
                .get(ParseBandRecords.ROWS)
                .apply(
                    MapElements.into(TypeDescriptors.strings())
                        .via(
                            r ->
                                r.getTable()
                                    + " "
                                    + r.getKey()
                                    + " "
                                    + json(r.getColumnsJson()).get("fetched_at").asText())))
        .containsInAnyOrder(
            "silver.band_setlist_entries 51219 1970-01-01T00:00:02Z",
            "silver.band_songs 400 1970-01-01T00:00:01Z");
    PAssert.that(parsed.get(ParseBandRecords.FAILURES))
        .containsInAnyOrder(
            QuarantinedRecord.of(
                Layer.SILVER,
                ErrorClass.MISSING_FIELD,
                "songs/401",
                1,
                "songs/401/v1",
                "{\"id\": 401}",
                "name is missing or empty"));
    pipeline.run().waitUntilFinish();
  }

  @Test
  public void goldOverTheHandWorkedShows() {
    PCollection<BandRow> rows =
        pipeline
            .apply(Create.of(SongStatisticsCalculatorTest.ENTRIES))
            .apply(ComputeBandGold.fromSetlistEntries());
    PAssert.that(rows)
        .satisfies(
            all -> {
              Map<String, JsonNode> byKey = new TreeMap<>();
              all.forEach(
                  r -> byKey.put(r.getTable() + "/" + r.getKey(), json(r.getColumnsJson())));
              // 4 songs, 5 shows, 2 venues, 2 years, no tour.
              assertEquals(4 + 5 + 2 + 2, byKey.size());
              // Song Z (3): see SongStatisticsCalculatorTest: shows 1, 3, 4 of 5 -> gap 1, average
              // 1.5.
              JsonNode z = byKey.get("gold.band_song_statistics/3");
              assertEquals(
                  List.of(3, 1, 2, 2),
                  List.of(
                      z.get("times_played").asInt(),
                      z.get("current_gap").asInt(),
                      z.get("times_set_opener").asInt(),
                      z.get("times_set_closer").asInt()));
              assertEquals(1.5, z.get("average_gap").asDouble(), 0);
              // Show B2 (22): sets 1 and 2, no encore, no debut (X, Y, Z all debuted at A).
              JsonNode b2 = byKey.get("gold.band_show_summary/22");
              assertEquals(
                  List.of(3, 2, 0, 0),
                  List.of(
                      b2.get("songs").asInt(),
                      b2.get("sets").asInt(),
                      b2.get("encore_songs").asInt(),
                      b2.get("debuts").asInt()));
              // 2024: only show D, W's debut.
              JsonNode year = byKey.get("gold.band_yearly_summary/2024");
              assertEquals(
                  List.of(1, 1, 1),
                  List.of(
                      year.get("shows").asInt(),
                      year.get("performances").asInt(),
                      year.get("debuts").asInt()));
              // Venue 1 ("Club") hosted A, B1, B2, C: 12 performances of X, Y, Z.
              JsonNode club = byKey.get("gold.band_venue_statistics/1");
              assertEquals(
                  List.of(4, 12, 3),
                  List.of(
                      club.get("shows").asInt(),
                      club.get("performances").asInt(),
                      club.get("distinct_songs").asInt()));
              assertEquals("2023-02-01", club.get("last_show").asText());
              return null;
            });
    pipeline.run().waitUntilFinish();
  }

  private static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
