package dev.medallion.io.gdrive;

import com.google.auto.value.AutoValue;
import dev.medallion.core.LayerMetrics.RunMetric;
import dev.medallion.core.files.FolderLayout;
import dev.medallion.io.files.Checksums;
import dev.medallion.io.files.LandedFile;
import dev.medallion.io.files.LandingZone;
import dev.medallion.io.http.HttpClientConfiguration;
import dev.medallion.io.http.PlainHttp;
import dev.medallion.io.http.SecretSource;
import dev.medallion.io.http.StaticTokenProvider;
import dev.medallion.io.http.TokenProvider;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.annotation.Nullable;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.Watch;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Google Drive folder as a landing zone: {@code gdrive://FOLDER_ID}, read through the Drive API
 * v3 with a service account ({@code GDRIVE_SERVICE_ACCOUNT_JSON}) or an access token ({@code
 * GDRIVE_ACCESS_TOKEN}).
 *
 * <pre>{@code
 * LandingZone zone = GoogleDriveIO.landingZone()
 *     .withLocation("gdrive://1AbCdEfGhIjKlMnOpQrStUvWxYz012345")
 *     .withTokenProvider(ServiceAccountTokenProvider.fromEnvironment("GDRIVE_SERVICE_ACCOUNT_JSON"));
 * // or GoogleDriveIO.fromEnvironment("gdrive://1AbC...")
 * }</pre>
 *
 * <p>The files directly in the folder are read (not trashed, not in sub-folders). A landed file's
 * checksum is the MD5 of the bytes downloaded, which is Drive's {@code md5Checksum}: the file
 * ledger is keyed by it, so a file uploaded again with new content (a new version, new md5Checksum
 * and modifiedTime) is ingested again and an unchanged one is not. A Google Sheet has no bytes and
 * no md5Checksum: it is exported as XLSX (".xlsx" added to its name) and its checksum is the MD5 of
 * its id and modifiedTime, which changes exactly when the Sheet is edited (the export's own bytes
 * are not promised to be stable between two exports of the same version); or, with {@link
 * SheetsHandling#SKIP}, it is skipped with the reason logged and counted in files_skipped.
 *
 * <p>The zone only reads (scope drive.readonly): {@link Zone#move} leaves the file where it is, and
 * the ledger is what keeps a re-run from ingesting it again.
 */
public final class GoogleDriveIO {
  public static final String SCHEME = "gdrive://";
  public static final String DEFAULT_BASE_URL = "https://www.googleapis.com/drive/v3";

  /** The service-account key: the JSON text, or the path of the key file. */
  public static final String SERVICE_ACCOUNT_VARIABLE = "GDRIVE_SERVICE_ACCOUNT_JSON";

  /** An OAuth access token with a Drive scope, when there is no service account. */
  public static final String ACCESS_TOKEN_VARIABLE = "GDRIVE_ACCESS_TOKEN";

  /** Overrides {@link #DEFAULT_BASE_URL} (a proxy, or a loopback replay in tests). */
  public static final String BASE_URL_VARIABLE = "GDRIVE_BASE_URL";

  /** Overrides the key's token_uri. */
  public static final String TOKEN_URL_VARIABLE = "GDRIVE_TOKEN_URL";

  /** What to do with a Google Sheets file in the folder. */
  public enum SheetsHandling {
    /** Export it as XLSX (files.export; Drive refuses exports above 10 MB). */
    EXPORT_XLSX,
    /** Skip it, logging the reason. */
    SKIP
  }

  private static final Logger LOG = LoggerFactory.getLogger(GoogleDriveIO.class);

  private GoogleDriveIO() {}

  public static Zone landingZone() {
    return new AutoValue_GoogleDriveIO_Zone.Builder()
        .setBaseUrl(DEFAULT_BASE_URL)
        .setHttp(HttpClientConfiguration.create())
        .setPageSize(100)
        .setSheets(SheetsHandling.EXPORT_XLSX)
        .build();
  }

  public static boolean isDriveLocation(String location) {
    return location != null && location.startsWith(SCHEME);
  }

  /**
   * The zone a {@code --source gdrive://FOLDER_ID} names, configured from the environment: a
   * service-account key in {@value #SERVICE_ACCOUNT_VARIABLE} (preferred: it mints its own tokens)
   * or an access token in {@value #ACCESS_TOKEN_VARIABLE}; {@value #BASE_URL_VARIABLE} and {@value
   * #TOKEN_URL_VARIABLE} when set. Only the variables' names travel with the zone: workers read the
   * values themselves.
   */
  public static Zone fromEnvironment(String source) {
    return fromEnvironment(source, SecretSource.ENVIRONMENT);
  }

  /** {@link #fromEnvironment(String)} over another source of variables (tests). */
  public static Zone fromEnvironment(String source, SecretSource environment) {
    return fromEnvironment(source, environment, false);
  }

  /**
   * {@link #fromEnvironment(String, SecretSource)}; a plain http:// base or token URL to a host
   * other than loopback is refused ({@link PlainHttp}) unless {@code allowInsecureHttp}.
   */
  public static Zone fromEnvironment(
      String source, SecretSource environment, boolean allowInsecureHttp) {
    for (String variable : List.of(BASE_URL_VARIABLE, TOKEN_URL_VARIABLE)) {
      String url = environment.get(variable);
      if (!isBlank(url)) {
        try {
          PlainHttp.check(url.strip(), allowInsecureHttp, "--allow-insecure-http");
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(variable + ": " + e.getMessage(), e);
        }
      }
    }
    TokenProvider tokens;
    if (!isBlank(environment.get(SERVICE_ACCOUNT_VARIABLE))) {
      ServiceAccountTokenProvider account =
          ServiceAccountTokenProvider.fromEnvironment(SERVICE_ACCOUNT_VARIABLE)
              .withSecretSource(environment);
      String tokenUrl = environment.get(TOKEN_URL_VARIABLE);
      tokens = isBlank(tokenUrl) ? account : account.withTokenUrl(tokenUrl.strip());
    } else if (!isBlank(environment.get(ACCESS_TOKEN_VARIABLE))) {
      tokens =
          StaticTokenProvider.fromEnvironment(ACCESS_TOKEN_VARIABLE).withSecretSource(environment);
    } else {
      throw new IllegalArgumentException(
          "--source "
              + source
              + " needs Drive credentials: set "
              + SERVICE_ACCOUNT_VARIABLE
              + " to a service-account key (its JSON, or the key file's path) and share the folder"
              + " with the account's email, or set "
              + ACCESS_TOKEN_VARIABLE
              + " to an OAuth access token with the drive.readonly scope");
    }
    Zone zone = landingZone().withLocation(source).withTokenProvider(tokens);
    String baseUrl = environment.get(BASE_URL_VARIABLE);
    return isBlank(baseUrl) ? zone : zone.withBaseUrl(baseUrl.strip());
  }

  private static boolean isBlank(@Nullable String value) {
    return value == null || value.isBlank();
  }

  /** A Drive folder, listed and downloaded through the Drive API v3. */
  @AutoValue
  public abstract static class Zone implements LandingZone {
    private static final long serialVersionUID = 1L;

    @Nullable
    public abstract String folderId();

    public abstract String baseUrl();

    @Nullable
    abstract TokenProvider tokens();

    abstract HttpClientConfiguration http();

    abstract int pageSize();

    public abstract SheetsHandling sheets();

    abstract Builder toBuilder();

    /** {@code gdrive://FOLDER_ID}: the id at the end of the folder's URL in the browser. */
    public Zone withLocation(String location) {
      if (!isDriveLocation(location)) {
        throw new IllegalArgumentException(
            "withLocation() needs gdrive://FOLDER_ID, got " + location);
      }
      return withFolderId(location.substring(SCHEME.length()).replaceAll("/+$", ""));
    }

    public Zone withFolderId(String folderId) {
      if (folderId == null || !folderId.matches("[A-Za-z0-9_-]+")) {
        throw new IllegalArgumentException(
            "withFolderId() needs a Drive folder id (letters, digits, '-' and '_', as at the end"
                + " of https://drive.google.com/drive/folders/ID), got "
                + folderId);
      }
      return toBuilder().setFolderId(folderId).build();
    }

    /** The API's base URL, {@value GoogleDriveIO#DEFAULT_BASE_URL} unless overridden. */
    public Zone withBaseUrl(String baseUrl) {
      if (baseUrl == null || !(baseUrl.startsWith("https://") || baseUrl.startsWith("http://"))) {
        throw new IllegalArgumentException(
            "withBaseUrl() needs an http(s) URL such as " + DEFAULT_BASE_URL + ", got " + baseUrl);
      }
      URI.create(baseUrl);
      return toBuilder().setBaseUrl(baseUrl).build();
    }

    /**
     * Where the bearer token comes from: {@link ServiceAccountTokenProvider} or {@link
     * StaticTokenProvider}.
     */
    public Zone withTokenProvider(TokenProvider tokens) {
      if (tokens == null) {
        throw new IllegalArgumentException(
            "withTokenProvider() needs a provider, e.g. ServiceAccountTokenProvider"
                + ".fromEnvironment(\""
                + SERVICE_ACCOUNT_VARIABLE
                + "\")");
      }
      return toBuilder().setTokens(tokens).build();
    }

    public Zone withHttpClientConfiguration(HttpClientConfiguration http) {
      if (http == null) {
        throw new IllegalArgumentException("withHttpClientConfiguration() needs a configuration");
      }
      return toBuilder().setHttp(http).build();
    }

    /** Files per files.list page (1 to 1000; Drive's default is 100). */
    public Zone withPageSize(int pageSize) {
      if (pageSize < 1 || pageSize > 1000) {
        throw new IllegalArgumentException("withPageSize() needs 1 to 1000, got " + pageSize);
      }
      return toBuilder().setPageSize(pageSize).build();
    }

    public Zone withSheets(SheetsHandling sheets) {
      if (sheets == null) {
        throw new IllegalArgumentException("withSheets() needs EXPORT_XLSX or SKIP");
      }
      return toBuilder().setSheets(sheets).build();
    }

    DriveClient client() {
      checkComplete();
      return new DriveClient(baseUrl(), tokens(), http());
    }

    private void checkComplete() {
      if (folderId() == null) {
        throw new IllegalStateException(
            "Drive landing zone needs withLocation(gdrive://FOLDER_ID) or withFolderId()");
      }
      if (tokens() == null) {
        throw new IllegalStateException(
            "Drive landing zone needs withTokenProvider(): set "
                + SERVICE_ACCOUNT_VARIABLE
                + " or "
                + ACCESS_TOKEN_VARIABLE);
      }
    }

    /** The landing prefix of every file of the folder: {@code gdrive://FOLDER_ID/}. */
    public String prefix() {
      return SCHEME + folderId() + "/";
    }

    /** Every file in the folder, readable or not; see {@link DriveFile#skipReason}. */
    public List<DriveFile> list() throws IOException {
      return client().list(folderId(), pageSize());
    }

    /**
     * A client to fetch many files with one token (a service account mints one per client, not per
     * file); open it in a DoFn's {@code @Setup}.
     */
    public Downloader downloader() {
      return new Downloader(this, client());
    }

    /** One file's current metadata by its id (a retry downloads a failed file again by it). */
    public DriveFile file(String fileId) throws IOException {
      return client().metadata(fileId);
    }

    /**
     * The file as it lands: downloaded, or for a Sheet exported as XLSX. The checksum is the MD5 of
     * the bytes (a Sheet: of its id and modifiedTime, see the class comment).
     */
    public LandedFile fetch(DriveFile file) throws IOException {
      return fetch(client(), file);
    }

    LandedFile fetch(DriveClient client, DriveFile file) throws IOException {
      long landedAt = file.modifiedTime().toEpochMilli();
      if (file.isSheet()) {
        byte[] content = client.export(file, DriveFile.XLSX_MIME);
        String version =
            Checksums.md5Hex(
                ("gdrive-sheet:" + file.id() + "@" + file.modifiedTime())
                    .getBytes(StandardCharsets.UTF_8));
        return LandedFile.create(
            prefix(), file.landedName(), content, content.length, version, landedAt);
      }
      byte[] content = client.download(file);
      String checksum = Checksums.md5Hex(content);
      if (file.md5Checksum() != null && !file.md5Checksum().equalsIgnoreCase(checksum)) {
        // Replaced between the listing and the download: the bytes we have are the newer
        // version, and their own checksum is what the ledger must know them by.
        LOG.info(
            "Drive file '{}' (id {}) changed after it was listed; reading the new version",
            file.name(),
            file.id());
      }
      return LandedFile.create(prefix(), file.landedName(), content, landedAt);
    }

    @Override
    public PTransform<PBegin, PCollection<LandedFile>> read() {
      checkComplete();
      return new ReadDriveFolder(this);
    }

    /**
     * Lists the folder every {@code pollInterval}; each new file, and each new version of a file
     * (new md5Checksum, or a Sheet's new modifiedTime), is read once.
     */
    @Override
    public PTransform<PBegin, PCollection<LandedFile>> watch(org.joda.time.Duration pollInterval) {
      checkComplete();
      return new WatchDriveFolder(this, pollInterval);
    }

    @Override
    public void checkReadable() throws IOException {
      client().checkListable(folderId());
    }

    /**
     * Leaves the file in place: the zone reads with drive.readonly and never changes the folder
     * (moving needs write access to the user's folder); the file ledger, keyed by checksum, is what
     * keeps a file from being ingested twice.
     */
    @Override
    public void move(String path, String destination) {
      LOG.debug("Drive zone leaves {} in place (read-only)", path);
    }

    @Override
    public String describe() {
      return SCHEME + folderId();
    }

    @Override
    public final String toString() {
      return "DriveLandingZone{" + describe() + "}";
    }

    @AutoValue.Builder
    abstract static class Builder {
      abstract Builder setFolderId(String value);

      abstract Builder setBaseUrl(String value);

      abstract Builder setTokens(TokenProvider value);

      abstract Builder setHttp(HttpClientConfiguration value);

      abstract Builder setPageSize(int value);

      abstract Builder setSheets(SheetsHandling value);

      abstract Zone build();
    }
  }

  /** {@link Zone#fetch} over one client, kept between files. */
  public static final class Downloader {
    private final Zone zone;
    private final DriveClient client;

    Downloader(Zone zone, DriveClient client) {
      this.zone = zone;
      this.client = client;
    }

    /** The file's bytes as they land (a Sheet exported as XLSX); see {@link Zone#fetch}. */
    public LandedFile fetch(DriveFile file) throws IOException {
      return zone.fetch(client, file);
    }
  }

  /** Lists the folder once, spreads the files out, and downloads each. */
  static final class ReadDriveFolder extends PTransform<PBegin, PCollection<LandedFile>> {
    private static final long serialVersionUID = 1L;
    private final Zone zone;

    ReadDriveFolder(Zone zone) {
      this.zone = zone;
    }

    @Override
    public PCollection<LandedFile> expand(PBegin input) {
      return input
          .apply("StartListing", Create.of(zone.describe()))
          .apply("ListDriveFolder", ParDo.of(new ListDriveFolderFn(zone)))
          .apply("SpreadDownloads", Reshuffle.viaRandomKey())
          .apply("DownloadDriveFiles", ParDo.of(new DownloadDriveFileFn(zone)));
    }
  }

  /** Polls the folder with Beam's Watch, keyed by file version, and downloads what is new. */
  static final class WatchDriveFolder extends PTransform<PBegin, PCollection<LandedFile>> {
    private static final long serialVersionUID = 1L;
    private final Zone zone;
    private final org.joda.time.Duration pollInterval;

    WatchDriveFolder(Zone zone, org.joda.time.Duration pollInterval) {
      this.zone = zone;
      this.pollInterval = pollInterval;
    }

    @Override
    public PCollection<LandedFile> expand(PBegin input) {
      return input
          .apply("StartWatching", Create.of(zone.describe()))
          .apply(
              "PollDriveFolder",
              Watch.growthOf(
                      org.apache.beam.sdk.transforms.Contextful.of(
                          new PollDriveFolder(zone),
                          org.apache.beam.sdk.transforms.Requirements.empty()),
                      (DriveFile file) -> file.versionKey())
                  .withOutputKeyCoder(StringUtf8Coder.of())
                  .withPollInterval(pollInterval)
                  .withTerminationPerInput(Watch.Growth.never()))
          .apply("NewVersions", Values.create())
          .apply("SpreadDownloads", Reshuffle.viaRandomKey())
          .apply("DownloadDriveFiles", ParDo.of(new DownloadDriveFileFn(zone)));
    }
  }

  /** The readable files of the folder; the others are logged with their reason and counted. */
  static List<DriveFile> readableFiles(Zone zone, List<DriveFile> listed, Counter skipped) {
    List<DriveFile> readable = new ArrayList<>();
    for (DriveFile file : listed) {
      java.util.Optional<String> reason = file.skipReason(zone.sheets());
      if (reason.isEmpty() && !FolderLayout.isLandedName(file.landedName())) {
        reason = java.util.Optional.of("a temporary or hidden name");
      }
      if (reason.isPresent()) {
        LOG.info(
            "Skipping Drive file '{}' (id {}) in {}: {}",
            file.name(),
            file.id(),
            zone.describe(),
            reason.get());
        skipped.inc();
      } else {
        readable.add(file);
      }
    }
    return readable;
  }

  /** One poll of the folder for Watch: every readable file, as of now. */
  static final class PollDriveFolder extends Watch.Growth.PollFn<String, DriveFile> {
    private static final long serialVersionUID = 1L;
    private final Zone zone;
    private final Counter skipped = RunMetric.FILES_SKIPPED.counter();
    private transient DriveClient client;

    PollDriveFolder(Zone zone) {
      this.zone = zone;
    }

    @Override
    public Watch.Growth.PollResult<DriveFile> apply(String folder, Context c) throws Exception {
      return Watch.Growth.PollResult.incomplete(org.joda.time.Instant.now(), poll());
    }

    /**
     * The readable files now; Watch emits those whose version key it has not seen. The client (and
     * its token) is kept between polls, so a service account does not mint a token per poll.
     */
    List<DriveFile> poll() throws IOException {
      if (client == null) {
        client = zone.client();
      }
      return readableFiles(zone, client.list(zone.folderId(), zone.pageSize()), skipped);
    }
  }

  static final class ListDriveFolderFn extends DoFn<String, DriveFile> {
    private static final long serialVersionUID = 1L;
    private final Counter skipped = RunMetric.FILES_SKIPPED.counter();
    private final Zone zone;

    ListDriveFolderFn(Zone zone) {
      this.zone = zone;
    }

    @ProcessElement
    public void process(OutputReceiver<DriveFile> out) throws IOException {
      for (DriveFile file : readableFiles(zone, zone.list(), skipped)) {
        out.output(file);
      }
    }
  }

  static final class DownloadDriveFileFn extends DoFn<DriveFile, LandedFile> {
    private static final long serialVersionUID = 1L;
    private final Counter read = RunMetric.FILES_READ.counter();
    private final Zone zone;
    private transient DriveClient client;

    DownloadDriveFileFn(Zone zone) {
      this.zone = zone;
    }

    @Setup
    public void setup() {
      client = zone.client();
    }

    @ProcessElement
    public void process(@Element DriveFile file, OutputReceiver<LandedFile> out)
        throws IOException {
      LandedFile landed = zone.fetch(client, file);
      read.inc();
      out.output(landed);
    }
  }
}
