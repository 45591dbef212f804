package dev.medallion.io.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Lands fetched records as JSON-lines files, one file per page (request) fetched, through Beam's
 * {@link FileSystems} (gs:// with the GCS file system, or a local folder):
 *
 * <pre>
 * ROOT/{service}/{stream}/dt=YYYY-MM-DD/{run_id}-{n}.jsonl
 * </pre>
 *
 * and returns the records read back from the landed files, so that bronze holds what was landed.
 * {@code dt} is the UTC date the page was fetched; {@code n} numbers a stream's pages of the run
 * (1, 2, ...) in the order of their requests, so a retried bundle rewrites the same files. Each
 * line is one row: {@code {"stream", "natural_key", "request", "fetched_at", "payload_hash",
 * "data"}}, {@code data} being the row exactly as the API returned it (unknown fields included).
 */
public final class LandRawPages extends PTransform<PCollection<ApiRecord>, PCollection<ApiRecord>> {
  private static final long serialVersionUID = 1L;
  static final String DATA_FIELD = ",\"data\":";

  private final String root;
  private final String service;
  private final String runId;

  private LandRawPages(String root, String service, String runId) {
    this.root = root;
    this.service = service;
    this.runId = runId;
  }

  /**
   * Under {@code root} ("gs://BUCKET", "gs://BUCKET/prefix" or a local folder's absolute path), in
   * the {@code service} folder, files named after {@code runId}.
   */
  public static LandRawPages under(String root, String service, String runId) {
    if (root == null || root.isBlank()) {
      throw new IllegalArgumentException(
          "under() needs a landing root such as gs://BUCKET or a folder");
    }
    if (service == null || !service.matches("[a-z0-9_-]+")) {
      throw new IllegalArgumentException(
          "under() needs a service name of lower-case letters, digits, - and _, got " + service);
    }
    if (runId == null || runId.isBlank()) {
      throw new IllegalArgumentException("under() needs a run id");
    }
    return new LandRawPages(root.replaceAll("/+$", ""), service, runId);
  }

  /** The folder of a stream's pages fetched on one day, below the root. */
  static String folder(String service, String stream, LocalDate day) {
    return service + "/" + stream + "/dt=" + day + "/";
  }

  @Override
  public PCollection<ApiRecord> expand(PCollection<ApiRecord> records) {
    String svc = service;
    // The keys are (stream, day): a handful per run, never record ids (DEVELOPERS "Grouping").
    return records
        .apply(
            "KeyByStreamAndDay",
            MapElements.into(
                    TypeDescriptors.kvs(
                        TypeDescriptors.strings(), TypeDescriptor.of(ApiRecord.class)))
                .via(r -> KV.of(folder(svc, r.getStream(), fetchDay(r)), r)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), records.getCoder()))
        .apply("GroupPagesByFolder", GroupByKey.create())
        .apply("WritePageFiles", ParDo.of(new WritePagesFn(root, runId)))
        .apply("ReadLandedFiles", ParDo.of(new ReadLandedFn()))
        .setCoder(records.getCoder());
  }

  static LocalDate fetchDay(ApiRecord record) {
    return Instant.ofEpochMilli(record.getFetchedAtMillis()).atZone(ZoneOffset.UTC).toLocalDate();
  }

  /** Writes one folder's pages, one file each; outputs the files' full names. */
  static final class WritePagesFn extends DoFn<KV<String, Iterable<ApiRecord>>, String> {
    private static final long serialVersionUID = 1L;
    private final String root;
    private final String runId;

    WritePagesFn(String root, String runId) {
      this.root = root;
      this.runId = runId;
    }

    /**
     * The file systems of this pipeline's options (its GCS endpoint and credentials), not those of
     * whichever pipeline last registered them in this JVM.
     */
    @StartBundle
    public void registerFileSystems(StartBundleContext context) {
      FileSystems.setDefaultPipelineOptions(context.getPipelineOptions());
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<ApiRecord>> folder, OutputReceiver<String> out)
        throws IOException {
      Map<String, List<ApiRecord>> pages = new TreeMap<>(LandRawPages::compareRequests);
      for (ApiRecord record : folder.getValue()) {
        pages.computeIfAbsent(record.getRequest(), r -> new ArrayList<>()).add(record);
      }
      int n = 0;
      for (List<ApiRecord> page : pages.values()) {
        n++;
        page.sort(Comparator.comparing(ApiRecord::getNaturalKey));
        String name = root + "/" + folder.getKey() + runId + "-" + n + ".jsonl";
        ResourceId file = FileSystems.matchNewResource(name, false);
        try (WritableByteChannel channel = FileSystems.create(file, "application/x-ndjson");
            OutputStream stream = Channels.newOutputStream(channel)) {
          for (ApiRecord record : page) {
            stream.write(line(record));
          }
        }
        out.output(name);
      }
    }
  }

  /**
   * Requests in a natural order: "page=2" before "page=10" (runs of digits compared as numbers), so
   * that a stream's files number its pages as a reader expects.
   */
  static int compareRequests(String a, String b) {
    String[] x = a.split("(?<=\\D)(?=\\d)|(?<=\\d)(?=\\D)");
    String[] y = b.split("(?<=\\D)(?=\\d)|(?<=\\d)(?=\\D)");
    for (int i = 0; i < Math.min(x.length, y.length); i++) {
      int c;
      if (x[i].matches("\\d+") && y[i].matches("\\d+")) {
        c = new java.math.BigInteger(x[i]).compareTo(new java.math.BigInteger(y[i]));
      } else {
        c = x[i].compareTo(y[i]);
      }
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(x.length, y.length) != 0
        ? Integer.compare(x.length, y.length)
        : a.compareTo(b);
  }

  private static final JsonFactory JSON = new JsonFactory();
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** One record as a line: the envelope's fields, then the row itself, unchanged. */
  static byte[] line(ApiRecord record) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JsonGenerator json = JSON.createGenerator(bytes)) {
      json.writeStartObject();
      json.writeStringField("stream", record.getStream());
      json.writeStringField("natural_key", record.getNaturalKey());
      json.writeStringField("request", record.getRequest());
      json.writeStringField(
          "fetched_at", Instant.ofEpochMilli(record.getFetchedAtMillis()).toString());
      json.writeStringField("payload_hash", record.getPayloadHash());
      json.writeFieldName("data");
      json.writeRawValue(record.getRawJson());
      json.writeEndObject();
    }
    bytes.write('\n');
    return bytes.toByteArray();
  }

  /**
   * A landed line back as the record: the envelope parsed, the row taken verbatim (it follows the
   * first {@code ,"data":} of the line, which cannot occur inside the envelope's quoted strings),
   * so the payload hash still matches it.
   */
  static ApiRecord parseLine(String line, String file) {
    try {
      JsonNode envelope = MAPPER.readTree(line);
      int data = line.indexOf(DATA_FIELD);
      if (data < 0 || !line.endsWith("}")) {
        throw new IOException("no data field");
      }
      return ApiRecord.create(
          envelope.path("stream").asText(),
          envelope.path("natural_key").asText(),
          line.substring(data + DATA_FIELD.length(), line.length() - 1),
          envelope.path("payload_hash").asText(),
          envelope.path("request").asText(),
          Instant.parse(envelope.path("fetched_at").asText()).toEpochMilli());
    } catch (IOException | RuntimeException e) {
      // Only this transform writes these files: a line it cannot read is a bug, not bad data.
      throw new IllegalStateException(
          "landed file " + file + " holds a line that is not a landed record: " + e.getMessage(),
          e);
    }
  }

  /** Reads a landed file back (opened by name: no listing, no metadata batch). */
  static final class ReadLandedFn extends DoFn<String, ApiRecord> {
    private static final long serialVersionUID = 1L;

    /**
     * The file systems of this pipeline's options (its GCS endpoint and credentials), not those of
     * whichever pipeline last registered them in this JVM.
     */
    @StartBundle
    public void registerFileSystems(StartBundleContext context) {
      FileSystems.setDefaultPipelineOptions(context.getPipelineOptions());
    }

    @ProcessElement
    public void process(@Element String name, OutputReceiver<ApiRecord> out) throws IOException {
      ResourceId file = FileSystems.matchNewResource(name, false);
      byte[] content;
      try (java.io.InputStream in = Channels.newInputStream(FileSystems.open(file))) {
        content = in.readAllBytes();
      }
      for (String line : new String(content, StandardCharsets.UTF_8).split("\n")) {
        if (!line.isEmpty()) {
          out.output(parseLine(line, name));
        }
      }
    }
  }
}
