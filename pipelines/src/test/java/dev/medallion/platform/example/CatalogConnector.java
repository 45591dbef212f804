package dev.medallion.platform.example;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.medallion.io.api.ApiConnector;
import dev.medallion.io.api.ApiPage;
import dev.medallion.io.api.ApiRequest;
import dev.medallion.io.api.NaturalKey;
import dev.medallion.io.http.FailureType;
import dev.medallion.io.http.HttpFailure;
import dev.medallion.io.http.StaticTokenProvider;
import dev.medallion.io.http.TokenProvider;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An example API connector: {@code GET /items?page=N} answers {@code {"items": [...], "next_page":
 * N+1}} ({@code null} on the last page), with a bearer token from the environment variable {@value
 * #TOKEN_VARIABLE}. All a connector says: the first request, how to read a page and find the next,
 * the natural key, the token provider.
 */
final class CatalogConnector implements ApiConnector {
  private static final long serialVersionUID = 1L;
  private static final ObjectMapper MAPPER = new ObjectMapper();
  static final String BASE_URL = "https://catalog.example.com/api";
  static final String ITEMS = "items";
  static final String TOKEN_VARIABLE = "CATALOG_TOKEN";

  /** Stands in for the environment in tests, which cannot set a variable of their own JVM. */
  static final Map<String, String> TEST_ENVIRONMENT = new ConcurrentHashMap<>();

  @Override
  public String defaultBaseUrl() {
    return BASE_URL;
  }

  @Override
  public List<ApiRequest> requests() {
    return List.of(page(1));
  }

  private static ApiRequest page(int number) {
    return ApiRequest.create(ITEMS, "/items", "page=" + number, Integer.toString(number));
  }

  @Override
  public ApiPage readPage(ApiRequest request, byte[] body) throws HttpFailure {
    JsonNode json;
    try {
      json = MAPPER.readTree(body);
    } catch (IOException e) {
      throw new HttpFailure(
          FailureType.DATA, 200, "GET " + request.describe() + " returned malformed JSON", e);
    }
    if (json == null || !json.path(ITEMS).isArray()) {
      throw new HttpFailure(
          FailureType.DATA, 200, "GET " + request.describe() + " has no items array");
    }
    List<JsonNode> rows = new ArrayList<>();
    json.get(ITEMS).forEach(rows::add);
    JsonNode next = json.get("next_page");
    return next == null || next.isNull()
        ? ApiPage.of(rows)
        : ApiPage.of(rows).thenFetch(page(next.asInt()));
  }

  @Override
  public NaturalKey naturalKey(String stream) {
    return NaturalKey.of("id");
  }

  @Override
  public TokenProvider tokenProvider() {
    return StaticTokenProvider.fromEnvironment(TOKEN_VARIABLE)
        .withSecretSource(CatalogConnector::secret);
  }

  static String secret(String name) {
    String value = TEST_ENVIRONMENT.get(name);
    return value != null ? value : System.getenv(name);
  }
}
