-- Release 3: reports read from web pages and Word files as well as PDFs; where each came from.
ALTER TABLE reports ADD COLUMN source_format VARCHAR DEFAULT 'pdf';  -- pdf | html | docx | scan
ALTER TABLE reports ADD COLUMN source_url VARCHAR;                   -- NULL unless collected from the web
UPDATE reports SET source_format = 'pdf' WHERE source_format IS NULL;

ALTER TABLE facts ADD COLUMN read_by VARCHAR DEFAULT 'text';  -- text | html | docx | ocr
ALTER TABLE facts ADD COLUMN confidence DOUBLE;               -- OCR's confidence (0-1); NULL otherwise
UPDATE facts SET read_by = 'text' WHERE read_by IS NULL;

-- One row per fetch of a collected URL (filled by collection; empty while the inbox is filled by hand).
CREATE TABLE sources (
    township      VARCHAR,
    url           VARCHAR NOT NULL,
    fetched_at    TIMESTAMP NOT NULL,
    http_status   INTEGER,
    etag          VARCHAR,
    last_modified VARCHAR,
    sha256        VARCHAR,
    saved_file    VARCHAR,
    error         VARCHAR
);
