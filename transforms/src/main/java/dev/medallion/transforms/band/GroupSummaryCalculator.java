package dev.medallion.transforms.band;

import java.util.HashSet;
import java.util.Set;

/**
 * Sums up a group of performances (one show, venue, year or tour); debuts must already be marked.
 */
public final class GroupSummaryCalculator {
  private GroupSummaryCalculator() {}

  public static GroupSummary summarize(Iterable<SetlistEntry> performances) {
    Set<Long> shows = new HashSet<>();
    Set<Long> songs = new HashSet<>();
    Set<Long> debutSongs = new HashSet<>();
    Set<String> sets = new HashSet<>();
    String firstShow = null;
    String lastShow = null;
    SetlistEntry latest = null;
    int count = 0;
    int jamcharts = 0;
    int encoreSongs = 0;
    for (SetlistEntry entry : performances) {
      count++;
      shows.add(entry.getShowId());
      songs.add(entry.getSongId());
      if (entry.getDebut()) {
        debutSongs.add(entry.getSongId());
      }
      if (entry.getEncore()) {
        encoreSongs++;
      } else {
        sets.add(entry.getShowId() + "/" + entry.getSetNumber());
      }
      jamcharts += entry.getJamchart() ? 1 : 0;
      firstShow =
          firstShow == null || entry.getShowDate().compareTo(firstShow) < 0
              ? entry.getShowDate()
              : firstShow;
      lastShow =
          lastShow == null || entry.getShowDate().compareTo(lastShow) > 0
              ? entry.getShowDate()
              : lastShow;
      if (latest == null || later(entry, latest)) {
        latest = entry;
      }
    }
    if (count == 0) {
      throw new IllegalArgumentException("a group needs at least one performance");
    }
    return GroupSummary.create(
        shows.size(),
        firstShow,
        lastShow,
        count,
        songs.size(),
        debutSongs.size(),
        jamcharts,
        sets.size(),
        encoreSongs,
        latest);
  }

  private static boolean later(SetlistEntry a, SetlistEntry b) {
    int byShow = a.showSortKey().compareTo(b.showSortKey());
    return byShow != 0 ? byShow > 0 : a.getPosition() > b.getPosition();
  }
}
