package dev.medallion.transforms.band;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

/** Song statistics and group summaries on a five-show run worked out by hand; no Beam involved. */
public class SongStatisticsCalculatorTest {
  // Shows in order: A 2023-01-10, B 2023-01-11 (two shows that day: B1 first, B2 second), C
  // 2023-02-01, D 2024-03-05.
  //   A: set 1 [1 X, 2 Y, 3 Z]              encore [4 X]
  //   B1: set 1 [1 Y, 2 X (jam chart)]
  //   B2: set 1 [1 Z] set 2 [2 Y, 3 X]
  //   C: set 1 [1 Z, 2 Y]                   encore [3 Y]
  //   D: set 1 [1 W]
  static final List<SetlistEntry> ENTRIES = new ArrayList<>();

  static {
    add("A", 10L, "2023-01-10", 1, "1", 1, 1, false);
    add("A", 10L, "2023-01-10", 1, "1", 2, 2, false);
    add("A", 10L, "2023-01-10", 1, "1", 3, 3, false);
    add("A", 10L, "2023-01-10", 1, "e", 4, 1, false);
    add("B1", 21L, "2023-01-11", 1, "1", 1, 2, false);
    add("B1", 21L, "2023-01-11", 1, "1", 2, 1, true);
    add("B2", 22L, "2023-01-11", 2, "1", 1, 3, false);
    add("B2", 22L, "2023-01-11", 2, "2", 2, 2, false);
    add("B2", 22L, "2023-01-11", 2, "2", 3, 1, false);
    add("C", 30L, "2023-02-01", 1, "1", 1, 3, false);
    add("C", 30L, "2023-02-01", 1, "1", 2, 2, false);
    add("C", 30L, "2023-02-01", 1, "e", 3, 2, false);
    add("D", 40L, "2024-03-05", 1, "1", 1, 4, false);
  }

  /** Song ids: X = 1, Y = 2, Z = 3, W = 4. */
  private static void add(
      String show,
      long showId,
      String date,
      int order,
      String set,
      int position,
      long song,
      boolean jam) {
    ENTRIES.add(
        SetlistEntry.builder()
            .setUniqueId(show + "-" + position)
            .setShowId(showId)
            .setShowDate(date)
            .setShowOrder(order)
            .setShowYear(Integer.parseInt(date.substring(0, 4)))
            .setSongId(song)
            .setSongName("song " + song)
            .setSetNumber(set)
            .setEncore(set.startsWith("e"))
            .setPosition(position)
            .setJamchart(jam)
            .setVenueId(showId == 40L ? 2L : 1L)
            .setVenueName(showId == 40L ? "Hall" : "Club")
            .setTourId(null)
            .build());
  }

  static ShowCalendar calendar() {
    ShowCalendar calendar = new ShowCalendar();
    // Merged from two halves, as a combine would.
    ShowCalendar other = new ShowCalendar();
    for (int i = 0; i < ENTRIES.size(); i++) {
      (i % 2 == 0 ? calendar : other).add(ENTRIES.get(i));
    }
    return calendar.merge(other);
  }

  static List<SetlistEntry> of(long song) {
    return ENTRIES.stream().filter(e -> e.getSongId() == song).toList();
  }

  @Test
  public void theCalendarOrdersShowsByDateThenShowOrder() {
    ShowCalendar calendar = calendar();
    // Merged halves equal the calendar built in one pass.
    ShowCalendar onePass = new ShowCalendar();
    ENTRIES.forEach(onePass::add);
    assertEquals(onePass, calendar);
    assertEquals(5, calendar.totalShows());
    assertEquals(
        List.of(1, 2, 3, 4, 5),
        List.of(
            calendar.ordinal(10L),
            calendar.ordinal(21L),
            calendar.ordinal(22L),
            calendar.ordinal(30L),
            calendar.ordinal(40L)));
  }

