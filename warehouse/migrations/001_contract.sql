-- Release 1: the contract tables of shared docs/report-format.md, the register and the code dictionary.
CREATE SEQUENCE IF NOT EXISTS report_id_seq START 1;

CREATE TABLE reports (
    report_id    INTEGER PRIMARY KEY DEFAULT nextval('report_id_seq'),
    township     VARCHAR NOT NULL,   -- canonical name from the register
    year         INTEGER NOT NULL,
    template     VARCHAR NOT NULL,   -- '2019' | '2021'
    source_file  VARCHAR NOT NULL,
    sha256       VARCHAR NOT NULL,
    published_on DATE
);

CREATE TABLE facts (
    report_id  INTEGER NOT NULL,
    table_code VARCHAR NOT NULL,
    row_code   VARCHAR NOT NULL,
    col_code   VARCHAR NOT NULL,
    value      DOUBLE,               -- NULL: printed but not readable as a number (see raw)
    PRIMARY KEY (report_id, table_code, row_code, col_code)
);

CREATE TABLE flags (
    rule_id    VARCHAR NOT NULL,
    severity   VARCHAR NOT NULL,     -- 'error' | 'warning'
    township   VARCHAR NOT NULL,
    year       INTEGER NOT NULL,
    report_id  INTEGER,              -- NULL where no report exists (MISSING_REPORT)
    table_code VARCHAR,
    row_code   VARCHAR,
    col_code   VARCHAR,
    expected   DOUBLE,
    actual     DOUBLE,
    message    VARCHAR NOT NULL
);

CREATE TABLE rejected (
    source_file VARCHAR NOT NULL,
    reason      VARCHAR NOT NULL,
    message     VARCHAR
);

CREATE TABLE townships (
    name    VARCHAR PRIMARY KEY,
    aliases VARCHAR[],
    code    VARCHAR
);

CREATE TABLE cell_codes (
    template   VARCHAR NOT NULL,
    code       VARCHAR NOT NULL,
    table_code VARCHAR NOT NULL,
    row_code   VARCHAR NOT NULL,
    col_code   VARCHAR NOT NULL,
    label      VARCHAR NOT NULL,     -- 表三 · （一）予以公开 · 自然人
    PRIMARY KEY (template, code)
);
