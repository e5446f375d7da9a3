-- Release 8: real reports as they vary, and what collection can tell. Why the parser did not take a printed
-- value (an amount whose unit cannot be told, a row whose label could not be told apart): the analyst reads it
-- in UNREADABLE_CELL.
ALTER TABLE facts ADD COLUMN note VARCHAR;

-- A flag of a township as a whole (SITE_UNREACHABLE: its site could not be read) has no year.
ALTER TABLE flags ALTER COLUMN year DROP NOT NULL;

-- What collection did with a page that came fine: a report's article page not saved because its attachment
-- is the same report (the attachment is read), a report's pages joined into one file.
ALTER TABLE sources ADD COLUMN note VARCHAR;
