package dev.medallion.ops.db;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import javax.annotation.Nullable;

/**
 * Where the medallion tables live: a JDBC URL and its credentials. The one reusable database
 * configuration of the project, in the manner of JdbcIO's {@code DataSourceConfiguration}.
 *
 * <p>{@link #toString()} never shows the password, so a target can be logged safely.
 */
@AutoValue
public abstract class JdbcTarget implements Serializable {
  private static final long serialVersionUID = 1L;

  public abstract String url();

  @Nullable
  public abstract String user();

  @Nullable
  abstract String password();

  /** A worker that receives a target learns its password too, to mask it in what it writes. */
  protected Object readResolve() {
    dev.medallion.ops.Redactor.process().register(password());
    return this;
  }

  public static JdbcTarget of(String url, @Nullable String user, @Nullable String password) {
    if (url == null || !url.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException(
          "JDBC URL must start with jdbc:postgresql: (got '"
              + redactUrl(url)
              + "'). "
              + "Pass --jdbc-url jdbc:postgresql://HOST:PORT/DB, or leave it out to use the embedded PostgreSQL.");
    }
    dev.medallion.ops.Redactor.process().register(password);
    return new AutoValue_JdbcTarget(url, user, password);
  }

  /** The same database with one more connection parameter, e.g. reWriteBatchedInserts=true. */
  public JdbcTarget withUrlParameter(String name, String value) {
    return of(url() + (url().contains("?") ? "&" : "?") + name + "=" + value, user(), password());
  }

  /** Another database on the same server, with the same credentials. */
  public JdbcTarget withDatabase(String database) {
    if (database == null || !database.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new IllegalArgumentException(
          "withDatabase() needs a plain database name, got " + database);
    }
    return of(
        url().replaceFirst("^(jdbc:postgresql://[^/]*/)[^?]*", "$1" + database),
        user(),
        password());
  }

  /** The password, for the pool only. */
  @Nullable
  String secret() {
    return password();
  }

  @Override
  public final String toString() {
    return "JdbcTarget{" + redactUrl(url()) + (user() == null ? "" : ", user=" + user()) + "}";
  }

  /** Removes a password given inside the URL's query string. */
  public static String redactUrl(@Nullable String url) {
    if (url == null) {
      return "null";
    }
    return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
  }
}
