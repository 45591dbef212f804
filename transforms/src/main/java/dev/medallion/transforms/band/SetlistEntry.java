package dev.medallion.transforms.band;

import com.google.auto.value.AutoValue;
import javax.annotation.Nullable;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;

/** One song performance as gold reads it from silver.band_setlist_entries. */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class SetlistEntry {
  public abstract String getUniqueId();

  public abstract long getShowId();

  /** YYYY-MM-DD. */
  public abstract String getShowDate();

  /** 2 for the second show of a day. */
  public abstract int getShowOrder();

  public abstract int getShowYear();

  public abstract long getSongId();

  @Nullable
  public abstract String getSongName();

  /** "1", "2", "e", ... */
  public abstract String getSetNumber();

  public abstract boolean getEncore();

  /** Running order across the whole show. */
  public abstract int getPosition();

  public abstract boolean getJamchart();

  @Nullable
  public abstract Long getVenueId();

  @Nullable
  public abstract String getVenueName();

  @Nullable
  public abstract String getCity();

  @Nullable
  public abstract String getState();

  @Nullable
  public abstract String getCountry();

  @Nullable
  public abstract Long getTourId();

  @Nullable
  public abstract String getTourName();

  /** Set by gold: this is the song's first performance at its first show. */
  public abstract boolean getDebut();

  public abstract Builder toBuilder();

  public static Builder builder() {
    return new AutoValue_SetlistEntry.Builder()
        .setShowOrder(1)
        .setEncore(false)
        .setJamchart(false)
        .setDebut(false);
  }

  /** Orders performances by show (date, show order, id) and then position. */
  public String showSortKey() {
    return getShowDate() + "#" + getShowOrder() + "#" + String.format("%020d", getShowId());
  }

  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setUniqueId(String value);

    public abstract Builder setShowId(long value);

    public abstract Builder setShowDate(String value);

    public abstract Builder setShowOrder(int value);

    public abstract Builder setShowYear(int value);

    public abstract Builder setSongId(long value);

    public abstract Builder setSongName(String value);

    public abstract Builder setSetNumber(String value);

    public abstract Builder setEncore(boolean value);

    public abstract Builder setPosition(int value);

    public abstract Builder setJamchart(boolean value);

    public abstract Builder setVenueId(Long value);

    public abstract Builder setVenueName(String value);

    public abstract Builder setCity(String value);

    public abstract Builder setState(String value);

    public abstract Builder setCountry(String value);

    public abstract Builder setTourId(Long value);

    public abstract Builder setTourName(String value);

    public abstract Builder setDebut(boolean value);

    public abstract SetlistEntry build();
  }
}
