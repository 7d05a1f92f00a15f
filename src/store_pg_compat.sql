-- store_pg_compat.sql: the SQLite functions the engine's SQL uses, with
-- SQLite's semantics, for a ledger on PostgreSQL (store.h, section 3).
-- Created in the ledger's schema (the first of search_path) when the
-- ledger's schema is created; the translator (store_pg_sql.c) renames the
-- calls: date() → sqlite_date(), julianday() → sqlite_julianday(),
-- strftime() → sqlite_strftime(), printf() → sqlite_printf(),
-- hex() → sqlite_hex(), randomblob() → sqlite_randomblob(),
-- random() → sqlite_random(), the scalar min(a, b)/max(a, b) → sqlite_min()/sqlite_max(). Dates are TEXT 'YYYY-MM-DD' as in the ledger;
-- a time part ('YYYY-MM-DD HH:MM:SS') is read and dropped. Each function is
-- compared with SQLite on the same inputs in tests/test_store.c.
-- (This file is compiled into the library as a C string: store_pg_compat.c.)

-- y, m, d of a date text (d 1–31 unchecked against the month, as SQLite),
-- NULL when it is not one
CREATE OR REPLACE FUNCTION sqlite__ymd(t text) RETURNS int[] LANGUAGE plpgsql IMMUTABLE AS $f$
DECLARE
	m text[];
BEGIN
	IF t IS NULL THEN RETURN NULL; END IF;
	m := regexp_match(t, '^(\d{4})-(\d{2})-(\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$');
	IF m IS NULL THEN RETURN NULL; END IF;
	IF m[2]::int NOT BETWEEN 1 AND 12 OR m[3]::int NOT BETWEEN 1 AND 31 THEN RETURN NULL; END IF;
	RETURN ARRAY[m[1]::int, m[2]::int, m[3]::int];
END $f$;

-- the date of y-m-d with a day past the month's end carried into the next (SQLite's normalisation)
CREATE OR REPLACE FUNCTION sqlite__norm(y int, mo int, d int) RETURNS date LANGUAGE sql IMMUTABLE AS $f$
	SELECT make_date(((y * 12 + mo - 1) - (((y * 12 + mo - 1) % 12) + 12) % 12) / 12,
	                 ((((y * 12 + mo - 1) % 12) + 12) % 12) + 1, 1) + (d - 1)
$f$;

-- the date after SQLite's modifiers: '±N day(s)', '±N month(s)', '±N year(s)',
-- 'start of month', 'start of year'; NULL for any other (as SQLite)
CREATE OR REPLACE FUNCTION sqlite__apply(t text, mods text[]) RETURNS date LANGUAGE plpgsql IMMUTABLE AS $f$
DECLARE
	v int[] := sqlite__ymd(t);
	y int; mo int; d int;
	mod text; m text[]; n numeric; dt date;
BEGIN
	IF v IS NULL THEN RETURN NULL; END IF;
	y := v[1]; mo := v[2]; d := v[3];
	dt := sqlite__norm(y, mo, d);
	FOREACH mod IN ARRAY coalesce(mods, '{}'::text[]) LOOP
		IF mod IS NULL THEN RETURN NULL; END IF;
		IF lower(mod) = 'start of month' THEN
			dt := date_trunc('month', dt)::date; CONTINUE;
		ELSIF lower(mod) = 'start of year' THEN
			dt := date_trunc('year', dt)::date; CONTINUE;
		END IF;
		m := regexp_match(lower(mod), '^\s*([+-]?\d+(?:\.\d*)?)\s+(days?|months?|years?)$');
		IF m IS NULL THEN RETURN NULL; END IF;
		n := m[1]::numeric;
		IF m[2] LIKE 'day%' THEN
			dt := dt + floor(n)::int;
		ELSE
			y := extract(year FROM dt)::int; mo := extract(month FROM dt)::int; d := extract(day FROM dt)::int;
			IF m[2] LIKE 'month%' THEN mo := mo + trunc(n)::int; ELSE y := y + trunc(n)::int; END IF;
			dt := sqlite__norm(y, mo, d);
		END IF;
	END LOOP;
	RETURN dt;
