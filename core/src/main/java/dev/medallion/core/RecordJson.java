package dev.medallion.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The one JSON mapper for landed records, wherever a record is parsed (reading a file, taking its
 * device, parsing it for silver). Jackson's cap on a string (20,000,000 characters) is lifted: how
 * large a record may be is the pipeline's limit ({@code FileLimits}, {@code --max-record-bytes}),
 * and a record bronze accepted must not fail a later parse. Its other limits (nesting 1,000 deep,
 * numbers of 1,000 digits) stay.
 */
public final class RecordJson {
  private static final ObjectMapper MAPPER =
      new ObjectMapper(
          JsonFactory.builder()
              .streamReadConstraints(
                  StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
              .build());

  private RecordJson() {}

  /** Shared and thread-safe once configured: never reconfigure it. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }
}
