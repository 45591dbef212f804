package dev.medallion.platform;

import dev.medallion.io.http.PlainHttp;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** How an API pipeline's requests may wait and which URLs they may use. */
public interface ApiRequestOptions extends PipelineOptions {
  @Description(
      "The longest wait between two attempts of a request, in seconds: a longer backoff is cut to it,"
          + " and a request whose server asks for a longer Retry-After fails as rate limited for this"
          + " run and is asked again by the next one.")
  @Default.Long(300)
  long getMaxRetryWaitSeconds();

  void setMaxRetryWaitSeconds(long value);

  @Description(PlainHttp.ALLOW_FLAG_DESCRIPTION)
  @Default.Boolean(false)
  boolean getAllowInsecureHttp();

  void setAllowInsecureHttp(boolean value);
}
