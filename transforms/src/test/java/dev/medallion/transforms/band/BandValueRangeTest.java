package dev.medallion.transforms.band;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.medallion.core.quarantine.InvalidRecordException;
import dev.medallion.ops.ErrorClass;
import org.junit.Test;

/**
 * Values that fit Java but not their silver column are refused with a reason before the sink: an id
 * past 64 bits (once wrapped onto song 400), an id past the INTEGER range, a date PostgreSQL cannot
 * hold, text with a NUL character. Nothing is wrapped, cut or dropped silently.
 */
public class BandValueRangeTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static InvalidRecordException refused(String endpoint, String json) {
    return assertThrows(
        InvalidRecordException.class,
        () -> BandRecordParser.parse(BandBronzeRow.create(endpoint, "k", 1, json, 0L)));
  }

  private static String song(String id) {
    return "{\"id\": " + id + ", \"name\": \"Arrow\"}";
  }

  @Test
  public void anIdPast64BitsIsRefusedNotWrappedOntoSong400() {
    // 18446744073709552016 = 2^64 + 400: as a long it was 400.
    InvalidRecordException e = refused("songs", song("18446744073709552016"));
    assertEquals(ErrorClass.INVALID_VALUE, e.errorClass());
    assertEquals(
        "id: 18446744073709552016 is out of range for integer (-2147483648 to 2147483647),"
            + " column silver.band_songs.song_id",
        e.getMessage());
    // The same number as a string, and negative.
    assertThat(
        refused("songs", song("\"18446744073709552016\"")).getMessage(),
        containsString("out of range"));
    assertThat(
        refused("songs", song("-18446744073709552016")).getMessage(),
        containsString("out of range"));
  }

  @Test
  public void anIdPastTheIntegerRangeIsRefusedForAnIntegerColumnAndKeptForABigintOne()
      throws Exception {
    assertThat(refused("songs", song("2147483648")).getMessage(), containsString("out of range"));
    assertEquals(
        2147483647,
        MAPPER
            .readTree(
                BandRecordParser.parse(
                        BandBronzeRow.create("songs", "k", 1, song("2147483647"), 0L))
                    .getColumnsJson())
            .get("song_id")
            .asLong());
    // show_id is BIGINT: 2^40 fits; 2^63 does not.
    String show = "{\"show_id\": %s, \"showdate\": \"2024-06-21\"}";
    assertEquals(
        1099511627776L,
        MAPPER
            .readTree(
                BandRecordParser.parse(
                        BandBronzeRow.create(
                            "shows", "k", 1, String.format(show, "1099511627776"), 0L))
                    .getColumnsJson())
            .get("show_id")
            .asLong());
    assertEquals(
        "show_id: 9223372036854775808 is out of range for bigint"
            + " (-9223372036854775808 to 9223372036854775807), column silver.band_shows.show_id",
        refused("shows", String.format(show, "9223372036854775808")).getMessage());
    // A fraction is not an id.
    assertEquals(ErrorClass.INVALID_TYPE, refused("songs", song("400.5")).errorClass());
  }

  @Test
  public void aShowDateOutsideYears1To9999IsRefused() {
    InvalidRecordException e =
        refused("shows", "{\"show_id\": 1, \"showdate\": \"+999999999-12-31\"}");
    assertEquals(ErrorClass.INVALID_VALUE, e.errorClass());
    assertEquals(
        "showdate: +999999999-12-31 is out of range for date (years 0001 to 9999),"
            + " column silver.band_shows.show_date",
        e.getMessage());
    assertThat(
        refused("songs", "{\"id\": 1, \"name\": \"x\", \"updated_at\": \"+99999-01-01 00:00:00\"}")
            .getMessage(),
        containsString("updated_at:"));
  }

  @Test
  public void textHoldingANulCharacterIsRefusedNamingTheField() {
    InvalidRecordException e = refused("songs", "{\"id\": 1, \"name\": \"Arr\\u0000ow\"}");
    assertEquals(ErrorClass.INVALID_VALUE, e.errorClass());
    assertEquals(
        "name: holds a NUL character (\\u0000) at index 3, which PostgreSQL text cannot store,"
            + " column silver.band_songs.song_name",
        e.getMessage());
  }
}
