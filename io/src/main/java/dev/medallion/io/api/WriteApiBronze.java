package dev.medallion.io.api;

import dev.medallion.io.jdbc.PooledDataSource;
import dev.medallion.ops.db.JdbcTarget;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.beam.sdk.io.jdbc.JdbcIO;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;

/**
 * Writes {@link ApiRecord}s to a pipeline's API bronze table, versioned: a row's version latest + 1
 * is inserted only when its payload hash differs from the latest version's, so an unchanged row
 * fetched again adds nothing. The table has the shape of bronze.band_raw: {@code endpoint} (the
 * stream), {@code natural_key}, {@code version}, {@code raw_data jsonb}, {@code payload_hash},
 * {@code request}, {@code fetched_at}, {@code is_processed} (default false) and a unique key on
 * (endpoint, natural_key, version). Returns a signal for {@code Wait.on}.
 */
public final class WriteApiBronze extends PTransform<PCollection<ApiRecord>, PCollection<Void>> {
  private static final long serialVersionUID = 1L;
  private final JdbcTarget target;
  private final String table;

  private WriteApiBronze(JdbcTarget target, String table) {
    this.target = target;
    this.table = table;
  }

  /** Into {@code table}, schema-qualified (e.g. "bronze.band_raw"). */
  public static WriteApiBronze into(JdbcTarget target, String table) {
    if (target == null) {
      throw new IllegalArgumentException("into() needs a database target");
    }
    if (table == null || !table.matches("[a-z_][a-z0-9_]*\\.[a-z_][a-z0-9_]*")) {
      throw new IllegalArgumentException(
          "into() needs a schema-qualified table name such as bronze.band_raw, got " + table);
    }
    return new WriteApiBronze(target, table);
  }

  /**
   * The insert of version (latest + 1) unless the latest version has the same hash. The conflict
   * clause makes a retried bundle, or two writers racing, harmless.
   */
  static String insertSql(String table) {
    return "INSERT INTO "
        + table
        + " (endpoint, natural_key, version, raw_data, payload_hash, request, fetched_at)"
        + " SELECT ?, ?, coalesce(latest.version, 0) + 1, CAST(? AS jsonb), ?, ?, ?"
        + " FROM (SELECT 1) AS one LEFT JOIN LATERAL (SELECT version, payload_hash FROM "
        + table
        + " WHERE endpoint = ? AND natural_key = ? ORDER BY version DESC LIMIT 1) AS latest ON true"
        + " WHERE latest.payload_hash IS DISTINCT FROM ?"
        + " ON CONFLICT (endpoint, natural_key, version) DO NOTHING";
  }

  @Override
  public PCollection<Void> expand(PCollection<ApiRecord> records) {
    return records.apply(
        "InsertNewVersions",
        JdbcIO.<ApiRecord>write()
            .withDataSourceProviderFn(PooledDataSource.of(target))
            .withStatement(insertSql(table))
            .withPreparedStatementSetter(
                (r, ps) -> {
                  ps.setString(1, r.getStream());
                  ps.setString(2, r.getNaturalKey());
                  // Rows holding U+0000, which jsonb refuses, were set aside by ApiFetcher.
                  ps.setString(3, r.getRawJson());
                  ps.setString(4, r.getPayloadHash());
                  ps.setString(5, r.getRequest());
                  ps.setObject(
                      6, Instant.ofEpochMilli(r.getFetchedAtMillis()).atOffset(ZoneOffset.UTC));
                  ps.setString(7, r.getStream());
                  ps.setString(8, r.getNaturalKey());
                  ps.setString(9, r.getPayloadHash());
                })
            .withResults());
  }
}
