package dev.medallion.transforms.band;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;

/** The performances of one show, venue, year or tour, summed up. */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class GroupSummary {
  public abstract int getShows();

  public abstract String getFirstShow();

  public abstract String getLastShow();

  /** Song performances, reprises included. */
  public abstract int getPerformances();

  public abstract int getDistinctSongs();

  /** Songs played for the first time ever within the group. */
  public abstract int getDebuts();

  public abstract int getJamcharts();

  /** Sets other than encores, counted per show. */
  public abstract int getSets();

  public abstract int getEncoreSongs();

  /** The group's latest performance, for names (venue, tour) as last known. */
  public abstract SetlistEntry getLatest();

  public static GroupSummary create(
      int shows,
      String firstShow,
      String lastShow,
      int performances,
      int distinctSongs,
      int debuts,
      int jamcharts,
      int sets,
      int encoreSongs,
      SetlistEntry latest) {
    return new AutoValue_GroupSummary(
        shows,
        firstShow,
        lastShow,
        performances,
        distinctSongs,
        debuts,
        jamcharts,
        sets,
        encoreSongs,
        latest);
  }
}
