package dev.medallion.transforms.band;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.medallion.core.quarantine.InvalidRecordException;
import dev.medallion.io.elgoose.ElGooseEndpoint;
import dev.medallion.ops.ErrorClass;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * A bronze row to its silver row: typed columns named as in the silver table, or an error saying
 * why not.
 */
public final class BandRecordParser {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private BandRecordParser() {}

  public static BandRow parse(BandBronzeRow row) throws InvalidRecordException {
    ElGooseEndpoint endpoint;
    try {
      endpoint = ElGooseEndpoint.fromMethod(row.getEndpoint());
    } catch (IllegalArgumentException e) {
      throw new InvalidRecordException(ErrorClass.MALFORMED_RECORD, e.getMessage());
    }
    SilverTable table = SilverTable.forEndpoint(endpoint);
    JsonNode json = InvalidRecordException.readObject(row.getRawJson());
    ObjectNode columns = MAPPER.createObjectNode();
    for (SilverTable.Column column : table.columns()) {
      Object value;
      try {
        value = column.type().convert(json.get(column.field()));
      } catch (ColumnType.RefusedValue e) {
        throw new InvalidRecordException(
            ErrorClass.INVALID_VALUE,
            column.field()
                + ": "
                + e.getMessage()
                + ", column "
                + table.tableName()
                + "."
                + column.name());
      } catch (IllegalArgumentException e) {
        throw new InvalidRecordException(
            ErrorClass.INVALID_TYPE, column.field() + ": " + e.getMessage());
      }
      if (value == null && column.required()) {
        throw new InvalidRecordException(
            ErrorClass.MISSING_FIELD, column.field() + " is missing or empty");
      }
      if (value == null) {
        columns.putNull(column.name());
      } else if (value instanceof Long number) {
        columns.put(column.name(), number);
      } else if (value instanceof Boolean flag) {
        columns.put(column.name(), flag);
      } else {
        columns.put(column.name(), value.toString());
      }
    }
    columns.put("bronze_version", row.getVersion());
    columns.put(
        "fetched_at",
        Instant.ofEpochMilli(row.getFetchedAtMillis()).atOffset(ZoneOffset.UTC).toString());
    StringBuilder key = new StringBuilder();
    for (String column : table.spec().keyColumns()) {
      key.append(key.length() == 0 ? "" : "/").append(columns.get(column).asText());
    }
    return BandRow.of(table.tableName(), key.toString(), columns.toString());
  }
}
