package dev.medallion.transforms.edge;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.math.BigDecimal;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.Test;

public class EdgeRecordCodersTest {

  private static EdgeTransaction transaction(String amount, String currency, String payment) {
    return EdgeTransaction.builder()
        .setTransactionId("tx-ü-1")
        .setStoreId("store 7")
        .setDeviceId("dev-3")
        .setTimestampMillis(-86_400_001L)
        .setAmount(new BigDecimal(amount))
        .setCurrency(currency)
        .setPaymentMethod(payment)
        .setPayloadJson("{\"amount\":\"" + amount + "\"}")
        .setBronzeId("6f1c0c7e-0000-3000-8000-000000000001")
        .setFilePath("gs://bucket/landing/dev-3_2024.json")
        .setRecordIndex(41)
        .setLandedAtMillis(1_718_000_000_000L)
        .setIngestedAtMillis(Long.MAX_VALUE)
        .build();
  }

  @Test
  public void transactionsComeBackEqualWithScaleAndNullsKept() throws Exception {
    for (EdgeTransaction t :
        new EdgeTransaction[] {
          transaction("10.50", "EUR", "card"),
          transaction("-0.001", null, null),
          transaction("123456789012345678901234567890.12", "", "cash"),
          transaction("0", null, "wallet")
        }) {
      CoderProperties.coderDecodeEncodeEqual(EdgeTransaction.Coder.of(), t);
      EdgeTransaction back = CoderUtils.clone(EdgeTransaction.Coder.of(), t);
      assertEquals(t.getAmount().scale(), back.getAmount().scale());
      assertEquals(t.getCurrency(), back.getCurrency());
    }
    EdgeTransaction noPayment =
        CoderUtils.clone(EdgeTransaction.Coder.of(), transaction("1.00", null, null));
    assertNull(noPayment.getCurrency());
    assertNull(noPayment.getPaymentMethod());
    // "1.00" keeps two places: gold's sums and silver's numeric column see the value as read.
    assertEquals("1.00", noPayment.getAmount().toPlainString());
  }

  @Test
  public void bronzeRecordsComeBackEqual() throws Exception {
    BronzeRecord record =
        BronzeRecord.create(
            "dev-3",
            "dev-3_a.csv",
            "/landing/dev-3_a.csv",
            7,
            "{\"x\":\"ü\"}",
            1234L,
            "abc",
            5L,
            0L);
    CoderProperties.coderDecodeEncodeEqual(BronzeRecord.Coder.of(), record);
    assertEquals(record.getId(), CoderUtils.clone(BronzeRecord.Coder.of(), record).getId());
  }

  @Test
  public void theRecordsCodersAreTheDefaultOnes() throws Exception {
    CoderRegistry registry = CoderRegistry.createDefault();
    assertEquals(EdgeTransaction.Coder.of(), registry.getCoder(EdgeTransaction.class));
    assertEquals(BronzeRecord.Coder.of(), registry.getCoder(BronzeRecord.class));
  }

  @Test
  public void aTruncatedEncodingIsAnError() throws Exception {
    byte[] whole =
        CoderUtils.encodeToByteArray(EdgeTransaction.Coder.of(), transaction("1", null, "x"));
    byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 3);
    org.junit.Assert.assertThrows(
        Exception.class, () -> CoderUtils.decodeFromByteArray(EdgeTransaction.Coder.of(), cut));
  }
}
