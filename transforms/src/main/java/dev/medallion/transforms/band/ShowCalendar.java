package dev.medallion.transforms.band;

import dev.medallion.transforms.Accumulator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every show that has setlist rows, in order (date, show order, id), and the first and last
 * position of each of its sets: what a song's gaps and its set openers and closers are measured
 * against. Built by a global combine; small (one entry per show and set).
 */
public final class ShowCalendar implements Accumulator<SetlistEntry, ShowCalendar> {
  private static final long serialVersionUID = 1L;

  /** Show id to its sort key. */
  private final Map<Long, String> shows = new HashMap<>();

  /** "showId/set" to {first position, last position}. */
  private final Map<String, int[]> setBounds = new HashMap<>();

  private transient Map<Long, Integer> ordinals;

  @Override
  public ShowCalendar add(SetlistEntry entry) {
    shows.put(entry.getShowId(), entry.showSortKey());
    setBounds.merge(
        setKey(entry),
        new int[] {entry.getPosition(), entry.getPosition()},
        (a, b) -> new int[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
    ordinals = null;
    return this;
  }

  @Override
  public ShowCalendar merge(ShowCalendar other) {
    shows.putAll(other.shows);
    other.setBounds.forEach(
        (key, bounds) ->
            setBounds.merge(
                key,
                bounds.clone(),
                (a, b) -> new int[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])}));
    ordinals = null;
    return this;
  }

  public int totalShows() {
    return shows.size();
  }

  /** 1 for the first show ever, {@link #totalShows()} for the latest. */
  public int ordinal(long showId) {
    if (ordinals == null) {
      List<Map.Entry<Long, String>> ordered = new ArrayList<>(shows.entrySet());
      ordered.sort(Map.Entry.comparingByValue());
      Map<Long, Integer> computed = new HashMap<>();
      for (int i = 0; i < ordered.size(); i++) {
        computed.put(ordered.get(i).getKey(), i + 1);
      }
      ordinals = computed;
    }
    Integer ordinal = ordinals.get(showId);
    if (ordinal == null) {
      throw new IllegalArgumentException("show " + showId + " is not in the calendar");
    }
    return ordinal;
  }

  /** The first song of a set other than an encore. */
  public boolean opensSet(SetlistEntry entry) {
    int[] bounds = setBounds.get(setKey(entry));
    return !entry.getEncore() && bounds != null && bounds[0] == entry.getPosition();
  }

  /** The last song of a set other than an encore. */
  public boolean closesSet(SetlistEntry entry) {
    int[] bounds = setBounds.get(setKey(entry));
    return !entry.getEncore() && bounds != null && bounds[1] == entry.getPosition();
  }

  /**
   * Equal calendars hold the same shows and set bounds (Beam's mutation checks compare
   * accumulators).
   */
  @Override
  public boolean equals(Object other) {
    if (!(other instanceof ShowCalendar that)
        || !shows.equals(that.shows)
        || !setBounds.keySet().equals(that.setBounds.keySet())) {
      return false;
    }
    for (Map.Entry<String, int[]> bounds : setBounds.entrySet()) {
      if (!java.util.Arrays.equals(bounds.getValue(), that.setBounds.get(bounds.getKey()))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    return shows.hashCode() * 31 + setBounds.keySet().hashCode();
  }

  private static String setKey(SetlistEntry entry) {
    return entry.getShowId() + "/" + entry.getSetNumber();
  }
}
