package dev.medallion.io.http;

import java.net.InetAddress;
import java.net.URI;
import java.util.Locale;

/**
 * Plain {@code http://} is for this machine only: an API or storage URL with another host would
 * send tokens, service keys and data across the network unencrypted. Such a URL is refused unless
 * the run allows it explicitly (a flag), e.g. for a proxy on a trusted network.
 */
public final class PlainHttp {
  /** The flag's description, the same for every pipeline that reads over HTTP. */
  public static final String ALLOW_FLAG_DESCRIPTION =
      "Allow plain http:// API and storage URLs to hosts other than this machine (loopback is always"
          + " allowed); without it such a URL is refused, as it would send credentials unencrypted.";

  private PlainHttp() {}

  /**
   * Throws naming the URL and the flag when {@code url} is http:// to a host other than loopback
   * and {@code allowed} is false.
   */
  public static void check(String url, boolean allowed, String flag) {
    if (allowed || url == null || !url.strip().toLowerCase(Locale.ROOT).startsWith("http://")) {
      return;
    }
    String host = URI.create(url.strip()).getHost();
    if (host != null && isLoopback(host)) {
      return;
    }
    throw new IllegalArgumentException(
        url.replaceAll("//[^/@]*@", "//")
            + " is plain http:// to "
            + host
            + ", which would send credentials and data unencrypted: use https://, or pass "
            + flag
            + " to allow it");
  }

  /** localhost, 127.0.0.0/8 and ::1, without a DNS lookup. */
  static boolean isLoopback(String host) {
    String name = host.toLowerCase(Locale.ROOT).replaceAll("^\\[|\\]$", "");
    if (name.equals("localhost") || name.endsWith(".localhost")) {
      return true;
    }
    if (!name.matches("[0-9.]+|[0-9a-f:]+")) {
      return false;
    }
    try {
      return InetAddress.getByName(name).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }
}
