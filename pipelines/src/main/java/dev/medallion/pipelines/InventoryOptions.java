package dev.medallion.pipelines;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** The inventory pipelines' own flags (stock_health, po_snapshots). */
public interface InventoryOptions extends MedallionOptions {
  @Description(
      "Folder of inventory workbooks (stock_{STORE}_{YYYYMMDD}.xlsx, suppliers_{YYYYMMDD}.xlsx,"
          + " po_{ANY}_{YYYYMMDD}.xlsx; the routing table in the config decides).")
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
}
