package dev.medallion.io.gdrive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.medallion.io.http.FailureType;
import dev.medallion.io.http.HttpClientConfiguration;
import dev.medallion.io.http.HttpFailure;
import dev.medallion.io.http.RetryingHttpClient;
import dev.medallion.io.http.TokenProvider;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The three Drive API v3 calls a landing zone needs: files.list of one folder (paged), files.get
 * with {@code alt=media}, and files.export of a Sheet as XLSX. Every request carries the token
 * provider's bearer token; {@link RetryingHttpClient} refreshes it once on a 401 and retries 429s
 * and 5xx, and, told by {@link #isRateLimit}, Drive's 403 quota errors as well.
 */
final class DriveClient {
  private static final Logger LOG = LoggerFactory.getLogger(DriveClient.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  static final String LIST_FIELDS =
      "nextPageToken,files(id,name,mimeType,modifiedTime,md5Checksum,size,parents)";

  /** The reasons Drive gives for quota errors, with HTTP 403 or 429 (developers' limits guide). */
  static final Set<String> RATE_LIMIT_REASONS =
      Set.of("userRateLimitExceeded", "rateLimitExceeded");

  private final String baseUrl;
  private final TokenProvider tokens;
  private final RetryingHttpClient http;

  DriveClient(String baseUrl, TokenProvider tokens, HttpClientConfiguration configuration) {
    this.baseUrl = baseUrl.replaceAll("/+$", "");
    this.tokens = tokens;
    tokens.open(configuration);
    this.http = new RetryingHttpClient(configuration, tokens, DriveClient::isRateLimit);
  }

  /** A 403 whose error reason is a quota one; any other 403 (no access) is not retried. */
  static boolean isRateLimit(int status, byte[] body) {
    if (status != 403) {
      return false;
    }
    return RATE_LIMIT_REASONS.contains(errorReason(body));
  }

  /**
   * Every file directly in the folder and not trashed, oldest change first, following nextPageToken
   * until a page comes without one. Drive may refuse a page token it issued (it expires): the
   * listing then starts again from the first page, once.
   */
  List<DriveFile> list(String folderId, int pageSize) throws IOException {
    boolean restarted = false;
    List<DriveFile> files = new ArrayList<>();
    String pageToken = null;
    while (true) {
      Map<String, String> query = new LinkedHashMap<>();
      query.put("q", "'" + folderId.replace("'", "\\'") + "' in parents and trashed=false");
      query.put("fields", LIST_FIELDS);
      query.put("pageSize", Integer.toString(pageSize));
      query.put("orderBy", "modifiedTime");
      if (pageToken != null) {
        query.put("pageToken", pageToken);
      }
      RetryingHttpClient.Response response = http.get(uri("/files", query), Map.of());
      if (response.status() == 400 && pageToken != null && !restarted) {
        LOG.warn(
            "Drive refused the page token while listing folder {}; listing again from page 1",
            folderId);
        restarted = true;
        files.clear();
        pageToken = null;
        continue;
      }
      JsonNode page = json(response, "list folder " + folderId);
      for (JsonNode file : page.path("files")) {
        files.add(parse(file, folderId));
      }
      JsonNode next = page.get("nextPageToken");
      if (next == null || next.isNull() || next.asText().isEmpty()) {
        return files;
      }
      pageToken = next.asText();
    }
  }

  /** The first page only (one file), to check that the folder can be listed at all. */
  void checkListable(String folderId) throws IOException {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("q", "'" + folderId.replace("'", "\\'") + "' in parents and trashed=false");
    query.put("fields", LIST_FIELDS);
    query.put("pageSize", "1");
    json(http.get(uri("/files", query), Map.of()), "list folder " + folderId);
  }

  static final String FILE_FIELDS = "id,name,mimeType,modifiedTime,md5Checksum,size";

  /**
   * One file's metadata by its id (files.get with the listing's fields): what a retry needs to
   * download a failed file again, in its current version.
   */
  DriveFile metadata(String fileId) throws IOException {
    JsonNode file =
        json(
            http.get(uri("/files/" + encode(fileId), Map.of("fields", FILE_FIELDS)), Map.of()),
            "read the metadata of file " + fileId);
    return parse(file, "(file " + fileId + ")");
  }

  /** The bytes of a binary file (files.get with alt=media). */
  byte[] download(DriveFile file) throws IOException {
    RetryingHttpClient.Response response =
        http.get(uri("/files/" + encode(file.id()), Map.of("alt", "media")), Map.of());
    check(response, "download " + describe(file));
    return response.body();
  }

  /** A Google-native file exported as {@code mimeType} (files.export; Drive caps it at 10 MB). */
  byte[] export(DriveFile file, String mimeType) throws IOException {
    RetryingHttpClient.Response response =
        http.get(
            uri("/files/" + encode(file.id()) + "/export", Map.of("mimeType", mimeType)), Map.of());
    check(response, "export " + describe(file) + " as " + mimeType);
    return response.body();
  }

  private static String describe(DriveFile file) {
    return "'" + file.name() + "' (id " + file.id() + ")";
  }

  private static DriveFile parse(JsonNode file, String folderId) throws HttpFailure {
    String id = file.path("id").asText("");
    String modified = file.path("modifiedTime").asText("");
    if (id.isEmpty() || modified.isEmpty()) {
      throw new HttpFailure(
          FailureType.DATA,
          200,
          "Drive listed a file of folder "
              + folderId
              + " without id or modifiedTime: ask for fields "
              + LIST_FIELDS);
    }
    Instant modifiedTime;
    try {
      modifiedTime = Instant.parse(modified);
    } catch (DateTimeParseException e) {
      throw new HttpFailure(
          FailureType.DATA,
          200,
          "Drive listed file " + id + " with a modifiedTime that is not RFC 3339: " + modified,
          e);
    }
    JsonNode size = file.get("size");
    Long bytes = null;
    if (size != null && !size.isNull()) {
      try {
        bytes = Long.parseLong(size.asText()); // int64 arrives as a JSON string
      } catch (NumberFormatException e) {
        throw new HttpFailure(
            FailureType.DATA, 200, "Drive listed file " + id + " with size " + size, e);
      }
    }
    JsonNode md5 = file.get("md5Checksum");
    return new DriveFile(
        id,
        file.path("name").asText(id),
        file.path("mimeType").asText(""),
        modifiedTime,
        md5 == null || md5.isNull() ? null : md5.asText(),
        bytes);
  }

  private JsonNode json(RetryingHttpClient.Response response, String what) throws IOException {
    check(response, what);
    try {
      return MAPPER.readTree(response.body());
    } catch (IOException e) {
      throw new HttpFailure(
          FailureType.DATA,
          response.status(),
          "Drive " + what + " returned a body that is not JSON" + snippet(response),
          e);
    }
  }

  private void check(RetryingHttpClient.Response response, String what) throws HttpFailure {
    int status = response.status();
    if (status < 400) {
      return;
    }
    String reason = errorReason(response.body());
    String advice =
        switch (status) {
          case 401 -> " The credential is refused: check the service-account key or access token.";
          case 403 ->
              "fileNotDownloadable".equals(reason)
                  ? " It is a Google-native file: it can only be exported."
                  : " The credential lacks access: share the folder with the service account's"
                      + " email (Viewer is enough) and grant the drive.readonly scope.";
          case 404 ->
              " Check the id, and that the folder is shared with the service account's email.";
          default -> "";
        };
    throw new HttpFailure(
        status == 401 || status == 403 && !"fileNotDownloadable".equals(reason)
            ? FailureType.AUTHENTICATION
            : FailureType.DATA,
        status,
        "Drive refused to "
            + what
            + ": HTTP "
            + status
            + (reason.isEmpty() ? "" : " " + reason)
            + snippet(response)
            + "."
            + advice);
  }

  private String snippet(RetryingHttpClient.Response response) {
    String message = "";
    try {
      message = MAPPER.readTree(response.body()).path("error").path("message").asText("");
    } catch (IOException notJson) {
      message = response.bodyText();
    }
    return tokens.mask(RetryingHttpClient.snippet(message));
  }

  /** errors[0].reason of a Drive error body, or "" when there is none. */
  static String errorReason(@Nullable byte[] body) {
    if (body == null || body.length == 0) {
      return "";
    }
    try {
      JsonNode errors = MAPPER.readTree(body).path("error").path("errors");
      for (JsonNode error : errors) {
        String reason = error.path("reason").asText("");
        if (!reason.isEmpty()) {
          return reason;
        }
      }
    } catch (IOException notJson) {
      // no reason to read
    }
    return "";
  }

  private URI uri(String path, Map<String, String> query) {
    String encoded =
        query.entrySet().stream()
            .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
            .collect(Collectors.joining("&"));
    return URI.create(baseUrl + path + (encoded.isEmpty() ? "" : "?" + encoded));
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
