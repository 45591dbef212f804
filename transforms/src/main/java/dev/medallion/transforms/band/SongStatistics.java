package dev.medallion.transforms.band;

import com.google.auto.value.AutoValue;
import javax.annotation.Nullable;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;

/** One row of gold.band_song_statistics. */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class SongStatistics {
  public abstract long getSongId();

  @Nullable
  public abstract String getSongName();

  /** Performances, a reprise in the same show counting again. */
  public abstract int getTimesPlayed();

  public abstract int getShowsPlayed();

  public abstract String getDebutDate();

  public abstract long getDebutShowId();

  public abstract String getLastPlayed();

  /** Shows since the song was last played. */
  public abstract int getCurrentGap();

  /** Mean shows between consecutive shows it was played in; null when played at one show. */
  @Nullable
  public abstract Double getAverageGap();

  public abstract int getJamchartCount();

  public abstract int getTimesSetOpener();

  public abstract int getTimesSetCloser();

  public abstract int getTimesEncore();

  public static SongStatistics create(
      long songId,
      String songName,
      int timesPlayed,
      int showsPlayed,
      String debutDate,
      long debutShowId,
      String lastPlayed,
      int currentGap,
      Double averageGap,
      int jamchartCount,
      int timesSetOpener,
      int timesSetCloser,
      int timesEncore) {
    return new AutoValue_SongStatistics(
        songId,
        songName,
        timesPlayed,
        showsPlayed,
        debutDate,
        debutShowId,
        lastPlayed,
        currentGap,
        averageGap,
        jamchartCount,
        timesSetOpener,
        timesSetCloser,
        timesEncore);
  }
}
