package dev.medallion.bench;

import dev.medallion.ops.db.ConnectionPool;
import dev.medallion.ops.db.JdbcTarget;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.stream.Stream;
import javax.annotation.Nullable;

/**
 * The CPU time a run took, on both sides of the wire: this JVM (every thread, Flink's embedded
 * workers included) and the PostgreSQL server, when it runs on this machine. On two cores shared by
 * both, the wall time of a run can be no less than half their sum, which is what bounds a Beam run
 * against the one-thread program.
 */
final class CpuSeconds {
  private static final long CLOCK_TICKS_PER_SECOND = 100;

  private final @Nullable Long postmasterPid;

  private CpuSeconds(@Nullable Long postmasterPid) {
    this.postmasterPid = postmasterPid;
  }

  /** Finds the server's postmaster through a backend's parent; none when the server is remote. */
  static CpuSeconds of(JdbcTarget target) {
    try (Connection c = ConnectionPool.forTarget(target).getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      Path status = Path.of("/proc", Long.toString(rs.getLong(1)), "status");
      if (!Files.isReadable(status)) {
        return new CpuSeconds(null);
      }
      try (Stream<String> lines = Files.lines(status)) {
        return new CpuSeconds(
            lines
                .filter(l -> l.startsWith("PPid:"))
                .map(l -> Long.parseLong(l.substring(5).strip()))
                .findFirst()
                .orElse(null));
      }
    } catch (SQLException | IOException | RuntimeException e) {
      return new CpuSeconds(null);
    }
  }

  /** A reading now. */
  Reading read() {
    return new Reading(jvmNanos(), postgresTicks());
  }

  record Reading(long jvmNanos, OptionalLong postgresTicks) {
    /** "CPU s: JVM 12.3, PostgreSQL 4.5" from this reading to {@code later}. */
    String until(Reading later) {
      String jvm = String.format(Locale.ROOT, "CPU s: JVM %.1f", (later.jvmNanos - jvmNanos) / 1e9);
      if (postgresTicks.isEmpty() || later.postgresTicks.isEmpty()) {
        return jvm;
      }
      return jvm
          + String.format(
              Locale.ROOT,
              ", PostgreSQL %.1f",
              (later.postgresTicks.getAsLong() - postgresTicks.getAsLong())
                  / (double) CLOCK_TICKS_PER_SECOND);
    }
  }

  private static long jvmNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /**
   * The postmaster's own time, its ended children's (every closed session) and its living
   * children's: all the server's CPU so far.
   */
  private OptionalLong postgresTicks() {
    if (postmasterPid == null) {
      return OptionalLong.empty();
    }
    try {
      long total = ticks(postmasterPid, true);
      try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
        for (Path proc : (Iterable<Path>) procs::iterator) {
          String name = proc.getFileName().toString();
          if (name.chars().allMatch(Character::isDigit) && parentOf(proc) == postmasterPid) {
            total += ticks(Long.parseLong(name), false);
          }
        }
      }
      return OptionalLong.of(total);
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
  }

  private static long parentOf(Path proc) {
    try {
      return Long.parseLong(fields(Files.readString(proc.resolve("stat")))[1]);
    } catch (IOException | RuntimeException gone) {
      return -1;
    }
  }

  /** utime + stime (+ cutime + cstime) from /proc/PID/stat. */
  private static long ticks(long pid, boolean withEndedChildren) {
    try {
      String[] f = fields(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
      // After "pid (comm)": state is f[0], ppid f[1], ..., utime f[11], stime f[12], cutime f[13],
      // cstime f[14].
      long own = Long.parseLong(f[11]) + Long.parseLong(f[12]);
      return withEndedChildren ? own + Long.parseLong(f[13]) + Long.parseLong(f[14]) : own;
    } catch (IOException | RuntimeException gone) {
      return 0; // a session that ended between the listing and the read: its parent counts it
    }
  }

  /** The fields after the command name, which may itself hold spaces and parentheses. */
  private static String[] fields(String stat) {
    return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
  }
}