END $f$;

CREATE OR REPLACE FUNCTION sqlite_date(t text, VARIADIC mods text[] DEFAULT '{}') RETURNS text LANGUAGE plpgsql IMMUTABLE AS $f$
DECLARE
	v int[];
BEGIN
	IF cardinality(mods) = 0 THEN
		-- no modifier: SQLite writes the fields it read (2023-02-30 stays)
		v := sqlite__ymd(t);
		IF v IS NULL THEN RETURN NULL; END IF;
		RETURN lpad(v[1]::text, 4, '0') || '-' || lpad(v[2]::text, 2, '0') || '-' || lpad(v[3]::text, 2, '0');
	END IF;
	RETURN to_char(sqlite__apply(t, mods), 'YYYY-MM-DD');
END $f$;

CREATE OR REPLACE FUNCTION sqlite_julianday(t text, VARIADIC mods text[] DEFAULT '{}') RETURNS double precision
LANGUAGE sql IMMUTABLE AS $f$
	SELECT (sqlite__apply(t, mods) - date '1970-01-01') + 2440587.5::double precision
$f$;

-- %d %m %Y %j %w %H %M %S %s %J %%; any other conversion: NULL (as SQLite 3.40)
CREATE OR REPLACE FUNCTION sqlite_strftime(fmt text, t text, VARIADIC mods text[] DEFAULT '{}') RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $f$
DECLARE
	dt date := sqlite__apply(t, mods);
	out text := ''; i int := 1; c text;
BEGIN
	IF fmt IS NULL OR dt IS NULL THEN RETURN NULL; END IF;
	WHILE i <= length(fmt) LOOP
		c := substr(fmt, i, 1);
		IF c <> '%' THEN out := out || c; i := i + 1; CONTINUE; END IF;
		c := substr(fmt, i + 1, 1);
		out := out || CASE c
			WHEN 'd' THEN to_char(dt, 'DD') WHEN 'm' THEN to_char(dt, 'MM') WHEN 'Y' THEN to_char(dt, 'YYYY')
			WHEN 'j' THEN to_char(dt, 'DDD') WHEN 'w' THEN extract(dow FROM dt)::int::text
			WHEN 'H' THEN '00' WHEN 'M' THEN '00' WHEN 'S' THEN '00'
			WHEN 's' THEN ((dt - date '1970-01-01')::bigint * 86400)::text
			WHEN 'J' THEN ((dt - date '1970-01-01') + 2440587.5)::text
			WHEN '%' THEN '%'
			ELSE NULL END;
		IF out IS NULL THEN RETURN NULL; END IF;
		i := i + 2;
	END LOOP;
	RETURN out;
END $f$;

-- the integer prefix of a text as SQLite's CAST(x AS INTEGER) reads it ('12abc' → 12, '' → 0)
CREATE OR REPLACE FUNCTION sqlite_int(t text) RETURNS bigint LANGUAGE sql IMMUTABLE AS $f$
	SELECT CASE WHEN t IS NULL THEN NULL
		ELSE coalesce((regexp_match(t, '^\s*([+-]?\d+)'))[1]::bigint, 0) END
$f$;

-- printf with %d %s %% and their flags '-' '0' and width, %.Nf; NULL arguments as SQLite (0, '')
CREATE OR REPLACE FUNCTION sqlite_printf(fmt text, VARIADIC args text[] DEFAULT '{}') RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $f$
DECLARE
	out text := ''; i int := 1; k int := 1; m text[]; spec text; v text; w int;
