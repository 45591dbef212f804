package dev.medallion.transforms.inventory;

import static org.junit.Assert.assertEquals;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.junit.Test;

public class PoSnapshotTest {
  static final LocalDate DAY = LocalDate.of(2024, 12, 4);

  static PoLine line(
      String file,
      int row,
      String po,
      String supplier,
      String store,
      String sku,
      int ordered,
      int received,
      String expected,
      String status) {
    return new PoLine(
        DAY,
        po,
        supplier,
        store,
        sku,
        BigDecimal.valueOf(ordered),
        BigDecimal.valueOf(received),
        LocalDate.of(2024, 11, 1),
        LocalDate.parse(expected),
        status,
        file,
        row);
  }

  @Test
  public void laterFileWinsOpenLinesAndSupplierSummaryByHand() {
    List<PoLine> lines =
        List.of(
            line(
                "/in/po_a_20241204.xlsx",
                2,
                "PO1",
                "Acme",
                "S01",
                "K1",
                100,
                40,
                "2024-12-02",
                "partial"),
            line(
                "/in/po_a_20241204.xlsx",
                3,
                "PO1",
                "Acme",
                "S01",
                "K2",
                50,
                50,
                "2024-11-30",
                "closed"),
            line(
                "/in/po_a_20241204.xlsx",
                4,
                "PO2",
                "Acme",
                "S02",
                "K1",
                30,
                0,
                "2024-12-10",
                "open"),
            line(
                "/in/po_a_20241204.xlsx",
                5,
                "PO3",
                "Borealis",
                "S01",
                "K3",
                20,
                0,
                "2024-11-20",
                "cancelled"),
            line(
                "/in/po_b_20241204.xlsx",
                2,
                "PO1",
                "Acme",
                "S01",
                "K1",
                100,
                70,
                "2024-12-02",
                "partial"),
            line(
                "/in/po_b_20241204.xlsx",
                3,
                "PO4",
                "Borealis",
                "S01",
                "K4",
                10,
                0,
                "2024-11-29",
                "open"));
    PoSnapshot s = PoSnapshot.compute(DAY, lines);
    // PO1/K1 from po_b (the later name): 100 - 70 = 30 outstanding, 2 days late (12-02 -> 12-04).
    // PO2/K1 30 outstanding, not late (expected 12-10). PO4/K4 10 outstanding, 5 days late.
    assertEquals(
        List.of(
            "2024-12-04,PO1,Acme,S01,K1,100,70,30,2024-11-01,2024-12-02,partial,2",
            "2024-12-04,PO2,Acme,S02,K1,30,0,30,2024-11-01,2024-12-10,open,0",
            "2024-12-04,PO4,Borealis,S01,K4,10,0,10,2024-11-01,2024-11-29,open,5"),
        s.openLines().stream()
            .map(o -> SnapshotPublisher.line(PoSnapshot.csvValues(DAY, o)).strip())
            .toList());
    // Acme: 2 open, 60 outstanding, 1 late; fill (70 + 50 + 0) / (100 + 50 + 30) = 0.6667; 2 days.
    // Borealis: PO3 cancelled is left out of the fill rate: 0 / 10 = 0; 1 late line of 5 days.
    assertEquals(
        List.of(
            new PoSnapshot.SupplierSummary(
                "Acme",
                2,
                new BigDecimal("60"),
                1,
                new BigDecimal("0.6667"),
                new BigDecimal("2.00")),
            new PoSnapshot.SupplierSummary(
                "Borealis",
                1,
                new BigDecimal("10"),
                1,
                new BigDecimal("0.0000"),
                new BigDecimal("5.00"))),
        s.suppliers());
  }
}