  @Test
  public void songXWithAJamChartAndAnEncore() {
    // X at A (opens set 1, and the encore), B1 (closes set 1, jam chart), B2 (closes set 2).
    // Shows 1, 2, 3 of 5: gap 5 - 3 = 2; average (3 - 1) / 2 = 1.00. The encore is no set opener or
    // closer.
    SongStatistics x = SongStatisticsCalculator.compute(1L, of(1L), calendar()).statistics();
    assertEquals(
        SongStatistics.create(
            1L, "song 1", 4, 3, "2023-01-10", 10L, "2023-01-11", 2, 1.0, 1, 1, 2, 1),
        x);
  }

  @Test
  public void songYAcrossFourShows() {
    // Y at A (2nd of 3), B1 (opens), B2 (opens set 2, which X closes), C (closes set 1, and the
    // encore).
    // 5 performances at shows 1, 2, 3, 4: gap 1, average (4 - 1) / 3 = 1.00.
    SongStatistics y = SongStatisticsCalculator.compute(2L, of(2L), calendar()).statistics();
    assertEquals(
        SongStatistics.create(
            2L, "song 2", 5, 4, "2023-01-10", 10L, "2023-02-01", 1, 1.0, 0, 2, 1, 1),
        y);
  }

  @Test
  public void songZSkipsAShowAndWPlayedOnce() {
    // Z at A (closes set 1), B2 (opens and closes its one-song set 1), C (opens set 1): shows 1, 3,
    // 4 -> (4 - 1) / 2 = 1.50.
    SongStatistics z = SongStatisticsCalculator.compute(3L, of(3L), calendar()).statistics();
    assertEquals(
        SongStatistics.create(
            3L, "song 3", 3, 3, "2023-01-10", 10L, "2023-02-01", 1, 1.5, 0, 2, 2, 0),
        z);
    SongStatistics w = SongStatisticsCalculator.compute(4L, of(4L), calendar()).statistics();
    assertEquals(0, w.getCurrentGap());
    assertNull(w.getAverageGap());
  }

  @Test
  public void onlyTheFirstPerformanceIsMarkedAsTheDebut() {
    List<SetlistEntry> marked =
        SongStatisticsCalculator.compute(1L, of(1L), calendar()).performances();
    assertEquals(
        List.of("A-1"),
        marked.stream().filter(SetlistEntry::getDebut).map(SetlistEntry::getUniqueId).toList());
    assertEquals(4, marked.size());
  }

  @Test
  public void groupSummariesCountShowsSetsEncoresAndDebuts() {
    List<SetlistEntry> marked = new ArrayList<>();
    ShowCalendar calendar = calendar();
    for (long song = 1; song <= 4; song++) {
      marked.addAll(SongStatisticsCalculator.compute(song, of(song), calendar).performances());
    }
    // Show A: 4 performances, 1 set, 1 encore song, debuts X, Y, Z.
    GroupSummary a =
        GroupSummaryCalculator.summarize(
            marked.stream().filter(e -> e.getShowId() == 10L).toList());
    assertEquals(
        List.of(1, 4, 3, 1, 1, 3),
        List.of(
            a.getShows(),
            a.getPerformances(),
            a.getDistinctSongs(),
            a.getSets(),
            a.getEncoreSongs(),
            a.getDebuts()));
    // Year 2023: shows A, B1, B2, C; sets A1, B1-1, B2-1, B2-2, C1 = 5; 12 performances; one jam
    // chart.
    GroupSummary year =
        GroupSummaryCalculator.summarize(
            marked.stream().filter(e -> e.getShowYear() == 2023).toList());
    assertEquals(
        List.of(4, 12, 3, 5, 2, 3, 1),
        List.of(
            year.getShows(),
            year.getPerformances(),
            year.getDistinctSongs(),
            year.getSets(),
            year.getEncoreSongs(),
            year.getDebuts(),
            year.getJamcharts()));
    assertEquals("2023-01-10", year.getFirstShow());
    assertEquals("2023-02-01", year.getLastShow());
    // Venue 1 ("Club") is named after its latest performance.
    assertEquals("C-3", year.getLatest().getUniqueId());
    assertTrue(marked.stream().anyMatch(e -> e.getUniqueId().equals("D-1") && e.getDebut()));
    assertFalse(marked.stream().anyMatch(e -> e.getUniqueId().equals("C-3") && e.getDebut()));
  }
}