BEGIN
	IF fmt IS NULL THEN RETURN NULL; END IF;
	WHILE i <= length(fmt) LOOP
		IF substr(fmt, i, 1) <> '%' THEN out := out || substr(fmt, i, 1); i := i + 1; CONTINUE; END IF;
		m := regexp_match(substr(fmt, i), '^%([-0]*)(\d*)(?:\.(\d+))?([dsf%])');
		IF m IS NULL THEN RETURN NULL; END IF;
		spec := m[4];
		i := i + length((regexp_match(substr(fmt, i), '^%[-0]*\d*(?:\.\d+)?[dsf%]'))[1]);
		IF spec = '%' THEN out := out || '%'; CONTINUE; END IF;
		v := args[k]; k := k + 1;
		IF spec = 'd' THEN v := coalesce(sqlite_int(v), 0)::text;
		ELSIF spec = 'f' THEN v := to_char(coalesce(nullif(v, '')::numeric, 0), 'FM999999999999990.' || repeat('0', coalesce(m[3], '6')::int));
		ELSE v := coalesce(v, '');
		END IF;
		w := coalesce(nullif(m[2], '')::int, 0);
		IF length(v) < w THEN
			IF position('-' IN m[1]) > 0 THEN v := rpad(v, w);
			ELSIF position('0' IN m[1]) > 0 AND spec <> 's' THEN
				v := CASE WHEN left(v, 1) = '-' THEN '-' || lpad(substr(v, 2), w - 1, '0') ELSE lpad(v, w, '0') END;
			ELSE v := lpad(v, w);
			END IF;
		END IF;
		out := out || v;
	END LOOP;
	RETURN out;
END $f$;

-- hex(NULL) is '' in SQLite
CREATE OR REPLACE FUNCTION sqlite_hex(b bytea) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
	SELECT coalesce(upper(encode(b, 'hex')), '')
$f$;
CREATE OR REPLACE FUNCTION sqlite_hex(t text) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
	SELECT coalesce(upper(encode(convert_to(t, 'UTF8'), 'hex')), '')
$f$;
CREATE OR REPLACE FUNCTION sqlite_hex(n bigint) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
	SELECT coalesce(upper(encode(convert_to(n::text, 'UTF8'), 'hex')), '')
$f$;

-- the scalar min(a, b, …) / max(a, b, …): NULL when any argument is NULL
-- (least()/greatest() skip NULLs)
CREATE OR REPLACE FUNCTION sqlite_min(VARIADIC a anycompatiblearray) RETURNS anycompatible LANGUAGE sql IMMUTABLE AS $f$
	SELECT CASE WHEN array_position(a, NULL) IS NOT NULL THEN NULL ELSE (SELECT min(x) FROM unnest(a) x) END
$f$;
CREATE OR REPLACE FUNCTION sqlite_max(VARIADIC a anycompatiblearray) RETURNS anycompatible LANGUAGE sql IMMUTABLE AS $f$
	SELECT CASE WHEN array_position(a, NULL) IS NOT NULL THEN NULL ELSE (SELECT max(x) FROM unnest(a) x) END
$f$;

CREATE OR REPLACE FUNCTION sqlite_randomblob(n int) RETURNS bytea LANGUAGE sql VOLATILE AS $f$
	SELECT coalesce(string_agg(set_byte('\x00'::bytea, 0, floor(random() * 256)::int), ''::bytea), ''::bytea)
	FROM generate_series(1, greatest(n, 1))
$f$;

CREATE OR REPLACE FUNCTION sqlite_random() RETURNS bigint LANGUAGE sql VOLATILE AS $f$
	SELECT (floor(random() * 18446744073709551616::numeric) - 9223372036854775808::numeric)::bigint
$f$;

-- lastval() that is 0 instead of an error before any insert of the session
CREATE OR REPLACE FUNCTION sqlite_last_insert_rowid() RETURNS bigint LANGUAGE plpgsql VOLATILE AS $f$
BEGIN
	RETURN lastval();
EXCEPTION WHEN object_not_in_prerequisite_state THEN
	RETURN 0;
END $f$;

-- the append-only change records: BEFORE UPDATE OR DELETE … FOR EACH ROW
-- EXECUTE FUNCTION bz_append_only() (SQLite: RAISE(ABORT, …))
CREATE OR REPLACE FUNCTION bz_append_only() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
	RAISE EXCEPTION 'change records are append-only';
END $f$;
