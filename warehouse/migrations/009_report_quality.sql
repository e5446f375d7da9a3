-- Release 9: the report-quality scorecard. The settings the checks last ran with (PROSE_COPIED's threshold),
-- so that a check rerun by an analyst's correction judges as the nightly run did.
CREATE TABLE check_settings (
    name  VARCHAR PRIMARY KEY,
    value DOUBLE NOT NULL
);
