-- Release 2: report versions and what changed, cell provenance, runs, flag identity and reviews.
ALTER TABLE reports ADD COLUMN version INTEGER DEFAULT 1;
ALTER TABLE reports ADD COLUMN is_latest BOOLEAN DEFAULT TRUE;
ALTER TABLE reports ADD COLUMN loaded_at TIMESTAMP;
ALTER TABLE reports ADD COLUMN body_as_printed VARCHAR;
ALTER TABLE reports ADD COLUMN title VARCHAR;
ALTER TABLE reports ADD COLUMN pages INTEGER;
ALTER TABLE reports ADD COLUMN run_id VARCHAR;
ALTER TABLE reports ADD COLUMN denied_other BOOLEAN;
ALTER TABLE reports ADD COLUMN other_split BOOLEAN;
ALTER TABLE reports ADD COLUMN parser_warnings VARCHAR[];

-- Release 1 had no versions: every report it loaded was the only one of its township-year.
UPDATE reports SET version = 1, is_latest = TRUE WHERE version IS NULL OR is_latest IS NULL;

ALTER TABLE facts ADD COLUMN raw VARCHAR;
ALTER TABLE facts ADD COLUMN page INTEGER;
ALTER TABLE facts ADD COLUMN bbox DOUBLE[];
ALTER TABLE facts ADD COLUMN readable BOOLEAN;
UPDATE facts SET readable = value IS NOT NULL WHERE readable IS NULL;

CREATE TABLE report_sections (
    report_id INTEGER NOT NULL,
    section   VARCHAR NOT NULL,      -- 一 .. 六
    text      VARCHAR,
    PRIMARY KEY (report_id, section)
);

CREATE TABLE report_missing_rows (
    report_id  INTEGER NOT NULL,
    table_code VARCHAR NOT NULL,
    row_code   VARCHAR NOT NULL,
    PRIMARY KEY (report_id, table_code, row_code)
);

-- One row per cell that differs between a township-year's version and the one before it.
CREATE TABLE report_changes (
    report_id          INTEGER NOT NULL,
    previous_report_id INTEGER NOT NULL,
    township           VARCHAR NOT NULL,
    year               INTEGER NOT NULL,
    table_code         VARCHAR NOT NULL,
    row_code           VARCHAR NOT NULL,
    col_code           VARCHAR NOT NULL,
    old_value          DOUBLE,
    new_value          DOUBLE,
    old_raw            VARCHAR,
    new_raw            VARCHAR,
    change             VARCHAR NOT NULL  -- 'changed' | 'added' | 'removed'
);

ALTER TABLE rejected ADD COLUMN sha256 VARCHAR;
ALTER TABLE rejected ADD COLUMN run_id VARCHAR;
ALTER TABLE rejected ADD COLUMN seen_at TIMESTAMP;

CREATE TABLE runs (
    run_id          VARCHAR PRIMARY KEY,
    started_at      TIMESTAMP NOT NULL,
    finished_at     TIMESTAMP,
    files_seen      INTEGER,
    files_parsed    INTEGER,
    files_unchanged INTEGER,
    files_rejected  INTEGER,
    reports_loaded  INTEGER,
    flags_opened    INTEGER,
    flags_closed    INTEGER,
    flags_open      INTEGER,
    summary         JSON
);

-- Flags of release 1 had no identity; they are recomputed by the next check run anyway.
DELETE FROM flags;
ALTER TABLE flags ADD COLUMN flag_id VARCHAR;
ALTER TABLE flags ADD COLUMN status VARCHAR DEFAULT 'open';  -- open | confirmed | dismissed
ALTER TABLE flags ADD COLUMN inputs VARCHAR;                 -- the cell values the flag was computed from
ALTER TABLE flags ADD COLUMN first_seen_at TIMESTAMP;
ALTER TABLE flags ADD COLUMN checked_at TIMESTAMP;

CREATE TABLE flag_reviews (
    flag_id     VARCHAR NOT NULL,
    status      VARCHAR NOT NULL,    -- confirmed | dismissed
    note        VARCHAR,
    reviewed_at TIMESTAMP NOT NULL,
    rule_id     VARCHAR,
    township    VARCHAR,
    year        INTEGER,
    report_id   INTEGER,
    inputs      VARCHAR,             -- the review holds while the flag's inputs are these
    expected    DOUBLE,
    actual      DOUBLE
);

CREATE TABLE flag_events (
    flag_id  VARCHAR NOT NULL,
    event    VARCHAR NOT NULL,       -- opened | closed
    event_at TIMESTAMP NOT NULL,
    run_id   VARCHAR,
    rule_id  VARCHAR,
    township VARCHAR,
    year     INTEGER,
    message  VARCHAR
);

ALTER TABLE cell_codes ADD COLUMN table_label VARCHAR;
ALTER TABLE cell_codes ADD COLUMN row_label VARCHAR;
ALTER TABLE cell_codes ADD COLUMN col_label VARCHAR;
ALTER TABLE cell_codes ADD COLUMN col_short VARCHAR;
ALTER TABLE cell_codes ADD COLUMN row_pos INTEGER;
ALTER TABLE cell_codes ADD COLUMN col_pos INTEGER;
ALTER TABLE cell_codes ADD COLUMN is_decimal BOOLEAN;

CREATE TABLE rules (
    rule_id     VARCHAR PRIMARY KEY,
    severity    VARCHAR NOT NULL,
    name        VARCHAR NOT NULL,
    explanation VARCHAR NOT NULL
);
