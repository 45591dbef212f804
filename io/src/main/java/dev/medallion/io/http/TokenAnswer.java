package dev.medallion.io.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.function.UnaryOperator;
import javax.annotation.Nullable;

/**
 * What a token endpoint answered to a refresh: the new access token and, when the server rotated
 * it, the new refresh token (null when it kept the old one).
 */
public record TokenAnswer(String accessToken, @Nullable String refreshToken) {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * Reads a refresh answer once invalid_grant has been ruled out: any status but 200 is a refusal
   * quoting the body through {@code mask} (so no token reaches a message), and a 200 must be JSON
   * with an access_token.
   */
  public static TokenAnswer read(
      String target, RetryingHttpClient.Response response, UnaryOperator<String> mask)
      throws HttpFailure {
    if (response.status() != 200) {
      throw new HttpFailure(
          FailureType.AUTHENTICATION,
          response.status(),
          target
              + " refused the refresh token (HTTP "
              + response.status()
              + ")"
              + mask.apply(RetryingHttpClient.snippet(response.bodyText())));
    }
    JsonNode body;
    try {
      body = MAPPER.readTree(response.body());
    } catch (IOException e) {
      throw new HttpFailure(
          FailureType.AUTHENTICATION, 200, target + " returned a body that is not JSON");
    }
    String fresh = body == null ? null : body.path("access_token").asText(null);
    if (fresh == null || fresh.isBlank()) {
      throw new HttpFailure(FailureType.AUTHENTICATION, 200, target + " returned no access_token");
    }
    String rotated = body.path("refresh_token").asText(null);
    return new TokenAnswer(fresh, rotated == null || rotated.isBlank() ? null : rotated);
  }
}
