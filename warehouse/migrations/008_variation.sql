-- Release 8: real reports as they vary. Why the parser did not take a printed value (an amount whose unit
-- cannot be told, a row whose label could not be told apart): the analyst reads it in UNREADABLE_CELL.
ALTER TABLE facts ADD COLUMN note VARCHAR;
