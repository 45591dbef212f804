package dev.medallion.transforms.todoist;

import dev.medallion.ops.db.JdbcTarget;
import dev.medallion.ops.db.Queries;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import javax.annotation.Nullable;

/**
 * Todoist's tables (V25, V26) and their statements. Silver is set-based, run by the database once
 * bronze is written: the newest pending version of each key, typed, upserted, then its bronze rows
 * marked processed. Every field but the key is optional: a value of the wrong JSON type is null.
 */
public final class TodoistTables {
  public static final String BRONZE = "bronze.todoist_raw";
  public static final String TASKS = "silver.todoist_tasks";
  public static final String COMPLETIONS = "silver.todoist_completions";
  public static final String PROJECTS = "silver.todoist_projects";
  public static final String TASKS_DAILY = "gold.tasks_daily";

  /** ISO-8601 with a time and a zone, as Todoist writes added_at, completed_at, updated_at. */
  private static final String INSTANT =
      "'^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:?\\d{2})$'";

  private TodoistTables() {}

  private static String text(String field) {
    return "CASE WHEN jsonb_typeof(raw_data->'"
        + field
        + "') = 'string' THEN raw_data->>'"
        + field
        + "' END";
  }

  private static String bool(String field) {
    return "CASE WHEN jsonb_typeof(raw_data->'"
        + field
        + "') = 'boolean' THEN (raw_data->>'"
        + field
        + "')::boolean END";
  }

  private static String integer(String field) {
    return "CASE WHEN jsonb_typeof(raw_data->'"
        + field
        + "') = 'number' THEN round((raw_data->>'"
        + field
        + "')::numeric)::integer END";
  }

  private static String instant(String field) {
    return "CASE WHEN raw_data->>'"
        + field
        + "' ~ "
        + INSTANT
        + " THEN (raw_data->>'"
        + field
        + "')::timestamptz END";
  }

  private static String markProcessed(String endpoint) {
    return "UPDATE "
        + BRONZE
        + " SET is_processed = true, processed_at = now() WHERE endpoint = '"
        + endpoint
        + "' AND NOT is_processed";
  }

  /**
   * The due day as the user sees it: a date ("2024-06-18") or a floating date-time
   * ("2024-06-18T09:00:00") is that day; a UTC due ("...Z") is its day in the due's own timezone
   * (UTC when it names none or an unknown one).
   */
  private static final String DUE_DATE =
      "CASE WHEN raw_data->'due'->>'date' ~ '^\\d{4}-\\d{2}-\\d{2}$'"
          + " OR raw_data->'due'->>'date' ~ '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?$'"
          + " THEN left(raw_data->'due'->>'date', 10)::date"
          + " WHEN raw_data->'due'->>'date' ~ "
          + INSTANT
          + " THEN ((raw_data->'due'->>'date')::timestamptz AT TIME ZONE coalesce((SELECT name"
          + " FROM pg_timezone_names WHERE name = raw_data->'due'->>'timezone'), 'UTC'))::date END";

  private static final String DUE_AT =
      "CASE WHEN raw_data->'due'->>'date' ~ "
          + INSTANT
          + " THEN (raw_data->'due'->>'date')::timestamptz END";

