package dev.medallion.pipelines;

import dev.medallion.io.gdrive.GoogleDriveIO;
import dev.medallion.io.http.PlainHttp;
import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Hidden;

/** The inventory pipelines' own flags (stock_health, po_snapshots). */
public interface InventoryOptions extends MedallionOptions {
  @Description(
      "Folder of inventory workbooks (stock_{STORE}_{YYYYMMDD}.xlsx, suppliers_{YYYYMMDD}.xlsx,"
          + " po_{ANY}_{YYYYMMDD}.xlsx; the routing table in the config decides), or a Google"
          + " Drive folder gdrive://FOLDER_ID (credentials: GDRIVE_SERVICE_ACCOUNT_JSON or"
          + " GDRIVE_ACCESS_TOKEN).")
  String getSource();

  void setSource(String value);

  @Description(
      "The business date (YYYY-MM-DD) to process: only that date's files, and the supplier master"
          + " that applies to it. Every date found when unset.")
  String getDate();

  void setDate(String value);

  @Description(
      "The inventory config file (routing table and per-pipeline settings); the bundled defaults"
          + " fill in any key it lacks.")
  String getConfig();

  void setConfig(String value);

  @Description("Where the snapshot CSVs go; the config's <pipeline>.output_dir when unset.")
  String getOutputDir();

  void setOutputDir(String value);

  @Description(
      "Reprocess only the files whose latest job in ops.file_jobs failed (what 'medallion retry'"
          + " runs); --source is not needed.")
  @Default.Boolean(false)
  Boolean getRetryFailed();

  void setRetryFailed(Boolean value);

  @Description(
      "With --source gdrive://...: what to do with a Google Sheets file in the folder: export_xlsx"
          + " (read it as an XLSX export) or skip (record it as skipped with the reason).")
  @Default.Enum("EXPORT_XLSX")
  GoogleDriveIO.SheetsHandling getDriveSheets();

  void setDriveSheets(GoogleDriveIO.SheetsHandling value);

  // Declared per pipeline, not in MedallionOptions: the CLI makes flags of a pipeline's own
  // getters.
  @Description(PlainHttp.ALLOW_FLAG_DESCRIPTION)
  @Default.Boolean(false)
  boolean getAllowInsecureHttp();

  void setAllowInsecureHttp(boolean value);

  @Description(
      "With --continuous: stop after this many polls (0, the default: poll until stopped with"
          + " Ctrl-C). For tests and CI.")
  @Default.Integer(0)
  Integer getMaxPolls();

  void setMaxPolls(Integer value);

  @Description(
      "Record a file no routing pattern matches as skipped (off for all but one pipeline of a"
          + " 'medallion watch', so such a file is recorded once).")
  @Hidden
  @Default.Boolean(true)
  Boolean getRecordUnrouted();

  void setRecordUnrouted(Boolean value);
}
