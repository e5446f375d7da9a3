-- Release 6: reports collected from the townships' web sites each night.
-- Where each township publishes: its 年报 column (or the county platform's listing for it), and an optional
-- regular expression for report links where the default finding does not fit the site.
ALTER TABLE townships ADD COLUMN url VARCHAR;
ALTER TABLE townships ADD COLUMN link_pattern VARCHAR;

-- More about each fetch (the contract's columns stay as they are).
ALTER TABLE sources ADD COLUMN collection_id VARCHAR;  -- one collection (one night); ordered by time
ALTER TABLE sources ADD COLUMN kind VARCHAR;           -- robots | listing | article | attachment
ALTER TABLE sources ADD COLUMN referrer VARCHAR;       -- the page the link was found on (NULL: the register's url)
ALTER TABLE sources ADD COLUMN link_text VARCHAR;      -- the link's text (or title) on that page
ALTER TABLE sources ADD COLUMN year INTEGER;           -- the report year the link names
ALTER TABLE sources ADD COLUMN changed BOOLEAN;        -- bytes differ from the previous fetch of the url
