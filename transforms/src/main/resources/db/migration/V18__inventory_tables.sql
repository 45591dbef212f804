-- The inventory pipelines (issue 11): the rows of each file (silver, replaced per file), and each
-- business date's snapshot (gold, replaced per date in one transaction).
CREATE TABLE IF NOT EXISTS silver.inventory_stock (
    source_file    TEXT NOT NULL,
    row_number     INTEGER NOT NULL,
    business_date  DATE NOT NULL,
    store_id       TEXT NOT NULL,
    sku            TEXT NOT NULL,
    description    TEXT,
    on_hand        NUMERIC NOT NULL,
    on_order       NUMERIC NOT NULL,
    sales_28d      NUMERIC NOT NULL,
    PRIMARY KEY (source_file, row_number)
);
CREATE INDEX IF NOT EXISTS inventory_stock_date_idx ON silver.inventory_stock (business_date);

CREATE TABLE IF NOT EXISTS silver.inventory_suppliers (
    source_file    TEXT NOT NULL,
    row_number     INTEGER NOT NULL,
    file_date      DATE NOT NULL,
    sku            TEXT NOT NULL,
    supplier       TEXT NOT NULL,
    lead_time_days NUMERIC NOT NULL,
    min_order_qty  NUMERIC NOT NULL,
    pack_size      NUMERIC NOT NULL,
    unit_cost      NUMERIC NOT NULL,
    PRIMARY KEY (source_file, row_number)
);

CREATE TABLE IF NOT EXISTS silver.inventory_po_lines (
    source_file    TEXT NOT NULL,
    row_number     INTEGER NOT NULL,
    business_date  DATE NOT NULL,
    po_number      TEXT NOT NULL,
    supplier       TEXT NOT NULL,
    store_id       TEXT NOT NULL,
    sku            TEXT NOT NULL,
    ordered_qty    NUMERIC NOT NULL,
    received_qty   NUMERIC NOT NULL,
    order_date     DATE NOT NULL,
    expected_date  DATE NOT NULL,
    status         TEXT NOT NULL,
    PRIMARY KEY (source_file, row_number)
);
CREATE INDEX IF NOT EXISTS inventory_po_lines_date_idx ON silver.inventory_po_lines (business_date);

CREATE TABLE IF NOT EXISTS gold.stock_health (
    business_date       DATE NOT NULL,
    store_id            TEXT NOT NULL,
    sku                 TEXT NOT NULL,
    description         TEXT,
    supplier            TEXT,
    on_hand             NUMERIC NOT NULL,
    on_order            NUMERIC NOT NULL,
    sales_28d           NUMERIC NOT NULL,
    avg_daily_sales     NUMERIC(20, 4) NOT NULL,
    days_of_cover       NUMERIC(20, 1),
    reorder_point       NUMERIC(20, 2),
    suggested_order_qty NUMERIC NOT NULL,
    stock_value         NUMERIC(20, 2),
    status              TEXT NOT NULL,
    PRIMARY KEY (business_date, store_id, sku)
);

CREATE TABLE IF NOT EXISTS gold.supplier_order_draft (
    business_date       DATE NOT NULL,
    supplier            TEXT NOT NULL,
    store_id            TEXT NOT NULL,
    sku                 TEXT NOT NULL,
    description         TEXT,
    suggested_order_qty NUMERIC NOT NULL,
    unit_cost           NUMERIC NOT NULL,
    line_value          NUMERIC(20, 2) NOT NULL,
    PRIMARY KEY (business_date, store_id, sku)
);

CREATE TABLE IF NOT EXISTS gold.stock_health_store_summary (
    business_date    DATE NOT NULL,
    store_id         TEXT NOT NULL,
    skus             INTEGER NOT NULL,
    unknown_supplier INTEGER NOT NULL,
    out_of_stock     INTEGER NOT NULL,
    emergency        INTEGER NOT NULL,
    low              INTEGER NOT NULL,
    overstock        INTEGER NOT NULL,
    healthy          INTEGER NOT NULL,
    stock_value      NUMERIC(20, 2) NOT NULL,
    PRIMARY KEY (business_date, store_id)
);

CREATE TABLE IF NOT EXISTS gold.po_open_lines (
    business_date   DATE NOT NULL,
    po_number       TEXT NOT NULL,
    supplier        TEXT NOT NULL,
    store_id        TEXT NOT NULL,
    sku             TEXT NOT NULL,
    ordered_qty     NUMERIC NOT NULL,
    received_qty    NUMERIC NOT NULL,
    outstanding_qty NUMERIC NOT NULL,
    order_date      DATE NOT NULL,
    expected_date   DATE NOT NULL,
    status          TEXT NOT NULL,
    days_late       INTEGER NOT NULL,
    source_file     TEXT NOT NULL,
    PRIMARY KEY (business_date, po_number, store_id, sku)
);

CREATE TABLE IF NOT EXISTS gold.po_supplier_summary (
    business_date   DATE NOT NULL,
    supplier        TEXT NOT NULL,
    open_lines      INTEGER NOT NULL,
    outstanding_qty NUMERIC NOT NULL,
    late_lines      INTEGER NOT NULL,
    fill_rate       NUMERIC(10, 4),
    avg_days_late   NUMERIC(10, 2),
    PRIMARY KEY (business_date, supplier)
);
