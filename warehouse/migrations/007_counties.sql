-- Release 7: a province's or city's register names each township's county (and city). NULL in a
-- single-county register. A name found in two counties is qualified by its county (parsers/register.py).
ALTER TABLE townships ADD COLUMN county VARCHAR;
ALTER TABLE townships ADD COLUMN city VARCHAR;