  /**
   * Pending active and completed tasks into silver.todoist_tasks (per task id the row with the
   * newest updated_at; a stored row is replaced only by one at least as new), each completion into
   * silver.todoist_completions, then both streams marked processed.
   */
  public static String upsertTasks() {
    String pending =
        "SELECT DISTINCT ON (raw_data->>'id') raw_data->>'id' AS task_id, version, raw_data,"
            + " fetched_at, "
            + instant("updated_at")
            + " AS updated FROM "
            + BRONZE
            + " WHERE endpoint IN ('tasks', 'completed_tasks') AND NOT is_processed"
            + " AND jsonb_typeof(raw_data->'id') IN ('string', 'number')"
            + " ORDER BY raw_data->>'id', "
            + instant("updated_at")
            + " DESC NULLS LAST, fetched_at DESC, version DESC";
    return "INSERT INTO "
        + TASKS
        + " (task_id, project_id, section_id, parent_id, content, priority, labels, due_date,"
        + " due_at, due_is_recurring, checked, is_deleted, added_at, completed_at, updated_at,"
        + " bronze_version, fetched_at) SELECT task_id, "
        + text("project_id")
        + ", "
        + text("section_id")
        + ", "
        + text("parent_id")
        + ", "
        + text("content")
        + ", "
        + integer("priority")
        + ", CASE WHEN jsonb_typeof(raw_data->'labels') = 'array' THEN ARRAY(SELECT"
        + " jsonb_array_elements_text(raw_data->'labels')) END, "
        + DUE_DATE
        + ", "
        + DUE_AT
        + ", CASE WHEN jsonb_typeof(raw_data->'due'->'is_recurring') = 'boolean'"
        + " THEN (raw_data->'due'->>'is_recurring')::boolean END, "
        + bool("checked")
        + ", "
        + bool("is_deleted")
        + ", "
        + instant("added_at")
        + ", "
        + instant("completed_at")
        + ", updated, version, fetched_at FROM ("
        + pending
        + ") AS latest ON CONFLICT (task_id) DO UPDATE SET project_id = excluded.project_id,"
        + " section_id = excluded.section_id, parent_id = excluded.parent_id,"
        + " content = excluded.content, priority = excluded.priority, labels = excluded.labels,"
        + " due_date = excluded.due_date, due_at = excluded.due_at,"
        + " due_is_recurring = excluded.due_is_recurring, checked = excluded.checked,"
        + " is_deleted = excluded.is_deleted, added_at = excluded.added_at,"
        + " completed_at = excluded.completed_at, updated_at = excluded.updated_at,"
        + " bronze_version = excluded.bronze_version, fetched_at = excluded.fetched_at WHERE "
        + TASKS
        + ".updated_at IS NULL OR excluded.updated_at IS NULL OR excluded.updated_at >= "
        + TASKS
        + ".updated_at; INSERT INTO "
        + COMPLETIONS
        + " (task_id, completed_at, project_id, content) SELECT DISTINCT ON (raw_data->>'id', "
        + instant("completed_at")
        + ") raw_data->>'id', "
        + instant("completed_at")
        + ", "
        + text("project_id")
        + ", "
        + text("content")
        + " FROM "
        + BRONZE
        + " WHERE endpoint = 'completed_tasks' AND NOT is_processed AND "
        + instant("completed_at")
        + " IS NOT NULL AND jsonb_typeof(raw_data->'id') IN ('string', 'number') ORDER BY"
        + " raw_data->>'id', "
        + instant("completed_at")
        + ", version DESC ON CONFLICT (task_id, completed_at) DO UPDATE SET"
        + " project_id = excluded.project_id, content = excluded.content; "
        + markProcessed("tasks")
        + "; "
        + markProcessed("completed_tasks");
  }

  /** Pending projects into silver.todoist_projects, then marked processed. */
  public static String upsertProjects() {
    String pending =
        "SELECT DISTINCT ON (natural_key) natural_key, version, raw_data, fetched_at FROM "
            + BRONZE
            + " WHERE endpoint = 'projects' AND NOT is_processed"
            + " ORDER BY natural_key, version DESC";
    return "INSERT INTO "
        + PROJECTS
        + " (project_id, name, color, parent_id, child_order, view_style, is_inbox, is_archived,"
        + " is_deleted, is_favorite, is_shared, created_at, updated_at, bronze_version,"
        + " fetched_at) SELECT natural_key, "
        + text("name")
        + ", "
        + text("color")
        + ", "
        + text("parent_id")
        + ", "
        + integer("child_order")
        + ", "
        + text("view_style")
        + ", coalesce("
        + bool("inbox_project")
        + ", false), "
        + bool("is_archived")
        + ", "
        + bool("is_deleted")
        + ", "
        + bool("is_favorite")
        + ", "
        + bool("is_shared")
        + ", "
        + instant("created_at")
        + ", "
        + instant("updated_at")
        + ", version, fetched_at FROM ("
        + pending
        + ") AS latest ON CONFLICT (project_id) DO UPDATE SET name = excluded.name,"
        + " color = excluded.color, parent_id = excluded.parent_id,"
        + " child_order = excluded.child_order, view_style = excluded.view_style,"
        + " is_inbox = excluded.is_inbox, is_archived = excluded.is_archived,"
        + " is_deleted = excluded.is_deleted, is_favorite = excluded.is_favorite,"
        + " is_shared = excluded.is_shared, created_at = excluded.created_at,"
        + " updated_at = excluded.updated_at, bronze_version = excluded.bronze_version,"
        + " fetched_at = excluded.fetched_at; "
        + markProcessed("projects");
  }

