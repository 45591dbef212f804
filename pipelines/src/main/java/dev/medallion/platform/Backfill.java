package dev.medallion.platform;

import dev.medallion.ops.BusinessDates;
import dev.medallion.ops.RunRecorder;
import dev.medallion.ops.RunStatus;
import dev.medallion.ops.db.JdbcTarget;
import dev.medallion.pipelines.MedallionOptions;
import java.io.PrintStream;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a pipeline once per business date of a range ({@code medallion backfill}), through the same
 * {@link JobRunner} as any run (the pipeline's lock, run history with the date, events, checks).
 * Which dates run comes from the run history:
 *
 * <ul>
 *   <li>by default every date without a succeeded run (never run, or failed), and a date whose
 *       succeeded run left no gold rows when the definition can count them;
 *   <li>{@link Selection#ONLY_MISSING}: dates never run, and dates whose succeeded run left no gold
 *       rows;
 *   <li>{@link Selection#ONLY_FAILED}: dates that were run and never succeeded;
 *   <li>{@code force}: every date.
 * </ul>
 *
 * A date that fails does not stop the others.
 */
public final class Backfill {
  /** Longest range one backfill takes (ten years of days). */
  static final long MAX_DATES = 3660;

  /** Which dates to run besides the default. */
  public enum Selection {
    NOT_SUCCEEDED,
    ONLY_MISSING,
    ONLY_FAILED
  }

  /** Where a date stands before the backfill. */
  public enum DateState {
    /** No run recorded. */
    MISSING,
    /** Run, never succeeded. */
    FAILED,
    /** A succeeded run, but no gold rows for the date. */
    EMPTY,
    SUCCEEDED
  }

  /** The dates to run and where every date of the range stands. */
  public record DatePlan(List<LocalDate> toRun, Map<LocalDate, DateState> states) {}

  /** How the backfill went: the dates run and those that failed. */
  public record Result(List<LocalDate> ran, List<LocalDate> failed, int skipped) {
    public boolean succeeded() {
      return failed.isEmpty();
    }
  }

  private final JobRunner runner;
  private final JdbcTarget target;
  private final PrintStream out;

  public Backfill(JobRunner runner, JdbcTarget target, PrintStream out) {
    this.runner = runner;
    this.target = target;
    this.out = out;
  }

  /** Checks the range and the pipeline; a {@link UsageError} names what is wrong. */
  public static void check(
      PipelineDefinition<?> definition,
      LocalDate from,
      LocalDate to,
      Selection selection,
      boolean force) {
    List<String> problems = new ArrayList<>();
    if (!definition.supportsBusinessDate()) {
      problems.add(
          "the "
              + definition.name()
              + " pipeline does not support business dates (it takes what its source has, not one"
              + " date at a time), so it cannot be backfilled; pipelines that do: "
              + String.join(
                  ", ",
                  PipelineRegistry.load().all().stream()
                      .filter(PipelineDefinition::supportsBusinessDate)
                      .map(PipelineDefinition::name)
                      .toList()));
    }
    if (to.isBefore(from)) {
      problems.add("--to " + to + " is before --from " + from);
    } else if (ChronoUnit.DAYS.between(from, to) + 1 > MAX_DATES) {
      problems.add("--from " + from + " --to " + to + ": at most " + MAX_DATES + " dates at once");
    }
    if (force && selection != Selection.NOT_SUCCEEDED) {
      problems.add("--force runs every date: leave out --only-missing and --only-failed");
    }
    if (!problems.isEmpty()) {
      throw new UsageError(String.join("\n", problems));
    }
  }

  /** Where each date of the range stands, and which of them this backfill runs. */
  public DatePlan plan(
      PipelineDefinition<?> definition,
      LocalDate from,
      LocalDate to,
      Selection selection,
      boolean force) {
    Map<LocalDate, BusinessDates.DateRuns> runs =
        new BusinessDates(target).between(definition.name(), from, to);
    Optional<String> rowsQuery = definition.businessDateRowsQuery();
    Map<LocalDate, DateState> states = new java.util.LinkedHashMap<>();
    List<LocalDate> toRun = new ArrayList<>();
    for (LocalDate date = from; !date.isAfter(to); date = date.plusDays(1)) {
      BusinessDates.DateRuns dateRuns = runs.get(date);
      DateState state;
      if (dateRuns == null) {
        state = DateState.MISSING;
      } else if (!dateRuns.succeeded()) {
        state = DateState.FAILED;
      } else if (rowsQuery.isPresent()
          && new BusinessDates(target).rows(rowsQuery.get(), date) == 0) {
        state = DateState.EMPTY;
      } else {
        state = DateState.SUCCEEDED;
      }
      states.put(date, state);
      boolean run =
          force
              || switch (selection) {
                case ONLY_MISSING -> state == DateState.MISSING || state == DateState.EMPTY;
                case ONLY_FAILED -> state == DateState.FAILED;
                default -> state != DateState.SUCCEEDED;
              };
      if (run) {
        toRun.add(date);
      }
    }
    return new DatePlan(toRun, states);
  }

  /** A checked backfill: its dates and each date's planned run, nothing started yet. */
  public record Prepared<O extends MedallionOptions>(
      PipelineDefinition<O> definition,
      LocalDate from,
      LocalDate to,
      DatePlan plan,
      List<JobRunner.Plan<O>> runs) {}

  /**
   * Runs the planned dates in order, each as {@code request} with {@code --businessDate=DATE},
   * printing "dates done N of M" after each.
   */
  public <O extends MedallionOptions> Result run(
      PipelineDefinition<O> definition,
      RunRequest request,
      LocalDate from,
      LocalDate to,
      Selection selection,
      boolean force) {
    Prepared<O> prepared = prepare(definition, request, from, to, selection, force);
    List<String> runIds = new ArrayList<>();
    prepared.runs().forEach(r -> runIds.add(RunRecorder.newRunId(definition.name())));
    return execute(prepared, runIds, (i, outcome) -> {});
  }

  /**
   * Checks the range and every date's run (a {@link UsageError} names what is wrong; nothing is
   * started) and prints the plan.
   */
  public <O extends MedallionOptions> Prepared<O> prepare(
      PipelineDefinition<O> definition,
      RunRequest request,
      LocalDate from,
      LocalDate to,
      Selection selection,
      boolean force) {
    check(definition, from, to, selection, force);
    DatePlan plan = plan(definition, from, to, selection, force);
    int total = plan.states().size();
    out.printf(
        "Backfill %s %s..%s: %d of %d date(s) to run%s%s%n",
        definition.name(),
        from,
        to,
        plan.toRun().size(),
        total,
        force
            ? " (--force)"
            : switch (selection) {
              case ONLY_MISSING -> " (--only-missing: never run, or no gold rows)";
              case ONLY_FAILED -> " (--only-failed: run and never succeeded)";
              default -> " (every date without a succeeded run)";
            },
        plan.toRun().isEmpty()
            ? ""
            : ": " + String.join(", ", plan.toRun().stream().map(LocalDate::toString).toList()));
    // Checked once for the whole range before the first date runs, so bad flags start nothing.
    List<JobRunner.Plan<O>> plans = new ArrayList<>();
    for (LocalDate date : plan.toRun()) {
      List<String> args = new ArrayList<>(request.beamArgs());
      args.add("--businessDate=" + date);
      plans.add(
          JobRunner.plan(
              definition,
              new RunRequest(
                  request.layers(),
                  request.mode(),
                  request.asOf(),
                  request.profile(),
                  false,
                  null,
                  request.pipelineArgs(),
                  args)));
    }
    return new Prepared<>(definition, from, to, plan, plans);
  }

  /**
   * Runs a prepared backfill's dates in order under the given run ids, telling {@code afterEach}
   * each date's outcome (by its index) as it ends.
   */
  public <O extends MedallionOptions> Result execute(
      Prepared<O> prepared,
      List<String> runIds,
      java.util.function.BiConsumer<Integer, JobRunner.Outcome> afterEach) {
    PipelineDefinition<O> definition = prepared.definition();
    DatePlan plan = prepared.plan();
    List<JobRunner.Plan<O>> plans = prepared.runs();
    LocalDate from = prepared.from();
    LocalDate to = prepared.to();
    int skipped = plan.states().size() - plan.toRun().size();
    List<LocalDate> ran = new ArrayList<>();
    List<LocalDate> failed = new ArrayList<>();
    for (int i = 0; i < plans.size(); i++) {
      LocalDate date = plan.toRun().get(i);
      JobRunner.Outcome outcome;
      try {
        outcome = runner.run(plans.get(i), runIds.get(i));
      } catch (RunFailure e) {
        out.println("  " + date + ": " + e.getMessage());
        outcome =
            new JobRunner.Outcome(
                runIds.get(i),
                RunStatus.FAILED,
                dev.medallion.core.LayerCounts.empty(),
                e.getMessage());
      }
      RunStatus status = outcome.status();
      ran.add(date);
      if (status != RunStatus.SUCCEEDED) {
        failed.add(date);
      }
      out.printf(
          "Backfill %s: dates done %d of %d (%s %s)%n",
          definition.name(), i + 1, plans.size(), date, status.label());
      afterEach.accept(i, outcome);
    }
    out.printf(
        "Backfill %s %s..%s: %d date(s) run, %d succeeded, %d failed%s; %d skipped%n",
        definition.name(),
        from,
        to,
        ran.size(),
        ran.size() - failed.size(),
        failed.size(),
        failed.isEmpty()
            ? ""
            : " ("
                + String.join(", ", failed.stream().map(LocalDate::toString).toList())
                + ": medallion backfill "
                + definition.name()
                + " --from "
                + from
                + " --to "
                + to
                + " --only-failed runs them again)",
        skipped);
    return new Result(ran, failed, skipped);
  }
}
