-- Release 5: reports read by OCR. Which cells' readings are in doubt, the image of each such cell from the
-- scan (so the analyst can look at it beside the value read), and the analysts' corrections of readings.
ALTER TABLE facts ADD COLUMN uncertain BOOLEAN DEFAULT FALSE;  -- an OCR reading to be confirmed
UPDATE facts SET uncertain = FALSE WHERE uncertain IS NULL;

-- A PNG of a cell as the scan shows it (the parser crops the cells whose reading is in doubt).
CREATE TABLE cell_images (
    report_id  INTEGER NOT NULL,
    table_code VARCHAR NOT NULL,
    row_code   VARCHAR NOT NULL,
    col_code   VARCHAR NOT NULL,
    png        BLOB NOT NULL,
    PRIMARY KEY (report_id, table_code, row_code, col_code)
);

-- An analyst's reading of a cell (gongkai review FLAG --value N), made against one file: it holds for the
-- report whose sha256 it names, so it survives reruns and lapses when the township sends another file.
-- Every correction is kept; the latest of a cell and file counts.
CREATE TABLE cell_corrections (
    township     VARCHAR NOT NULL,
    year         INTEGER NOT NULL,
    table_code   VARCHAR NOT NULL,
    row_code     VARCHAR NOT NULL,
    col_code     VARCHAR NOT NULL,
    sha256       VARCHAR NOT NULL,   -- of the report file the correction was made against
    value        DOUBLE NOT NULL,
    note         VARCHAR,
    corrected_at TIMESTAMP NOT NULL,
    value_read   DOUBLE,             -- what the parser had read (NULL: unreadable)
    flag_id      VARCHAR             -- the flag the correction answered
);
