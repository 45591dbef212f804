package dev.medallion.transforms.edge;

import dev.medallion.ops.ErrorClass;
import dev.medallion.ops.Layer;
import dev.medallion.core.LayerMetrics;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.medallion.io.files.LandedFile;
import dev.medallion.io.files.ParsedFile;
import dev.medallion.io.files.RecordFileParser;
import dev.medallion.core.quarantine.QuarantinedRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Splits each landed file into bronze records, keeping each record's raw JSON. A file that cannot
 * be read at all, and each record that cannot, goes to {@link #FAILURES}; every file gets a move in
 * {@link #MOVES}: to processed/ when it was readable, to quarantine/ when it was not.
 */
public final class ToBronze extends PTransform<PCollection<LandedFile>, PCollectionTuple> {
  private static final long serialVersionUID = 1L;
  public static final TupleTag<BronzeRecord> RECORDS = new TupleTag<>() {};
  public static final TupleTag<QuarantinedRecord> FAILURES = new TupleTag<>() {};
  /** Source path to destination path. */
  public static final TupleTag<KV<String, String>> MOVES = new TupleTag<>() {};

  public static ToBronze records() {
    return new ToBronze();
  }

  @Override
  public PCollectionTuple expand(PCollection<LandedFile> files) {
    PCollectionTuple result =
        files.apply("SplitFilesIntoRecords", ParDo.of(new SplitFileFn()).withOutputTags(RECORDS, TupleTagList.of(FAILURES).and(MOVES)));
    result.get(MOVES).setCoder(org.apache.beam.sdk.coders.KvCoder.of(
        org.apache.beam.sdk.coders.StringUtf8Coder.of(), org.apache.beam.sdk.coders.StringUtf8Coder.of()));
    return result;
  }

  /** A file's bronze records, what could not be read, and where the file goes afterwards. */
  record Split(List<BronzeRecord> records, List<QuarantinedRecord> failures, KV<String, String> move) {}

  /** Splits one file: a file that cannot be read at all is one failure and moves to quarantine/. */
  static Split split(LandedFile file) throws IOException {
    ParsedFile parsed = RecordFileParser.parse(file.name(), file.content());
    if (parsed.fileError() != null) {
      return new Split(List.of(), List.of(QuarantinedRecord.of(
          Layer.BRONZE, ErrorClass.MALFORMED_FILE, file.path(), QuarantinedRecord.WHOLE_SOURCE, null,
          new String(file.content(), StandardCharsets.UTF_8), parsed.fileError())), KV.of(file.path(), SplitFileFn.quarantinePath(file)));
    }
    List<QuarantinedRecord> failures = new ArrayList<>();
    for (ParsedFile.BadRecord bad : parsed.badRecords()) {
      failures.add(QuarantinedRecord.of(Layer.BRONZE, ErrorClass.MALFORMED_RECORD, file.path(), bad.index(), null, bad.raw(), bad.reason()));
    }
    List<BronzeRecord> records = new ArrayList<>();
    for (ParsedFile.Record record : parsed.records()) {
      records.add(BronzeRecord.create(
          SplitFileFn.deviceId(record.json(), file.name()), file.name(), file.path(), record.index(), record.json(),
          file.sizeBytes(), file.checksum(), file.landedAtMillis(), 0L));
    }
    return new Split(records, failures, KV.of(file.path(), file.processedPath()));
  }

  static final class SplitFileFn extends DoFn<LandedFile, BronzeRecord> {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final Counter recordsIn = LayerMetrics.in(Layer.BRONZE);
    private final Counter recordsOut = LayerMetrics.out(Layer.BRONZE);
    private final Counter quarantined = LayerMetrics.quarantined(Layer.BRONZE);

    @ProcessElement
    public void process(@Element LandedFile file, MultiOutputReceiver out) throws IOException {
      Split split = split(file);
      recordsIn.inc(split.records().size() + split.failures().size());
      recordsOut.inc(split.records().size());
      quarantined.inc(split.failures().size());
      split.failures().forEach(out.get(FAILURES)::output);
      split.records().forEach(out.get(RECORDS)::output);
      out.get(MOVES).output(split.move());
    }

    /** The record's device_id, else the device named at the start of the file name, else "unknown". */
    static String deviceId(String json, String fileName) throws IOException {
      JsonNode device = MAPPER.readTree(json).get("device_id");
      // A JSON null is a value node too, whose text is "null": it names no device.
      if (device != null && !device.isNull() && device.isValueNode() && !device.asText().isBlank()) {
        return device.asText().strip();
      }
      int underscore = fileName.indexOf('_');
      return underscore > 0 ? fileName.substring(0, underscore) : "unknown";
    }

    static String quarantinePath(LandedFile file) {
      return file.processedPath().replaceFirst("processed/(\\d{8}/[^/]*)$", "quarantine/$1");
    }
  }
}
