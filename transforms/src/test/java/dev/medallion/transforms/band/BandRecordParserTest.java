package dev.medallion.transforms.band;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.medallion.core.quarantine.InvalidRecordException;
import org.junit.Test;

/** The API's traps, one silver column at a time (src/docs/API-REFERENCE.md section 1). */
public class BandRecordParserTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static JsonNode parse(String endpoint, String json) throws Exception {
    BandRow row = BandRecordParser.parse(BandBronzeRow.create(endpoint, "k", 3, json, 0L));
    return MAPPER.readTree(row.getColumnsJson());
  }

  @Test
  public void songsMapTheSentinelTimestampToNull() throws Exception {
    JsonNode song =
        parse(
            "songs",
            "{\"id\": 400, \"name\": \"Turned Clouds\", \"isoriginal\": 1, \"original_artist\": \"Goose\","
                + " \"created_at\": \"1000-01-01 00:00:00\", \"updated_at\": \"2024-05-02 10:41:07\", \"brand_new_field\": [1]}");
    assertEquals(400, song.get("song_id").asInt());
    assertEquals(true, song.get("is_original").booleanValue());
    assertEquals(true, song.get("created_at").isNull());
    assertEquals("2024-05-02T10:41:07", song.get("source_updated_at").asText());
    assertEquals(3, song.get("bronze_version").asInt());
    assertEquals("1970-01-01T00:00Z", song.get("fetched_at").asText());
  }

  @Test
  public void setlistRowsReadEncoresTrackTimesAndStringIds() throws Exception {
    JsonNode entry =
        parse(
            "latest",
            "{\"uniqueid\": \"51219\", \"show_id\": 1707341123, \"showdate\": \"2024-06-22\","
                + " \"song_id\": \"400\", \"setnumber\": \"e\", \"position\": 7, \"tracktime\": \"1:02:03\", \"isjamchart\": 0,"
                + " \"footnote\": \"\", \"transition\": \"\", \"state\": \"\"}");
    assertEquals("51219", entry.get("unique_id").asText());
    assertEquals(400, entry.get("song_id").asInt());
    assertEquals(true, entry.get("is_encore").booleanValue());
    assertEquals(3723, entry.get("track_time_seconds").asInt());
    assertEquals(true, entry.get("footnote").isNull());
    assertEquals("", entry.get("transition").asText());
    assertEquals(true, entry.get("state").isNull());
  }

  @Test
  public void jamchartsUseShowidAndUploadsAStringShowId() throws Exception {
    assertEquals(
        1707341122L,
        parse("jamcharts", "{\"uniqueid\": \"51203\", \"showid\": 1707341122, \"song_id\": 512}")
            .get("show_id")
            .asLong());
    JsonNode upload =
        parse(
            "uploads",
            "{\"id\": 202, \"show_id\": \"1707341123\", \"URL\": \"https://x/y.jpg\", \"attribution\": \"\"}");
    assertEquals(1707341123L, upload.get("show_id").asLong());
    assertEquals("https://x/y.jpg", upload.get("url").asText());
    assertEquals(true, upload.get("attribution").isNull());
    assertEquals(
        "Drums",
        parse(
                "appearances",
                "{\"show_id\": 1, \"person_id\": 60, \"appearance_type\": \"Drums\\r\"}")
            .get("appearance_type")
            .asText());
    assertEquals(
        true,
        parse("venues", "{\"venue_id\": 401, \"venuename\": \"Forest Hills\", \"capacity\": 0}")
            .get("capacity")
            .isNull());
  }

  @Test
  public void unreadableRowsSayWhy() {
    assertThat(
        assertThrows(
                InvalidRecordException.class,
                () ->
                    parse(
                        "setlists",
                        "{\"uniqueid\": \"1\", \"show_id\": 1, \"showdate\": \"2024-13-40\", \"song_id\": 2, \"setnumber\": \"1\","
                            + " \"position\": 1, \"isjamchart\": 0}"))
            .getMessage(),
        containsString("showdate: '2024-13-40' is not a date"));
    assertThat(
        assertThrows(
                InvalidRecordException.class,
                () -> parse("songs", "{\"id\": \"four\", \"name\": \"x\"}"))
            .getMessage(),
        containsString("id: 'four' is not a whole number"));
    assertThat(
        assertThrows(InvalidRecordException.class, () -> parse("songs", "{\"id\": 4}"))
            .getMessage(),
        containsString("name is missing or empty"));
    assertThat(
        assertThrows(
                InvalidRecordException.class,
                () ->
                    parse(
                        "setlists",
                        "{\"uniqueid\": \"1\", \"show_id\": 1, \"showdate\": \"2024-06-01\", \"song_id\": 2, \"setnumber\": \"1\","
                            + " \"position\": 1, \"isjamchart\": 0, \"tracktime\": \"long\"}"))
            .getMessage(),
        containsString("tracktime: 'long' is not a track time"));
  }

  @Test
  public void theUpsertChangesARowOnlyWhenAValueDiffers() {
    String sql = SilverTable.APPEARANCES.spec().insertFromJsonSql();
    assertThat(sql, containsString("ON CONFLICT (show_id, person_id) DO UPDATE SET"));
    assertThat(
        sql,
        containsString("jsonb_populate_record(NULL::silver.band_appearances, CAST(? AS jsonb))"));
    assertThat(sql, containsString("fetched_at = EXCLUDED.fetched_at, updated_at = now()"));
    assertThat(
        sql,
        containsString(
            "WHERE (t.show_date, t.artist_id, t.person_name, t.slug, t.appearance_type, t.notes,"
                + " t.bronze_version, t.fetched_at) IS DISTINCT FROM"));
  }
}
