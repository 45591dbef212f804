package dev.medallion.pipelines;

import dev.medallion.io.http.PlainHttp;
import dev.medallion.io.todoist.TodoistConnector;
import dev.medallion.platform.LandingOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Hidden;

/** Settings of the todoist pipeline (Todoist API v1: tasks and projects). */
public interface TodoistOptions extends MedallionOptions, LandingOptions {
  @Description(
      "Which data types to read: a comma-separated list of tasks,projects (default both). tasks"
          + " is the snapshot of active tasks plus the tasks completed since the last run.")
  @Default.String("tasks,projects")
  String getStreams();

  void setStreams(String value);

  @Description(
      "The environment this run ingests for, as ingestion-config.yaml's jobs name it (dev, prd)."
          + " Raw pages go straight to bronze in this version, so it does not choose a bucket yet.")
  @Default.String("dev")
  String getEnv();

  void setEnv(String value);

  @Description("The Todoist API v1 base URL (the bearer token is read from TODOIST_API_TOKEN).")
  @Default.String(TodoistConnector.DEFAULT_BASE_URL)
  String getTodoistBaseUrl();

  void setTodoistBaseUrl(String value);

  @Description("Rows per page (Todoist allows 1 to 200).")
  @Default.Integer(200)
  int getPageSize();

  void setPageSize(int value);

  @Description("The timezone whose calendar days gold.tasks_daily counts, e.g. Europe/Paris.")
  @Default.String("Europe/Paris")
  String getTimezone();

  void setTimezone(String value);

  @Description(
      "A first run (or --mode full) asks for the tasks completed in this many days before"
          + " --completed-until; later runs start at the newest completion landed.")
  @Default.Integer(30)
  int getCompletedLookbackDays();

  void setCompletedLookbackDays(int value);

  @Description(
      "The end of the completed-tasks window, an ISO instant such as 2024-06-19T00:00:00Z; now"
          + " when unset.")
  String getCompletedUntil();

  void setCompletedUntil(String value);

  @Hidden
  @Description("The start of the completed-tasks window: set from bronze before the run.")
  String getCompletedSince();

  void setCompletedSince(String value);

  @Description(
      "The longest wait between two attempts of a request, in seconds (a longer Retry-After fails"
          + " the request as rate limited for this run).")
  @Default.Long(300)
  long getMaxRetryWaitSeconds();

  void setMaxRetryWaitSeconds(long value);

  @Description(PlainHttp.ALLOW_FLAG_DESCRIPTION)
  @Default.Boolean(false)
  boolean getAllowInsecureHttp();

  void setAllowInsecureHttp(boolean value);
}
