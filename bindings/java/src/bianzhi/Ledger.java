package bianzhi;

import java.lang.ref.Cleaner;
import java.time.LocalDate;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * An open ledger: one connection to one ledger file (or ":memory:"), or to a
 * ledger in a schema of a PostgreSQL server
 * ({@code Ledger.open("postgresql://USER@HOST/DB?schema=NAME")}: libpq's URI
 * and parameters; a password in it is never shown, {@link #getPath()} and every
 * message give it as {@code ***}; backup and restore are for files).
 *
 * <pre>
 * try (Ledger l = Ledger.open("longnan.ledger");
 *      Transaction t = l.begin("张三", "陇南市编办")) {
 *     t.createJurisdiction("620000", "甘肃省", null);
 *     t.commit();                       // ConstraintViolationException if refused
 * }
 * </pre>
 *
 * <p>{@link #close()} (or try-with-resources) closes it; a Cleaner closes a
 * ledger that was forgotten. Transactions and cursors still alive afterwards
 * throw {@link MisuseException}. Not to be used from two threads at once.
 * C objects released by the Cleaner of a dropped transaction or cursor are
 * freed on the ledger's own thread, at its next call (never concurrently).
 */
public final class Ledger implements AutoCloseable {
    static final Cleaner CLEANER = Cleaner.create();

    /** The native handle and the frees waiting for the ledger's thread. */
    static final class State implements Runnable {
        volatile long ptr;
        final ConcurrentLinkedQueue<Runnable> pending = new ConcurrentLinkedQueue<>();

        State(long ptr) {
            this.ptr = ptr;
        }

        /** Run the frees queued by Cleaners (on the caller's thread). */
        void drain() {
            Runnable r;
            while ((r = pending.poll()) != null)
                r.run();
        }

        long handle() {
            drain();
            if (ptr == 0)
                throw new MisuseException("the ledger is closed");
            return ptr;
        }

        /** Close the ledger (Cleaner action, or close()). */
        @Override
        public synchronized void run() {
            drain();
            if (ptr != 0) {
                long p = ptr;
                ptr = 0;
                capi.bz_ledger_close(p);
            }
            drain();
        }
    }

    final State state;
    private final Cleaner.Cleanable cleanable;
    private final String path;

    private Ledger(long ptr, String path) {
        this.state = new State(ptr);
        this.cleanable = CLEANER.register(this, state);
        this.path = path;
    }

    /**
     * Open, creating it if need be, the ledger at path (":memory:" for a private
     * one; a postgresql:// URI for the ledger in a schema of a server).
     */
    public static Ledger open(String path) {
        return open(path, true, false);
    }

    /**
     * Open the ledger at path. create: create the file if missing; readOnly:
     * open an existing ledger read-only (commits throw LedgerIOException).
     * Throws NotALedgerException, SchemaTooNewException, LedgerIOException,
     * BusyException, InvalidArgumentException (null path).
     * <p>
     * path may be a PostgreSQL URI, {@code postgresql://USER@HOST/DB?schema=NAME}
     * (libpq's parameters besides schema: host=/socket/dir, port, sslmode…): the
     * ledger in that schema of the server. create makes the schema and the ledger;
     * without it a missing schema is a LedgerIOException and an empty one a
     * NotALedgerException. readOnly is kept by the library, not the session (a
     * server's own guarantee is a role granted SELECT); syncNormal is the session's
     * synchronous_commit=off; backup and restore are refused (pg_dump). A password
     * in the URI is never shown ({@code ***} in getPath() and every message).
     * C's bz_ledger_open (ledger.h) says it all.
     */
    public static Ledger open(String path, boolean create, boolean readOnly) {
        return open(path, create, readOnly, false);
    }

    /**
     * Open the ledger at path as {@link #open(String, boolean, boolean)};
     * syncNormal: commit without waiting for the disk (BZ_OPEN_SYNC_NORMAL) —
     * faster, but a power loss may lose the last commits (the file is never
     * corrupted); a legal ledger keeps the default. Not with readOnly
     * (InvalidArgumentException).
     */
    public static Ledger open(String path, boolean create, boolean readOnly, boolean syncNormal) {
        if (path == null)
            throw new InvalidArgumentException("path: a file name, \":memory:\" or a postgresql:// URI is required, got null");
        long flags = readOnly ? capiConstants.BZ_OPEN_READONLY : create ? capiConstants.BZ_OPEN_CREATE : 0;
        if (syncNormal)
            flags |= capiConstants.BZ_OPEN_SYNC_NORMAL;
        long[] out = new long[1];
        int rc = capi.bz_ledger_open(out, path, flags);
        if (rc < 0) // the cause of a failed open: the path, what failed and the OS's reason
            throw BianzhiException.of(rc, capi.bz_ledger_errmsg(0));
        return new Ledger(out[0], shown(path));
    }

    /** Whether a ledger's path is a PostgreSQL URI (postgresql:// or postgres://), not a file. */
    static boolean isUri(String path) {
        return path != null && (path.startsWith("postgresql://") || path.startsWith("postgres://"));
    }

    /**
     * A ledger's path as it may be shown: a URI's password (the userinfo's
     * ":secret@", a "password=" parameter) as "***", the library's rule.
     */
    static String shown(String path) {
        if (!isUri(path))
            return path;
        int s = path.indexOf("://") + 3, end = path.length();
        for (char c : new char[] {'/', '?', '#'}) {
            int i = path.indexOf(c, s);
            if (i >= 0 && i < end)
                end = i;
        }
        String auth = path.substring(s, end);
        int at = auth.lastIndexOf('@');
        int colon = at >= 0 ? auth.substring(0, at).indexOf(':') : -1;
        if (colon >= 0)
            auth = auth.substring(0, colon) + ":***" + auth.substring(at);
        String tail = path.substring(end).replaceAll("(?<=[?&])password=[^&#]*", "password=***");
        return path.substring(0, s) + auth + tail;
    }

    /** Close the ledger (an open transaction is rolled back). Idempotent. */
    @Override
    public void close() {
        cleanable.clean();
    }

    /** True once closed. */
    public boolean isClosed() {
        return state.ptr == 0;
    }

    /** The path it was opened with (a PostgreSQL URI without its password). */
    public String getPath() {
        return path;
    }

    /** Schema version stored in the ledger. */
    public int getSchemaVersion() {
        int[] v = new int[1];
        BianzhiException.check(capi.bz_ledger_schema_version(v, state.handle()), state);
        return v[0];
    }

    /** Today's date as the ledger sees it. */
    public LocalDate getToday() {
        String s = capi.bzw_ledger_today(state.handle());
        if (s == null)
            BianzhiException.check(capiConstants.BZ_ERROR, state);
        return LocalDate.parse(s);
    }

    /** Fix the ledger's "today" (null: back to the system clock). */
    public void setClock(LocalDate date) {
        BianzhiException.check(capi.bz_ledger_set_clock(state.handle(), Values.date(date)), state);
    }

    /**
     * How long a call waits for another connection's write lock before it
     * throws BusyException: milliseconds, 0 to one hour (the default is
     * 5000; 0 means never wait). InvalidArgumentException out of range.
     */
    public void setBusyTimeout(int milliseconds) {
        BianzhiException.check(capi.bz_ledger_set_busy_timeout(state.handle(), milliseconds), state);
    }

    /**
     * Begin a transaction as user of office. Throws MisuseException if one is
     * already open on this ledger, BusyException if another connection writes.
     */
    public Transaction begin(String user, String office) {
        long[] out = new long[1];
        BianzhiException.check(capi.bz_txn_begin(out, state.handle(), user, office), state);
        return new Transaction(this, out[0]);
    }

    /**
     * Begin a transaction as user acting for the registered office with that
     * UUID: the records carry its name and R15 judges it at commit (office.h).
     * NotFoundException if the ledger has no such office.
     */
    public Transaction beginOffice(String user, String officeUuid) {
        long[] out = new long[1];
        BianzhiException.check(capi.bz_txn_begin_office(out, state.handle(), user, officeUuid), state);
        return new Transaction(this, out[0]);
    }

    /** The office with that UUID; NotFoundException if none. */
    public Office office(String uuid) {
        long[] out = new long[1];
        BianzhiException.check(capi.bz_office_lookup(out, state.handle(), uuid), state);
        return Office.take(out[0]);
    }

    /** The office with exactly that name; NotFoundException if none. */
    public Office findOffice(String name) {
        long[] out = new long[1];
        BianzhiException.check(capi.bz_office_find(out, state.handle(), name), state);
        return Office.take(out[0]);
    }

    /** The offices of a jurisdiction (null: all), in order of registration. */
    public Cursor<Office> offices(String jurisdictionCode) {
        long[] out = new long[1];
        BianzhiException.check(capi.bz_office_list(out, state.handle(), jurisdictionCode), state);
        return new Cursor<>(state, out[0], p -> {
            long[] o = new long[1];
            int rc = capi.bz_office_iter_next(o, p);
            return rc == capiConstants.BZ_OK ? new long[] {rc, o[0]} : new long[] {rc, 0};
        }, capi::bz_office_iter_free, Office::take);
    }

    /** Whether offices of kind may make changes of power on date (null: today). */
    public boolean officePower(OfficeType kind, Power power, LocalDate date) {
        int[] out = new int[1];
        BianzhiException.check(capi.bz_office_power_get(out, state.handle(), Values.code(kind, 0), Values.code(power, 0),
                Values.date(date)), state);
        return out[0] != 0;
    }

    /** The document with that UUID; NotFoundException if none. */
    public Document document(String uuid) {
        long[] out = new long[1];
        BianzhiException.check(capi.bz_document_lookup(out, state.handle(), uuid), state);
        return Document.take(out[0]);
    }

    /** The document of issuer with that number (any accepted spelling). */
    public Document findDocument(String issuer, String number) {
        long[] out = new long[1];
        BianzhiException.check(capi.bz_document_find(out, state.handle(), issuer, number), state);
        return Document.take(out[0]);
    }

    /** The jurisdiction with that 6-digit division code. */
    public Jurisdiction jurisdiction(String code) {
        long[] out = new long[1];
        BianzhiException.check(capi.bz_jurisdiction_lookup(out, state.handle(), code), state);
        return Jurisdiction.take(out[0]);
    }

    /** The jurisdictions directly under parentCode (null: the top-level ones), by code. */
    public Cursor<Jurisdiction> jurisdictions(String parentCode) {
        long[] out = new long[1];
        BianzhiException.check(capi.bz_jurisdiction_children(out, state.handle(), parentCode), state);
        return new Cursor<>(state, out[0], p -> {
            long[] o = new long[1];
            int rc = capi.bz_jurisdiction_iter_next(o, p);
            return rc == capiConstants.BZ_OK ? new long[] {rc, o[0]} : new long[] {rc, 0};
        }, capi::bz_jurisdiction_iter_free, Jurisdiction::take);
    }

    /** The unit as it stood at date (null: today); NotFoundException if none or not yet founded. */
    public Unit unit(String uuid, LocalDate date) {
        long[] out = new long[1];
        BianzhiException.check(capi.bz_unit_lookup(out, state.handle(), uuid, Values.date(date)), state);
        return Unit.take(out[0]);
    }

    /** The unit with that unified social credit code, as of date (null: today). */
    public Unit unitByCreditCode(String code, LocalDate date) {
        long[] out = new long[1];
        BianzhiException.check(capi.bz_unit_lookup_credit_code(out, state.handle(), code, Values.date(date)), state);
        return Unit.take(out[0]);
    }

    /** The unit that bore name at date (null: today) in a jurisdiction (null: any); ExistsException if ambiguous. */
    public Unit unitByName(String name, String jurisdictionCode, LocalDate date) {
        long[] out = new long[1];
        BianzhiException.check(capi.bz_unit_lookup_name(out, state.handle(), jurisdictionCode, name,
                Values.date(date)), state);
        return Unit.take(out[0]);
    }

    /** The units of a jurisdiction in being at date (null: today), by name. */
    public Cursor<Unit> units(String jurisdictionCode, LocalDate date) {
        long[] out = new long[1];
        BianzhiException.check(capi.bz_unit_list(out, state.handle(), jurisdictionCode, Values.date(date)), state);
        return new Cursor<>(state, out[0], p -> {
            long[] o = new long[1];
            int rc = capi.bz_unit_iter_next(o, p);
            return new long[] {rc, o[0]};
        }, capi::bz_unit_iter_free, Unit::take);
    }

    /** The establishment category with that code; NotFoundException if none. */
    public Category category(String code) {
        long[] out = new long[1];
        BianzhiException.check(capi.bz_category_lookup(out, state.handle(), code), state);
        return Category.take(out[0]);
    }

    /** The establishment categories, by code. */
    public Cursor<Category> categories() {
        long[] out = new long[1];
        BianzhiException.check(capi.bz_category_list(out, state.handle()), state);
        return new Cursor<>(state, out[0], p -> {
            long[] o = new long[1];
            int rc = capi.bz_category_iter_next(o, p);
            return new long[] {rc, o[0]};
        }, capi::bz_category_iter_free, Category::take);
    }

    /** The establishment of a unit in a category at date (null: today); 0 if never set. */
    public long establishment(String unitUuid, String category, LocalDate date) {
        long[] out = new long[1];
        BianzhiException.check(capi.bz_establishment_get(out, state.handle(), unitUuid, category,
                Values.date(date)), state);
        return out[0];
    }

    /** Posts of a unit's category frozen (冻结) at date (null: today); 0 if none. */
    public long frozen(String unitUuid, String category, LocalDate date) {
        long[] out = new long[1];
        BianzhiException.check(capi.bz_establishment_frozen_get(out, state.handle(), unitUuid, category,
                Values.date(date)), state);
        return out[0];
    }

    /**
     * A unit's hiring plan (用编计划) for a year: the most posts its usage slips
     * of that year may total; null if it has none.
     */
    public Long hiringPlan(String unitUuid, int year) {
        long[] out = new long[1];
        BianzhiException.check(capi.bz_hiring_plan_get(out, state.handle(), unitUuid, year), state);
        return Values.figure(out[0]);
    }

    /**
     * The value of a rule parameter at date (null: today): its default if it
     * was never set, null if it has neither. Names: see
     * {@link Transaction#setRuleParam}. InvalidArgumentException for an
     * unknown name.
     */
    public String ruleParam(String name, LocalDate date) {
        byte[][] out = new byte[1][];
        BianzhiException.check(capi.bz_rule_param_get(out, state.handle(), name, Values.date(date)), state);
        return NativeLoader.str(out[0]);
    }

    /** A unit's attribute in force at date (null: today); null if unset. */
    public String unitAttr(String unitUuid, String key, LocalDate date) {
        byte[][] out = new byte[1][];
        BianzhiException.check(capi.bz_unit_attr_get(out, state.handle(), unitUuid, key, Values.date(date)), state);
        return NativeLoader.str(out[0]);
    }

    /** The cut-over date of the opening (建账) resting on the document; NotFoundException if none. */
    public LocalDate openingCutover(String documentUuid) {
        byte[][] out = new byte[1][];
        BianzhiException.check(capi.bz_opening_cutover(out, state.handle(), documentUuid), state);
        return Values.date(NativeLoader.str(out[0]));
    }

    /** The rules table of the library (R1 … R11, INTEGRITY), in its order; the same for every ledger. */
    public static java.util.List<RuleInfo> rules() {
        return RuleInfo.table();    // generated from the headers' bz_rule_* functions
    }

    /** The limit ledger (限额台账) of a jurisdiction at date (null: today). */
    public LimitLedger limitLedger(String jurisdictionCode, LocalDate date) {
        long[] out = new long[1];
        BianzhiException.check(capi.bz_limit_ledger_get(out, state.handle(), jurisdictionCode, Values.date(date)),
                state);
        return LimitLedger.take(out[0]);
    }

    /** The leadership quota of a unit or sub-unit at date (null: today). */
    public Leadership leadership(String subjectUuid, LocalDate date) {
        long[] out = new long[1];
        BianzhiException.check(capi.bz_leadership_get(out, state.handle(), subjectUuid, Values.date(date)), state);
        return Leadership.take(out[0]);
    }

    /** The sub-unit as it stood at date (null: today). */
    public Subunit subunit(String uuid, LocalDate date) {
        long[] out = new long[1];
        BianzhiException.check(capi.bz_subunit_lookup(out, state.handle(), uuid, Values.date(date)), state);
        return Subunit.take(out[0]);
    }

    /** The sub-units of a unit in being at date (null: today). */
    public Cursor<Subunit> subunits(String unitUuid, LocalDate date) {
        long[] out = new long[1];
        BianzhiException.check(capi.bz_subunit_list(out, state.handle(), unitUuid, Values.date(date)), state);
        return new Cursor<>(state, out[0], p -> {
            long[] o = new long[1];
            int rc = capi.bz_subunit_iter_next(o, p);
            return new long[] {rc, o[0]};
        }, capi::bz_subunit_iter_free, Subunit::take);
    }

    /**
     * Check every rule over the whole ledger at date (null: today); nothing is
     * changed. Returns every violation found.
     */
    public java.util.List<Violation> check(LocalDate date) {
        long[] out = new long[1];
        BianzhiException.check(capi.bz_ledger_check(out, state.handle(), Values.date(date)), state);
        try {
            return Values.violations(out[0]);
        } finally {
            capi.bz_report_free(out[0]);
        }
    }

    /**
     * The head of the change records' hash chain (verify.h): its position
     * and hex SHA-256, to print and sign off. An empty ledger gives seq 0
     * and 64 zeros. MisuseException while a transaction is open.
     */
    public Head headHash() {
        byte[][] hash = new byte[1][];
        long[] seq = new long[1];
        BianzhiException.check(capi.bz_ledger_head_hash(hash, seq, state.handle()), state);
        return new Head(seq[0], NativeLoader.str(hash[0]));
    }

    /** A head of the hash chain: the position (seq) of the last change record and its hash. */
    public record Head(long seq, String hash) {}

    /**
     * Walk the hash chain and recompute the derived counters and stored
     * files (nothing is changed): empty when intact, else one INTEGRITY
     * error per finding (a chain finding has category "CHAIN" and its
     * position as actual()). With head (may be null), a head taken earlier
     * with headHash(), empty only if the ledger is unchanged since then.
     */
    public java.util.List<Violation> verify(Head head) {
        long[] out = new long[1];
        BianzhiException.check(capi.bz_ledger_verify(out, state.handle(), head == null ? 0 : head.seq(),
                head == null ? null : head.hash()), state);
        try {
            return Values.violations(out[0]);
        } finally {
            capi.bz_report_free(out[0]);
        }
    }

    /** The person with that citizen ID number. */
    public Person personByIdNumber(String idNumber) {
        long[] out = new long[1];
        BianzhiException.check(capi.bz_person_lookup_idnum(out, state.handle(), idNumber), state);
        return Person.take(out[0]);
    }

    /** Table 1 (机构编制基本情况) of a unit at date (null: today). */
    public BasicTable basicTable(String unitUuid, LocalDate date) {
        long[] out = new long[1];
        BianzhiException.check(capi.bz_basic_table_get(out, state.handle(), unitUuid, Values.date(date)), state);
        return BasicTable.take(out[0]);
    }

    /** The number of sub-units approved for a unit at date (null: today). */
    public long subunitsApproved(String unitUuid, LocalDate date) {
        long[] out = new long[1];
        BianzhiException.check(capi.bz_subunit_approved(out, state.handle(), unitUuid, Values.date(date)), state);
        return out[0];
    }

    /** The norm for a kind of a rank: {most principals, most deputies}; NotFoundException if none. */
    public int[] leadershipNorm(NormKind kind, Rank rank) {
        int[] p = new int[1], d = new int[1];
        BianzhiException.check(capi.bz_leadership_norm_get(p, d, state.handle(), Values.code(kind, 0),
                Values.code(rank, -1)), state);
        return new int[] {p[0], d[0]};
    }

    /** The person with that UUID. */
    public Person person(String uuid) {
        long[] out = new long[1];
        BianzhiException.check(capi.bz_person_lookup(out, state.handle(), uuid), state);
        return Person.take(out[0]);
    }

    /** The person with that management card number. */
    public Person personByCard(String cardNumber) {
        long[] out = new long[1];
        BianzhiException.check(capi.bz_person_lookup_card(out, state.handle(), cardNumber), state);
        return Person.take(out[0]);
    }

    /** The management card (人员编制管理卡) with that number: the person and every placement. */
    public Card card(String cardNumber) {
        long[] out = new long[1];
        BianzhiException.check(capi.bz_card_lookup(out, state.handle(), cardNumber), state);
        return Card.take(out[0]);
    }

    // ---- reports (seed §13.3): each a Sheet, written as CSV, XLSX or JSON

    private Sheet sheet(int rc, long[] out) {
        BianzhiException.check(rc, state);
        return new Sheet(out[0]);
    }

    /** Table 1 (机构编制基本情况表) of a jurisdiction and those under it at date (null: today). */
    public Sheet sheetTable1(String jurisdictionCode, LocalDate date) {
        long[] out = new long[1];
        return sheet(capi.bz_sheet_table1(out, state.handle(), jurisdictionCode, Values.date(date)), out);
    }

    /**
     * Table 2 (机构编制变更记录) of one unit (unitUuid) or of every unit of a
     * jurisdiction (unitUuid null), effective in [from, to] (null: open).
     */
    public Sheet sheetTable2(String jurisdictionCode, String unitUuid, LocalDate from, LocalDate to) {
        long[] out = new long[1];
        return sheet(capi.bz_sheet_table2(out, state.handle(), jurisdictionCode, unitUuid, Values.date(from),
                Values.date(to)), out);
    }

    /** Table 3 (实有人员花名册): people in post at date (null: today) in a unit or a jurisdiction. */
    public Sheet sheetTable3(String jurisdictionCode, String unitUuid, LocalDate date) {
        long[] out = new long[1];
        return sheet(capi.bz_sheet_table3(out, state.handle(), jurisdictionCode, unitUuid, Values.date(date)), out);
    }

    /** A quota ledger (限额台账) of a jurisdiction up to date: TOTAL (总账), ADMINISTRATIVE (分账1), INSTITUTION (分账2). */
    public Sheet sheetLimits(String jurisdictionCode, Branch branch, LocalDate date) {
        long[] out = new long[1];
        return sheet(capi.bz_sheet_limits(out, state.handle(), jurisdictionCode, Values.code(branch, -1),
                Values.date(date)), out);
    }

    /** The per-unit ledger (单位机构编制台账) of a unit up to date (null: today). */
    public Sheet sheetUnitLedger(String unitUuid, LocalDate date) {
        long[] out = new long[1];
        return sheet(capi.bz_sheet_unit_ledger(out, state.handle(), unitUuid, Values.date(date)), out);
    }

    /** A person's management card (人员编制管理卡) as a sheet, one row per placement. */
    public Sheet sheetCard(String cardNumber) {
        long[] out = new long[1];
        return sheet(capi.bz_sheet_card(out, state.handle(), cardNumber), out);
    }

    /** The vacancy list (空编) of a jurisdiction at date (null: today). */
    public Sheet sheetVacancies(String jurisdictionCode, LocalDate date) {
        long[] out = new long[1];
        return sheet(capi.bz_sheet_vacancies(out, state.handle(), jurisdictionCode, Values.date(date)), out);
    }

    /** The registration rates (网上登记率, 网上年检率, seed §10) of a jurisdiction at date (null: today). Since 1.2. */
    public Sheet sheetRegistration(String jurisdictionCode, LocalDate date) {
        long[] out = new long[1];
        return sheet(capi.bz_sheet_registration(out, state.handle(), jurisdictionCode, Values.date(date)), out);
    }

    /** The public institutions of a jurisdiction at date with what R12 and R13 find about each. Since 1.2. */
    public Sheet sheetRegistrationUnits(String jurisdictionCode, LocalDate date) {
        long[] out = new long[1];
        return sheet(capi.bz_sheet_registration_units(out, state.handle(), jurisdictionCode, Values.date(date)), out);
    }

    /** The unit's registration (事业单位法人登记) as of date (null: today). Since 1.2. */
    public Registration registration(String unitUuid, LocalDate date) {
        long[] out = new long[1];
        BianzhiException.check(capi.bz_registration_lookup(out, state.handle(), unitUuid, Values.date(date)), state);
        return Registration.take(out[0]);
    }

    /** The unit's annual report of year with the ledger's figures at 31 December beside it. Since 1.2. */
    public AnnualReport annualReport(String unitUuid, int year) {
        long[] out = new long[1];
        BianzhiException.check(capi.bz_annual_report_get(out, state.handle(), unitUuid, year), state);
        return AnnualReport.take(out[0]);
    }

    /** Write sheets to path as XLSX (one worksheet each), JSON or CSV (one sheet); see {@link Sheet#write(java.util.List, String, Format)}. */
    public void writeReports(java.util.List<Sheet> sheets, String path, Format format) {
        Sheet.write(sheets, path, format);
    }

    /**
     * Write the organisation chart of a jurisdiction at date (null: today) to
     * path as SVG or DOT: units under their supervising units, sub-units,
     * establishment against staff, a unit over establishment in red.
     */
    public void orgChart(String path, String jurisdictionCode, LocalDate date, ChartFormat format) {
        BianzhiException.check(capi.bz_org_chart_write(state.handle(), jurisdictionCode, Values.date(date), path,
                Values.code(format, 0)), state);
    }

    /** The usage slip with that number. */
    public Slip slipByNumber(String number) {
        long[] out = new long[1];
        BianzhiException.check(capi.bz_slip_lookup_number(out, state.handle(), number), state);
        return Slip.take(out[0]);
    }

    /** The usage slips of a unit, by issue date. */
    public Cursor<Slip> slips(String unitUuid) {
        long[] out = new long[1];
        BianzhiException.check(capi.bz_slip_list(out, state.handle(), unitUuid), state);
        return new Cursor<>(state, out[0], p -> {
            long[] o = new long[1];
            int rc = capi.bz_slip_iter_next(o, p);
            return new long[] {rc, o[0]};
        }, capi::bz_slip_iter_free, Slip::take);
    }

    /** The 机构编制管理证 with that UUID, its state at date (null: today). */
    public Unitcert unitcert(String uuid, LocalDate date) {
        long[] out = new long[1];
        BianzhiException.check(capi.bz_unitcert_lookup(out, state.handle(), uuid, Values.date(date)), state);
        return Unitcert.take(out[0]);
    }

    /** The 机构编制管理证 with that number, its state at date (null: today). */
    public Unitcert unitcertByNumber(String number, LocalDate date) {
        long[] out = new long[1];
        BianzhiException.check(capi.bz_unitcert_lookup_number(out, state.handle(), number, Values.date(date)), state);
        return Unitcert.take(out[0]);
    }

    /**
     * The 机构编制管理证 a unit held at date (null: today): the last issued on or before it, in its state then
     * (valid, expired or void); NotFoundException if none.
     */
    public Unitcert unitcertHeld(String unitUuid, LocalDate date) {
        long[] out = new long[1];
        BianzhiException.check(capi.bz_unitcert_held(out, state.handle(), unitUuid, Values.date(date)), state);
        return Unitcert.take(out[0]);
    }

    /** The certificates of a unit by issue date, each in its state at date (null: today). */
    public Cursor<Unitcert> unitcerts(String unitUuid, LocalDate date) {
        long[] out = new long[1];
        BianzhiException.check(capi.bz_unitcert_list(out, state.handle(), unitUuid, Values.date(date)), state);
        return new Cursor<>(state, out[0], p -> {
            long[] o = new long[1];
            int rc = capi.bz_unitcert_iter_next(o, p);
            return new long[] {rc, o[0]};
        }, capi::bz_unitcert_iter_free, Unitcert::take);
    }

    /** Every placement of a person, across units, by entry date. */
    public Cursor<Placement> personHistory(String personUuid) {
        long[] out = new long[1];
        BianzhiException.check(capi.bz_person_history(out, state.handle(), personUuid), state);
        return new Cursor<>(state, out[0], p -> {
            long[] o = new long[1];
            int rc = capi.bz_placement_iter_next(o, p);
            return new long[] {rc, o[0]};
        }, capi::bz_placement_iter_free, Placement::take);
    }

    /** The usage slip with that UUID. */
    public Slip slip(String uuid) {
        long[] out = new long[1];
        BianzhiException.check(capi.bz_slip_lookup(out, state.handle(), uuid), state);
        return Slip.take(out[0]);
    }

    /** The placements in post in a unit at date (null: today). */
    public Cursor<Placement> roster(String unitUuid, LocalDate date) {
        long[] out = new long[1];
        BianzhiException.check(capi.bz_roster(out, state.handle(), unitUuid, Values.date(date)), state);
        return new Cursor<>(state, out[0], p -> {
            long[] o = new long[1];
            int rc = capi.bz_placement_iter_next(o, p);
            return new long[] {rc, o[0]};
        }, capi::bz_placement_iter_free, Placement::take);
    }

    /** The appointments of a unit or sub-unit in force at date (null: today). */
    public Cursor<Appointment> appointments(String subjectUuid, LocalDate date) {
        long[] out = new long[1];
        BianzhiException.check(capi.bz_appointment_list(out, state.handle(), subjectUuid, Values.date(date)), state);
        return new Cursor<>(state, out[0], p -> {
            long[] o = new long[1];
            int rc = capi.bz_appointment_iter_next(o, p);
            return new long[] {rc, o[0]};
        }, capi::bz_appointment_iter_free, Appointment::take);
    }

    /** The change records of a unit (its Table 2), in order of effective date. */
    public Cursor<Change> changes(String unitUuid) {
        long[] out = new long[1];
        BianzhiException.check(capi.bz_unit_changes(out, state.handle(), unitUuid), state);
        return changeCursor(out[0]);
    }

    /** The change records whose subject is uuid. */
    public Cursor<Change> subjectChanges(String uuid) {
        long[] out = new long[1];
        BianzhiException.check(capi.bz_subject_changes(out, state.handle(), uuid), state);
        return changeCursor(out[0]);
    }

    /**
     * The change feed: every change record committed after sequence number
     * seq (0: all), of any subject, in commit order. Remember
     * {@link Change#getSeq()} of the last record read and ask again from it:
     * a record is never missed nor given twice. Only what was committed when
     * the call was made is included; the cursor reads one record at a time.
     * In a file numbers are 1 … N without a gap; on a PostgreSQL server they
     * are unique but neither gapless nor increasing along the feed (commit
     * order), and seq must be 0 or a number the feed gave:
     * NotFoundException otherwise.
     * InvalidArgumentException for seq &lt; 0.
     */
    public Cursor<Change> changesSince(long seq) {
        long[] out = new long[1];
        BianzhiException.check(capi.bz_changes_since(out, state.handle(), seq), state);
        return changeCursor(out[0]);
    }

    /** The number of the record committed last (0 for an empty ledger): start the feed "from now". */
    public long lastSeq() {
        long[] v = new long[1];
        BianzhiException.check(capi.bz_changes_last_seq(v, state.handle()), state);
        return v[0];
    }

    /**
     * Reconcile another department's roster with Table 3 at date (null:
     * today): the 吃空饷 check of seed §11. rosterPath is the organisation,
     * HR or finance department's file — CSV (UTF-8 with or without BOM, or
     * GB18030), XLSX or XLS — whose header row names 身份证号, 姓名, 单位名称
     * or 统一社会信用代码, and optionally 编制类别/人员分类 and 发放状态/是否发放.
     * jurisdictionCode (null: the whole ledger) limits "in post but not on
     * the roster" to its units and those of its sub-jurisdictions. Each
     * {@link Diff} has its {@link Difference}, the roster's line and values,
     * and the ledger's person, unit, category, placement and document; an
     * empty cursor means the roster agrees. LedgerIOException if the roster
     * cannot be read, InvalidArgumentException for a malformed roster (the
     * message names the line) or one without the required columns,
     * NotFoundException for an unknown jurisdiction, MisuseException while a
     * transaction is open.
     */
    public Cursor<Diff> reconcile(String rosterPath, String jurisdictionCode, LocalDate date) {
        if (rosterPath == null)
            throw new InvalidArgumentException("rosterPath: a file name is required, got null");
        long[] out = new long[1];
        BianzhiException.check(capi.bz_reconcile(out, state.handle(), rosterPath, jurisdictionCode, Values.date(date)),
                state);
        return new Cursor<>(state, out[0], p -> {
            long[] o = new long[1];
            int rc = capi.bz_diff_iter_next(o, p);
            return new long[] {rc, o[0]};
        }, capi::bz_diff_iter_free, Diff::take);
    }

    /**
     * Write a consistent copy of the ledger as committed now to the new file
     * path, while others may go on writing. ExistsException if path exists
     * (never overwritten), MisuseException if a transaction is open on this
     * ledger, LedgerIOException if the file cannot be written (the message
     * names the file and the cause). A failed backup leaves no file.
     */
    public void backup(String path) {
        if (path == null)
            throw new InvalidArgumentException("path: a file name is required, got null");
        BianzhiException.check(capi.bz_ledger_backup(state.handle(), path), state);
    }

    /**
     * Replace the whole contents of this ledger with the backup at path: what
     * was recorded since the backup is gone. NotALedgerException or
     * SchemaTooNewException (nothing changed) if path is not a ledger this
     * library can open; LedgerIOException if it cannot be read or this ledger
     * is read-only; MisuseException if a transaction is open. Cursors still
     * open on this ledger throw MisuseException afterwards.
     */
    public void restore(String path) {
        if (path == null)
            throw new InvalidArgumentException("path: a file name is required, got null");
        BianzhiException.check(capi.bz_ledger_restore(state.handle(), path), state);
    }

    /** This ledger's identity: a UUID made when it was created, the origin of the records made here. */
    public String identity() {
        byte[][] out = new byte[1][];
        BianzhiException.check(capi.bz_ledger_identity(out, state.handle()), state);
        return NativeLoader.str(out[0]);
    }

    /**
     * Whether the transaction with this identity ({@link Transaction#uuid()})
     * committed in this ledger. After a commit that threw LedgerIOException
     * the outcome is not known (the records may have reached the disk): open
     * the ledger again and ask this before retrying.
     */
    public boolean txnCommitted(String uuid) {
        int[] out = new int[1];
        BianzhiException.check(capi.bz_txn_committed(out, state.handle(), uuid), state);
        return out[0] != 0;
    }

    /**
     * Export the ledger, or with jurisdictionCode (may be null) the part of it
     * under that jurisdiction, to the new file path (JSON Lines,
     * docs/exchange.md). ExistsException if path exists (never overwritten),
     * NotFoundException for an unknown jurisdiction, LedgerIOException if the
     * file cannot be written, MisuseException while a transaction is open.
     */
    public Exchange exportLedger(String path, String jurisdictionCode) {
        if (path == null)
            throw new InvalidArgumentException("path: a file name is required, got null");
        long[] out = new long[1];
        BianzhiException.check(capi.bz_ledger_export(out, state.handle(), path, jurisdictionCode), state);
        return Exchange.take(out[0]);
    }

    /**
     * Import an exchange file (a county's export) into this ledger, all or
     * nothing: what the ledger has is skipped, jurisdictions, documents,
     * persons, cards and slips it has under other UUIDs are matched by their
     * natural keys, the counters are recomputed and, with check, the full
     * check runs. ExchangeRefusedException (nothing written) lists every
     * conflict; InvalidArgumentException for a malformed or truncated file,
     * SchemaTooNewException for a newer format, LedgerIOException for an
     * unreadable one. dryRun: find what would be added, write nothing.
     */
    public Exchange importLedger(String path, boolean check, boolean dryRun) {
        if (path == null)
            throw new InvalidArgumentException("path: a file name is required, got null");
        long[] out = new long[1];
        long flags = (check ? 0 : capiConstants.BZ_IMPORT_NO_CHECK) | (dryRun ? capiConstants.BZ_IMPORT_DRY_RUN : 0);
        int rc = capi.bz_ledger_import(out, state.handle(), path, flags);
        Exchange result = out[0] != 0 ? Exchange.take(out[0]) : null;
        if (rc == capiConstants.BZ_EINVAL && result != null && !result.getConflicts().isEmpty())
            throw new ExchangeRefusedException(capi.bz_ledger_errmsg(state.handle()), result);
        BianzhiException.check(rc, state);
        return result;
    }

    /** importLedger(path, true, false). */
    public Exchange importLedger(String path) {
        return importLedger(path, true, false);
    }

    private Cursor<Change> changeCursor(long it) {
        return new Cursor<>(state, it, p -> {
            long[] o = new long[1];
            int rc = capi.bz_change_iter_next(o, p);
            return new long[] {rc, o[0]};
        }, capi::bz_change_iter_free, Change::take);
    }

    // -- the files behind the documents (archive.h)

    /** The attached file with that UUID (name, size, SHA-256 …); NotFoundException if none. */
    public File file(String fileUuid) {
        long[] out = new long[1];
        BianzhiException.check(capi.bz_file_lookup(out, state.handle(), fileUuid), state);
        return File.take(out[0]);
    }

    /** The files attached to a document, in the order attached; NotFoundException if no such document. */
    public java.util.List<File> files(String documentUuid) {
        long[] out = new long[1];
        BianzhiException.check(capi.bz_document_files(out, state.handle(), documentUuid), state);
        java.util.List<File> files = new java.util.ArrayList<>();
        try (Cursor<File> c = new Cursor<>(state, out[0], p -> {
            long[] o = new long[1];
            int rc = capi.bz_file_iter_next(o, p);
            return new long[] {rc, o[0]};
        }, capi::bz_file_iter_free, File::take)) {
            for (File f : c)
                files.add(f);
        }
        return java.util.Collections.unmodifiableList(files);
    }

    /**
     * An attached file's bytes as an InputStream read from the ledger in
     * pieces. Reading to the end throws an IOException caused by a
     * CorruptException if the bytes are no longer those of the file's
     * change record.
     */
    public AttachedFileStream openFile(String fileUuid) {
        File f = file(fileUuid);
        long[] out = new long[1];
        BianzhiException.check(capi.bz_file_reader_open(out, state.handle(), fileUuid), state);
        return new AttachedFileStream(state, out[0], f);
    }

    /** Copy an attached file's bytes to out (not closed); returns the number of bytes. */
    public long copyFile(String fileUuid, java.io.OutputStream out) throws java.io.IOException {
        try (AttachedFileStream in = openFile(fileUuid)) {
            return in.transferTo(out);
        }
    }

    /** Write an attached file's bytes to the new file path (ExistsException if it exists; CorruptException if altered). */
    public void exportFile(String fileUuid, String path) {
        if (path == null)
            throw new InvalidArgumentException("path: a file name is required, got null");
        BianzhiException.check(capi.bz_file_export(state.handle(), fileUuid, path), state);
    }

    /**
     * Hash every stored file again: one line per file whose bytes disagree
     * with the SHA-256 of its change record (empty: all agree).
     */
    public java.util.List<String> verifyFiles() {
        byte[][] problems = new byte[1][];
        long[] checked = new long[1];
        int rc = capi.bz_files_verify(problems, checked, state.handle());
        if (rc != capiConstants.BZ_ECORRUPT)
            BianzhiException.check(rc, state);
        return lines(problems[0]);
    }

    static java.util.List<String> lines(byte[] text) {
        String s = NativeLoader.str(text);
        return s == null || s.isEmpty() ? java.util.List.of() : java.util.List.of(s.split("\n"));
    }

    /**
     * Carry src's stored files into this ledger, which imported src's export
     * ({@link #importLedger(String)} of {@link #exportLedger(String, String)}):
     * each file whose attaching change record this ledger holds is streamed from
     * src (never whole in memory) under the same file UUID, tied to this
     * ledger's copy of the record; no change record is written. All or nothing;
     * a second call adds nothing.
     *
     * @return the number of files attached here
     * @throws BianzhiException CORRUPT if src's bytes of a file no longer give its
     *         recorded SHA-256, INVALID_ARGUMENT if src is this ledger
     */
    public long copyFilesFrom(Ledger src) {
        java.util.Objects.requireNonNull(src, "src");
        long[] files = new long[1];
        BianzhiException.check(capi.bz_files_copy(files, state.handle(), src.state.handle()), state);
        return files[0];
    }

    /** The archive categories (独立档案 of seed §21, meeting records, the ledger's own), by code. */
    public java.util.List<ArchiveCategory> archiveCategories() {
        long[] out = new long[1];
        BianzhiException.check(capi.bz_archive_category_list(out, state.handle()), state);
        java.util.List<ArchiveCategory> cats = new java.util.ArrayList<>();
        try (Cursor<ArchiveCategory> c = new Cursor<>(state, out[0], p -> {
            long[] o = new long[1];
            int rc = capi.bz_archive_category_iter_next(o, p);
            return new long[] {rc, o[0]};
        }, capi::bz_archive_category_iter_free, ArchiveCategory::take)) {
            for (ArchiveCategory a : c)
                cats.add(a);
        }
        return java.util.Collections.unmodifiableList(cats);
    }

    /** The archive category a document is filed under (its code), or null if never filed. */
    public String filedCategory(String documentUuid) {
        byte[][] cat = new byte[1][];
        int[] year = new int[1];
        BianzhiException.check(capi.bz_document_filed(cat, year, state.handle(), documentUuid), state);
        return NativeLoader.str(cat[0]);
    }

    /** The year a document is filed under (the year of its date if never filed). */
    public int filedYear(String documentUuid) {
        byte[][] cat = new byte[1][];
        int[] year = new int[1];
        BianzhiException.check(capi.bz_document_filed(cat, year, state.handle(), documentUuid), state);
        return year[0];
    }

    /**
     * Export the archive of the documents selected to dest (a folder, or a
     * zip if it ends in .zip): those unitUuid's changes rest on, those of a
     * jurisdiction, filed under category, of year (0: any) — every selector
     * given (non-null) must hold; none: every document with a file. Returns
     * the number of files. ExistsException if dest exists, CorruptException
     * (nothing written) if a stored file was altered.
     */
    public long exportArchive(String dest, String unitUuid, String jurisdictionCode, String category, int year) {
        if (dest == null)
            throw new InvalidArgumentException("dest: a file name is required, got null");
        long[] files = new long[1];
        BianzhiException.check(capi.bz_archive_export(files, state.handle(), dest, unitUuid, jurisdictionCode,
                category, year), state);
        return files[0];
    }

    /**
     * Verify an exported archive (folder or zip) against its index.csv,
     * without a ledger: the problems found, one per line (empty: all well).
     * InvalidArgumentException if path is not an archive, LedgerIOException
     * if it cannot be read.
     */
    public static java.util.List<String> verifyArchive(String path) {
        if (path == null)
            throw new InvalidArgumentException("path: a file name is required, got null");
        byte[][] problems = new byte[1][];
        long[] checked = new long[1];
        int rc = capi.bz_archive_verify(problems, checked, path);
        java.util.List<String> found = lines(problems[0]);
        if (rc < 0 && rc != capiConstants.BZ_ECORRUPT)
            throw BianzhiException.of(rc, found.isEmpty() ? capi.bz_strerror(rc) : String.join("; ", found));
        return found;
    }

    /**
     * Testing hook: make the library's nth allocation from now fail (and every
     * later one if persistent), to test how a program copes with
     * {@link NoMemoryException}; nth 0 disarms it. Process-wide. Returns how
     * many allocations failed since the previous call. See bz_debug_fail_alloc
     * in bianzhi/memory.h.
     *
     * @throws InvalidArgumentException nth outside 0 … 10^12
     */
    public static long debugFailAlloc(long nth, boolean persistent) {
        long rc = capi.bz_debug_fail_alloc(nth, persistent ? 1 : 0);
        if (rc < 0)
            throw new InvalidArgumentException("nth: " + nth + " is out of range 0 … 10^12");
        return rc;
    }

    /**
     * Whether SQLite's own allocations go through the library's allocator and
     * its testing hook in this process (false if SQLite ran before the first
     * ledger was opened).
     */
    public static boolean allocCoversSqlite() {
        return capi.bz_alloc_covers_sqlite() == 1;
    }

    /** Run-time version of the C library, "MAJOR.MINOR.PATCH". */
    public static String version() {
        return capi.bz_version();
    }

    /** Run-time version as one number 0xMMmmpp. */
    public static int versionNumber() {
        return capi.bz_version_number();
    }

    /** True if text is an ISO date YYYY-MM-DD of the Gregorian calendar. */
    public static boolean dateValid(String text) {
        return text != null && text.indexOf('\0') < 0 && capi.bz_date_valid(text) == capiConstants.BZ_OK;
    }

    /** True if idNumber is a valid citizen ID number (GB 11643). */
    public static boolean idnumValid(String idNumber) {
        return idNumber != null && idNumber.indexOf('\0') < 0 && capi.bz_idnum_valid(idNumber) == capiConstants.BZ_OK;
    }

    /** The canonical 18-character form of an ID number; InvalidArgumentException if invalid. */
    public static String normalizeIdnum(String idNumber) {
        byte[][] out = new byte[1][];
        BianzhiException.check(capi.bz_idnum_normalize(out, idNumber), null);
        return NativeLoader.str(out[0]);
    }

    /** True if code is a valid unified social credit code (GB 32100). */
    public static boolean creditCodeValid(String code) {
        return code != null && code.indexOf('\0') < 0 && capi.bz_credit_code_valid(code) == capiConstants.BZ_OK;
    }

    /** The canonical form of a document number (文号); InvalidArgumentException if it is none. */
    public static String canonicalDocumentNumber(String number) {
        byte[][] canon = new byte[1][], abbr = new byte[1][];
        int[] year = new int[1], seq = new int[1];
        BianzhiException.check(capi.bz_docnum_parse(canon, abbr, year, seq, number), null);
        return NativeLoader.str(canon[0]);
    }

    @Override
    public String toString() {
        return "Ledger(" + path + (isClosed() ? ", closed)" : ")");
    }
}
