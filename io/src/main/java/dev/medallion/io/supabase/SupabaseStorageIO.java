package dev.medallion.io.supabase;

import com.google.auto.value.AutoValue;
import dev.medallion.core.LayerMetrics.RunMetric;
import dev.medallion.core.files.FolderLayout;
import dev.medallion.io.files.LandedFile;
import dev.medallion.io.files.LandingZone;
import dev.medallion.io.http.HttpClientConfiguration;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import javax.annotation.Nullable;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * Supabase Storage as a landing zone: {@code supabase://BUCKET/PREFIX}, with the project URL and
 * service key from {@code SUPABASE_URL} and {@code SUPABASE_SERVICE_KEY}.
 *
 * <pre>{@code
 * LandingZone zone = SupabaseStorageIO.landingZone()
 *     .withProjectUrl(System.getenv("SUPABASE_URL"))
 *     .withServiceKey(System.getenv("SUPABASE_SERVICE_KEY"))
 *     .withLocation("supabase://sample/scout/v1/bronze/");
 * }</pre>
 */
public final class SupabaseStorageIO {
  public static final String SCHEME = "supabase://";

  private SupabaseStorageIO() {}

  public static Zone landingZone() {
    return new AutoValue_SupabaseStorageIO_Zone.Builder()
        .setHttp(HttpClientConfiguration.create())
        .setPageSize(100)
        .build();
  }

  public static boolean isSupabaseLocation(String location) {
    return location != null && location.startsWith(SCHEME);
  }

  /** A bucket prefix in Supabase Storage, read and moved through the Storage REST API. */
  @AutoValue
  public abstract static class Zone implements LandingZone {
    private static final long serialVersionUID = 1L;

    @Nullable
    abstract String projectUrl();

    @Nullable
    abstract String serviceKey();

    @Nullable
    abstract String bucket();

    @Nullable
    abstract String prefix();

    abstract HttpClientConfiguration http();

    abstract int pageSize();

    abstract Builder toBuilder();

    /** The project URL, e.g. https://abcdefghijklmnopqrst.supabase.co (no /storage/v1). */
    public Zone withProjectUrl(String projectUrl) {
      if (projectUrl == null || projectUrl.isBlank()) {
        throw new IllegalArgumentException(
            "withProjectUrl() needs SUPABASE_URL, e.g. https://<project-ref>.supabase.co");
      }
      URI.create(projectUrl);
      return toBuilder().setProjectUrl(projectUrl).build();
    }

    public Zone withServiceKey(String serviceKey) {
      if (serviceKey == null || serviceKey.isBlank()) {
        throw new IllegalArgumentException(
            "withServiceKey() needs SUPABASE_SERVICE_KEY, the project's service_role key");
      }
      dev.medallion.ops.Redactor.process().register(serviceKey);
      return toBuilder().setServiceKey(serviceKey).build();
    }

    /** {@code supabase://BUCKET/PREFIX}. */
    public Zone withLocation(String location) {
      if (!isSupabaseLocation(location)) {
        throw new IllegalArgumentException(
            "withLocation() needs supabase://BUCKET/PREFIX, got " + location);
      }
      String rest = location.substring(SCHEME.length());
      int slash = rest.indexOf('/');
      String bucket = slash < 0 ? rest : rest.substring(0, slash);
      String prefix = slash < 0 ? "" : rest.substring(slash + 1);
      if (bucket.isEmpty()) {
        throw new IllegalArgumentException(
            "withLocation() needs a bucket name: supabase://BUCKET/PREFIX, got " + location);
      }
      if (!prefix.isEmpty() && !prefix.endsWith("/")) {
        prefix = prefix + "/";
      }
      return toBuilder().setBucket(bucket).setPrefix(prefix).build();
    }

    public Zone withHttpClientConfiguration(HttpClientConfiguration http) {
      if (http == null) {
        throw new IllegalArgumentException("withHttpClientConfiguration() needs a configuration");
      }
      return toBuilder().setHttp(http).build();
    }

    public Zone withPageSize(int pageSize) {
      if (pageSize < 1 || pageSize > 1000) {
        throw new IllegalArgumentException("withPageSize() needs 1 to 1000, got " + pageSize);
      }
      return toBuilder().setPageSize(pageSize).build();
    }

    SupabaseStorageClient client() {
      checkComplete();
      return new SupabaseStorageClient(projectUrl(), serviceKey(), http());
    }

    private void checkComplete() {
      if (projectUrl() == null) {
        throw new IllegalStateException(
            "Supabase landing zone needs withProjectUrl(): set SUPABASE_URL");
      }
      if (serviceKey() == null) {
        throw new IllegalStateException(
            "Supabase landing zone needs withServiceKey(): set SUPABASE_SERVICE_KEY");
      }
      if (bucket() == null) {
        throw new IllegalStateException(
            "Supabase landing zone needs withLocation(supabase://BUCKET/PREFIX)");
      }
    }

    @Override
    public PTransform<PBegin, PCollection<LandedFile>> read() {
      checkComplete();
      return new ReadObjects(this);
    }

    @Override
    public void checkReadable() throws IOException {
      client().list(bucket(), prefix(), 1);
    }

    @Override
    public void move(String path, String destination) throws IOException {
      SupabaseStorageClient client = client();
      try {
        client.move(bucket(), path, destination);
      } catch (SupabaseStorageClient.StorageError e) {
        // Move is not idempotent: after a crash the source is gone and the destination is there.
        if ("404".equals(e.statusCode) && client.exists(bucket(), destination)) {
          return;
        }
        throw e;
      }
    }

    @Override
    public String describe() {
      return SCHEME + bucket() + "/" + prefix();
    }

    @Override
    public final String toString() {
      return "SupabaseLandingZone{" + describe() + "}";
    }

    @AutoValue.Builder
    abstract static class Builder {
      abstract Builder setProjectUrl(String value);

      abstract Builder setServiceKey(String value);

      abstract Builder setBucket(String value);

      abstract Builder setPrefix(String value);

      abstract Builder setHttp(HttpClientConfiguration value);

      abstract Builder setPageSize(int value);

      abstract Zone build();
    }
  }

  /** Lists the prefix once, spreads the objects out, and downloads each. */
  static final class ReadObjects extends PTransform<PBegin, PCollection<LandedFile>> {
    private static final long serialVersionUID = 1L;
    private final Zone zone;

    ReadObjects(Zone zone) {
      this.zone = zone;
    }

    @Override
    public PCollection<LandedFile> expand(PBegin input) {
      return input
          .apply("StartListing", Create.of(zone.describe()))
          .apply("ListObjects", ParDo.of(new ListObjectsFn(zone)))
          .apply("SpreadDownloads", Reshuffle.viaRandomKey())
          .apply("DownloadObjects", ParDo.of(new DownloadObjectFn(zone)));
    }
  }

  /** An object to download: its name, storage time and listed size. */
  @org.apache.beam.sdk.schemas.annotations.DefaultSchema(
      org.apache.beam.sdk.schemas.JavaFieldSchema.class)
  public static final class ListedObject implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    public String name = "";
    public long createdAtMillis;

    public ListedObject() {}

    ListedObject(String name, long createdAtMillis) {
      this.name = name;
      this.createdAtMillis = createdAtMillis;
    }
  }

  static final class ListObjectsFn extends DoFn<String, ListedObject> {
    private static final long serialVersionUID = 1L;
    private final Zone zone;

    ListObjectsFn(Zone zone) {
      this.zone = zone;
    }

    @ProcessElement
    public void process(OutputReceiver<ListedObject> out) throws IOException {
      List<SupabaseStorageClient.StoredObject> objects =
          zone.client().list(zone.bucket(), zone.prefix(), zone.pageSize());
      for (SupabaseStorageClient.StoredObject object : objects) {
        if (FolderLayout.isLandedName(object.name())) {
          out.output(new ListedObject(object.name(), object.createdAt().toEpochMilli()));
        }
      }
    }
  }

  static final class DownloadObjectFn extends DoFn<ListedObject, LandedFile> {
    private static final long serialVersionUID = 1L;
    private final Counter read = RunMetric.FILES_READ.counter();
    private final Zone zone;
    private transient SupabaseStorageClient client;

    DownloadObjectFn(Zone zone) {
      this.zone = zone;
    }

    @Setup
    public void setup() {
      client = zone.client();
    }

    @ProcessElement
    public void process(@Element ListedObject object, OutputReceiver<LandedFile> out)
        throws IOException {
      byte[] content =
          client.download(zone.bucket(), FolderLayout.landingPath(zone.prefix(), object.name));
      read.inc();
      out.output(LandedFile.create(zone.prefix(), object.name, content, object.createdAtMillis));
    }
  }
}
