package bianzhi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.Assume;

/**
 * How every Java test opens a ledger: the twin of tests/python/conftest.py
 * (and of tu_ledger() in tests/testutil.c for the C suites).
 * <p>
 * With BZ_TEST_PG_URI unset (the meson test {@code java}) a ledger is the file
 * (or ":memory:") the test names, opened as {@link Ledger#open} opens it. With
 * it set (the meson test {@code java_pg}, suite "pg": tests/pg_cluster.sh
 * starts a throwaway cluster, BZ_TEST_PG_URI is its BZ_PG_URI) every ledger a
 * test opens is a schema of its own on that server instead: ":memory:" a fresh
 * schema at every open; a file path a fresh schema the first time and the same
 * one whenever that path is opened again, so a reopen finds what was written.
 * Every test makes its files in a fresh temporary folder, so a path is never
 * shared by two tests. The schemas are not dropped: the cluster is thrown away.
 * <p>
 * A test about ledger files (a second connection's lock on the file, backup
 * and restore, a file that is not SQLite, a missing folder) calls
 * {@link #sqliteOnly} first: on PostgreSQL it is skipped with the reason, as
 * its Python twin is.
 */
final class TestLedgers {
    /** The server's URI without a schema, or null: the ledgers are SQLite files. */
    static final String PG_URI = nonEmpty(System.getenv("BZ_TEST_PG_URI"));
    private static final String PSQL = Path.of(
            nonEmpty(System.getenv("BZ_PG_BIN")) != null ? System.getenv("BZ_PG_BIN") : "/usr/lib/postgresql/15/bin",
            "psql").toString();
    /** on PostgreSQL: the schema each ledger path went to */
    private static final Map<String, String> SCHEMA_OF = new ConcurrentHashMap<>();
    private static final AtomicInteger SCHEMAS = new AtomicInteger();

    private TestLedgers() {
    }

    private static String nonEmpty(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /** Whether the tests run against a PostgreSQL server (BZ_TEST_PG_URI set). */
    static boolean onPg() {
        return PG_URI != null;
    }

    /**
     * On PostgreSQL, skip the running test (JUnit's Assume), saying why: a test
     * about ledger files. The reason is also printed, since JUnitCore's own
     * output counts a skipped test as run and does not show it.
     */
    static void sqliteOnly(String why) {
        if (PG_URI != null)
            System.out.println("\nSKIP " + runningTest() + ": SQLite only: " + why);
        Assume.assumeTrue("SQLite only: " + why, PG_URI == null);
    }

    /** Class.method of the test running on this thread, "" when none is on its stack. */
    private static String runningTest() {
        for (StackTraceElement f : Thread.currentThread().getStackTrace()) {
            String c = f.getClassName();
            if (c.startsWith("bianzhi.") && (c.endsWith("Test") || c.contains("Test$")))
                return c.substring("bianzhi.".length()).replaceAll("\\$.*", "") + "." + f.getMethodName();
        }
        return "";
    }

    /**
     * What a test's ledger path is opened as: the path itself on SQLite; on
     * PostgreSQL the server's URI with the path's schema. A path the library
     * must refuse (null, an embedded NUL) and a URI already go as they are.
     */
    static String uri(String path) {
        if (PG_URI == null || path == null || path.indexOf('\0') >= 0 || path.startsWith("postgresql://")
                || path.startsWith("postgres://"))
            return path;
        String schema = path.equals(":memory:") ? fresh() : SCHEMA_OF.computeIfAbsent(path, p -> fresh());
        return PG_URI + (PG_URI.contains("?") ? "&" : "?") + "schema=" + schema;
    }

    /** {@link Ledger#open(String)} of the test's ledger (see {@link #uri}). */
    static Ledger open(String path) {
        return Ledger.open(uri(path));
    }

    /** {@link Ledger#open(String, boolean, boolean)} of the test's ledger. */
    static Ledger open(String path, boolean create, boolean readOnly) {
        return Ledger.open(uri(path), create, readOnly);
    }

    /** {@link Ledger#open(String, boolean, boolean, boolean)} of the test's ledger. */
    static Ledger open(String path, boolean create, boolean readOnly, boolean syncNormal) {
        return Ledger.open(uri(path), create, readOnly, syncNormal);
    }

    /**
     * A schema name nobody has used in this cluster: j, the process, a count,
     * then the test class and method that asked (for whoever reads the server's
     * log), within PostgreSQL's 63 characters of [a-z0-9_].
     */
    private static String fresh() {
        String name = "j" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet() + "_"
                + runningTest().toLowerCase().replaceAll("[^a-z0-9]+", "_");
        return name.length() > 63 ? name.substring(0, 63) : name;
    }

    /**
     * Run SQL on a test's ledger behind the library, through a second
     * connection: python3's sqlite3 on the file, or psql in the ledger's schema
     * on the server (pgSql; null: the same text). Statements are separated by
     * ';' (none inside a literal). The last statement's rows, each a list of
     * its values as text. Throws AssertionError when the SQL fails.
     */
    static List<List<String>> behind(String path, String sqliteSql, String pgSql) {
        List<String> cmd = new ArrayList<>();
        if (PG_URI == null) {
            cmd.add("python3");
            cmd.add("-c");
            cmd.add("import sqlite3, sys\n"
                    + "c = sqlite3.connect(sys.argv[1])\n"
                    + "rows = []\n"
                    + "for s in sys.argv[2].split(';'):\n"
                    + "    if s.strip():\n"
                    + "        rows = c.execute(s).fetchall()\n"
                    + "c.commit()\n"
                    + "for r in rows:\n"
                    + "    print('\\t'.join(str(v) for v in r))\n");
            cmd.add(path);
            cmd.add(sqliteSql);
        } else {
            String schema = SCHEMA_OF.get(path);
            if (schema == null)
                throw new AssertionError("behind: " + path + " was never opened by this test");
            cmd.add(PSQL);
            cmd.add("-qAtX");
            cmd.add("-F");
            cmd.add("\t");
            cmd.add("-v");
            cmd.add("ON_ERROR_STOP=1");
            cmd.add(PG_URI);
            cmd.add("-c");
            cmd.add("SET search_path TO \"" + schema + "\"; " + (pgSql != null ? pgSql : sqliteSql));
        }
        String out, err;
        int rc;
        try {
            Process p = new ProcessBuilder(cmd).start();
            p.getOutputStream().close();
            // the output is a few rows: read one stream, then the other
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            rc = p.waitFor();
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("behind: " + cmd.get(0) + ": " + e, e);
        }
        if (rc != 0)
            throw new AssertionError("behind: " + cmd.get(0) + " exited " + rc + ": " + err + out);
        List<List<String>> rows = new ArrayList<>();
        for (String line : out.split("\n", -1))
            if (!line.isEmpty())
                rows.add(List.of(line.split("\t", -1)));
        return rows;
    }
}
