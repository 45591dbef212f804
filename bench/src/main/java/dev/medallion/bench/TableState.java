package dev.medallion.bench;

/** What one write method left in the table: a row count and an order-independent checksum. */
public record TableState(long rows, long checksum) {}