  /**
   * gold.tasks_daily, days in {@code zone}: added (tasks by the day of added_at) and completed
   * (completions by the day of completed_at) recomputed from all of silver; open_overdue set for
   * {@code asOf} only (open tasks of the latest snapshot, not deleted, due before that day); a past
   * day keeps the open_overdue its own run counted. Rows left all zero are removed.
   */
  public static String rebuildTasksDaily(ZoneId zone, LocalDate asOf) {
    String tz = zone.getId(); // a zone id is letters, digits, '/', '_', '+', '-': safe to inline
    String day = "DATE '" + asOf + "'";
    String name =
        "(SELECT p.name FROM " + PROJECTS + " AS p WHERE p.project_id = counted.project_id)";
    return "UPDATE "
        + TASKS_DAILY
        + " SET added = 0, completed = 0, open_overdue = CASE WHEN day = "
        + day
        + " THEN 0 ELSE open_overdue END; INSERT INTO "
        + TASKS_DAILY
        + " (day, project_id, project_name, added, completed, timezone)"
        + " SELECT counted.day, counted.project_id, "
        + name
        + ", sum(counted.added), sum(counted.completed), '"
        + tz
        + "' FROM (SELECT (added_at AT TIME ZONE '"
        + tz
        + "')::date AS day, project_id, 1 AS added, 0 AS completed FROM "
        + TASKS
        + " WHERE added_at IS NOT NULL AND project_id IS NOT NULL UNION ALL"
        + " SELECT (completed_at AT TIME ZONE '"
        + tz
        + "')::date, project_id, 0, 1 FROM "
        + COMPLETIONS
        + " WHERE project_id IS NOT NULL) AS counted GROUP BY counted.day, counted.project_id"
        + " ON CONFLICT (day, project_id) DO UPDATE SET project_name = excluded.project_name,"
        + " added = excluded.added, completed = excluded.completed, timezone = excluded.timezone;"
        + " INSERT INTO "
        + TASKS_DAILY
        + " (day, project_id, project_name, open_overdue, timezone) SELECT "
        + day
        + ", counted.project_id, "
        + name
        + ", count(*), '"
        + tz
        + "' FROM "
        + TASKS
        + " AS counted WHERE counted.checked IS NOT TRUE AND counted.is_deleted IS NOT TRUE"
        + " AND counted.completed_at IS NULL AND counted.project_id IS NOT NULL"
        + " AND counted.due_date < "
        + day
        + " GROUP BY counted.project_id ON CONFLICT (day, project_id) DO UPDATE SET"
        + " project_name = excluded.project_name, open_overdue = excluded.open_overdue,"
        + " timezone = excluded.timezone; DELETE FROM "
        + TASKS_DAILY
        + " WHERE added = 0 AND completed = 0 AND open_overdue = 0";
  }

  /**
   * The newest completed_at landed in bronze (every version counts: a row is landed once it is in
   * bronze), or null: the next run's completed window starts there.
   */
  @Nullable
  public static OffsetDateTime newestCompletion(JdbcTarget target) {
    List<OffsetDateTime> newest =
        Queries.list(
            target,
            "the newest Todoist completion",
            "SELECT max("
                + instant("completed_at")
                + ") FROM "
                + BRONZE
                + " WHERE endpoint = 'completed_tasks'",
            rs -> rs.getObject(1, OffsetDateTime.class));
    return newest.isEmpty() ? null : newest.get(0);
  }
}
