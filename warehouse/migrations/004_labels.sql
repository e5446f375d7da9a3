-- Release 4: the Chinese label of every code the analyst reads (warehouse/vocabulary.py), refreshed at
-- every writable open like cell_codes and rules; the Chinese views read it.
CREATE TABLE labels (
    kind  VARCHAR NOT NULL,  -- severity | status | reason | table | template | format
    code  VARCHAR NOT NULL,
    label VARCHAR NOT NULL,
    PRIMARY KEY (kind, code)
);
