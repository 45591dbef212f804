package dev.medallion.transforms.band;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** A song's statistics from all its performances, measured against the show calendar. */
public final class SongStatisticsCalculator {
  private SongStatisticsCalculator() {}

  /** The statistics, and the performances with the debut one marked. */
  public record Result(SongStatistics statistics, List<SetlistEntry> performances) {}

  public static Result compute(
      long songId, Iterable<SetlistEntry> performances, ShowCalendar calendar) {
    List<SetlistEntry> played = new ArrayList<>();
    performances.forEach(played::add);
    if (played.isEmpty()) {
      throw new IllegalArgumentException("song " + songId + " has no performances");
    }
    played.sort(
        (a, b) -> {
          int byShow = a.showSortKey().compareTo(b.showSortKey());
          return byShow != 0 ? byShow : Integer.compare(a.getPosition(), b.getPosition());
        });
    TreeSet<Integer> showOrdinals = new TreeSet<>();
    int jamcharts = 0;
    int openers = 0;
    int closers = 0;
    int encores = 0;
    for (SetlistEntry entry : played) {
      showOrdinals.add(calendar.ordinal(entry.getShowId()));
      jamcharts += entry.getJamchart() ? 1 : 0;
      openers += calendar.opensSet(entry) ? 1 : 0;
      closers += calendar.closesSet(entry) ? 1 : 0;
      encores += entry.getEncore() ? 1 : 0;
    }
    SetlistEntry first = played.get(0);
    SetlistEntry last = played.get(played.size() - 1);
    int shows = showOrdinals.size();
    Double averageGap =
        shows < 2
            ? null
            : BigDecimal.valueOf(showOrdinals.last() - showOrdinals.first())
                .divide(BigDecimal.valueOf(shows - 1), 2, RoundingMode.HALF_UP)
                .doubleValue();
    String name = last.getSongName() != null ? last.getSongName() : first.getSongName();
    SongStatistics statistics =
        SongStatistics.create(
            songId,
            name,
            played.size(),
            shows,
            first.getShowDate(),
            first.getShowId(),
            last.getShowDate(),
            calendar.totalShows() - showOrdinals.last(),
            averageGap,
            jamcharts,
            openers,
            closers,
            encores);
    List<SetlistEntry> marked = new ArrayList<>(played.size());
    for (SetlistEntry entry : played) {
      marked.add(entry == first ? entry.toBuilder().setDebut(true).build() : entry);
    }
    return new Result(statistics, marked);
  }
}
