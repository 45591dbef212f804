package dev.medallion.transforms.band;

import com.google.auto.value.AutoValue;
import org.apache.beam.sdk.schemas.AutoValueSchema;
import org.apache.beam.sdk.schemas.annotations.DefaultSchema;

/**
 * One row for a silver or gold table: the table and its columns as a JSON object whose keys are the
 * column names, upserted with {@code jsonb_populate_record} (see {@link UpsertBandRows}).
 */
@DefaultSchema(AutoValueSchema.class)
@AutoValue
public abstract class BandRow {
  /** Schema-qualified, e.g. "silver.band_songs". */
  public abstract String getTable();

  /** The row's natural key within its table, e.g. "51201" or "1707341122/60". */
  public abstract String getKey();

  public abstract String getColumnsJson();

  public static BandRow of(String table, String key, String columnsJson) {
    return new AutoValue_BandRow(table, key, columnsJson);
  }
}
