package dev.medallion.pipelines;

import dev.medallion.io.todoist.TodoistConnector;
import dev.medallion.platform.ApiRequestOptions;
import dev.medallion.platform.LandingOptions;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Hidden;

/** Settings of the todoist pipeline (Todoist API v1: tasks and projects). */
public interface TodoistOptions extends MedallionOptions, LandingOptions, ApiRequestOptions {
  @Description(
      "Which data types to read: a comma-separated list of tasks,projects (default both). tasks"
          + " is the snapshot of active tasks plus the tasks completed since the last run.")
  @Default.String("tasks,projects")
  String getStreams();

  void setStreams(String value);

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
}
