package dev.medallion.transforms.band;

import dev.medallion.io.beam.Flattened;
import dev.medallion.transforms.Accumulator;
import dev.medallion.transforms.grouping.GroupInBuckets;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Setlist entries to every gold row: a show calendar (global combine, a side input), song
 * statistics per song (which also marks each song's debut), then show, venue, year and tour
 * summaries over the marked performances.
 */
public final class ComputeBandGold
    extends PTransform<PCollection<SetlistEntry>, PCollection<BandRow>> {
  private static final long serialVersionUID = 1L;
  static final TupleTag<BandRow> SONG_ROWS = new TupleTag<>() {};
  static final TupleTag<SetlistEntry> MARKED_PERFORMANCES = new TupleTag<>() {};

  public static ComputeBandGold fromSetlistEntries() {
    return new ComputeBandGold();
  }

  @Override
  public PCollection<BandRow> expand(PCollection<SetlistEntry> entries) {
    PCollectionView<ShowCalendar> calendar =
        entries
            .apply(
                "BuildShowCalendar",
                Combine.globally(
                    Accumulator.combineFn(none -> new ShowCalendar(), ShowCalendar.class)))
            .apply("CalendarAsSideInput", org.apache.beam.sdk.transforms.View.asSingleton());
    PCollectionTuple songs =
        entries
            .apply(
                "KeyBySong",
                WithKeys.of(SetlistEntry::getSongId).withKeyType(TypeDescriptors.longs()))
            .apply("GroupBySong", GroupInBuckets.create())
            .apply(
                "ComputeSongStatistics",
                ParDo.of(new SongStatisticsFn(calendar))
                    .withSideInputs(calendar)
                    .withOutputTags(SONG_ROWS, TupleTagList.of(MARKED_PERFORMANCES)));
    PCollection<SetlistEntry> marked = songs.get(MARKED_PERFORMANCES);
    List<PCollection<BandRow>> rows = new ArrayList<>();
    rows.add(songs.get(SONG_ROWS));
    for (BandGoldTable table :
        List.of(
            BandGoldTable.SHOW_SUMMARY,
            BandGoldTable.VENUE_STATISTICS,
            BandGoldTable.YEARLY_SUMMARY,
            BandGoldTable.TOUR_SUMMARY)) {
      rows.add(marked.apply("Summarize" + camel(table), new SummarizeGroups(table)));
    }
    return Flattened.of("AllGoldRows", rows);
  }

  private static String camel(BandGoldTable table) {
    StringBuilder name = new StringBuilder();
    for (String part : table.name().toLowerCase(java.util.Locale.ROOT).split("_")) {
      name.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
    }
    return name.toString();
  }

  /** Groups marked performances by the table's key and sums each group up into a row. */
  static final class SummarizeGroups
      extends PTransform<PCollection<SetlistEntry>, PCollection<BandRow>> {
    private static final long serialVersionUID = 1L;
    private final BandGoldTable table;

    SummarizeGroups(BandGoldTable table) {
      this.table = table;
    }

    @Override
    public PCollection<BandRow> expand(PCollection<SetlistEntry> performances) {
      BandGoldTable t = table;
      return performances
          .apply("KeepGroupable", Filter.by(e -> t.groupKey(e) != null))
          .apply(
              "KeyByGroup",
              WithKeys.of((SetlistEntry e) -> t.groupKey(e)).withKeyType(TypeDescriptors.strings()))
          .apply("GroupPerformances", GroupInBuckets.create())
          .apply("SummarizeGroup", ParDo.of(new SummarizeFn(table)));
    }
  }

  static final class SummarizeFn extends DoFn<KV<String, Iterable<SetlistEntry>>, BandRow> {
    private static final long serialVersionUID = 1L;
    private final BandGoldTable table;

    SummarizeFn(BandGoldTable table) {
      this.table = table;
    }

    @ProcessElement
    public void process(
        @Element KV<String, Iterable<SetlistEntry>> group, OutputReceiver<BandRow> out) {
      out.output(table.summaryRow(GroupSummaryCalculator.summarize(group.getValue())));
    }
  }

  static final class SongStatisticsFn extends DoFn<KV<Long, Iterable<SetlistEntry>>, BandRow> {
    private static final long serialVersionUID = 1L;
    private final PCollectionView<ShowCalendar> calendar;

    SongStatisticsFn(PCollectionView<ShowCalendar> calendar) {
      this.calendar = calendar;
    }

    @ProcessElement
    public void process(
        @Element KV<Long, Iterable<SetlistEntry>> song,
        ProcessContext context,
        MultiOutputReceiver out) {
      SongStatisticsCalculator.Result result =
          SongStatisticsCalculator.compute(
              song.getKey(), song.getValue(), context.sideInput(calendar));
      out.get(SONG_ROWS).output(BandGoldTable.songRow(result.statistics()));
      result.performances().forEach(out.get(MARKED_PERFORMANCES)::output);
    }
  }
}
