package dev.medallion.io.files;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Content checksums shared by every landing zone. */
public final class Checksums {
  private Checksums() {}

  public static String md5Hex(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("This JVM has no MD5", e);
    }
  }
}
