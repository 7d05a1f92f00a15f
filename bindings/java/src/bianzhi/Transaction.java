package bianzhi;

import java.lang.ref.Cleaner;
import java.time.LocalDate;
import java.util.List;

/**
 * A transaction: every change to a ledger happens inside one.
 *
 * <p>Use try-with-resources and call {@link #commit()} at the end of the
 * block; {@link #close()} rolls back a transaction that was not committed
 * (an exception leaves nothing). A refused commit throws
 * {@link ConstraintViolationException} and nothing is written; warnings of a
 * successful commit are in {@link #getWarnings()}. A change call that fails
 * throws and leaves nothing of itself; the transaction stays usable.
 */
public final class Transaction implements AutoCloseable {
    private static final class Release implements Runnable {
        final Ledger.State ledger;
        volatile long ptr;

        Release(Ledger.State ledger, long ptr) {
            this.ledger = ledger;
            this.ptr = ptr;
        }

        @Override
        public void run() {
            long p = ptr;
            ptr = 0;
            if (p != 0)
                ledger.pending.add(() -> capi.bz_txn_free(p));
        }
    }

    private final Ledger ledger;
    private final Ledger.State state;
    private final Release release;
    private final Cleaner.Cleanable cleanable;
    private boolean finished;

    Transaction(Ledger ledger, long ptr) {
        this.ledger = ledger;
        this.state = ledger.state;
        this.release = new Release(state, ptr);
        this.cleanable = Ledger.CLEANER.register(this, release);
    }

    private long h() {
        state.drain();
        if (release.ptr == 0)
            throw new MisuseException("the transaction is closed");
        if (state.ptr == 0)
            throw new MisuseException("the ledger of this transaction is closed");
        return release.ptr;
    }

    private void ok(int rc) {
        BianzhiException.check(rc, state);
    }

    /** The ledger. */
    public Ledger getLedger() {
        return ledger;
    }

    /** Free the transaction, rolling it back if it was not committed. Idempotent. */
    @Override
    public void close() {
        cleanable.clean();
        state.drain();
    }

    /**
     * Check every rule and commit. Throws ConstraintViolationException (nothing
     * written) if an error-severity rule was violated; the transaction is
     * finished either way. Returns the violations found (warnings only).
     */
    public List<Violation> commit() {
        int rc = capi.bz_txn_commit(h());
        finished = true;
        if (rc == capiConstants.BZ_ECONSTRAINT)
            throw new ConstraintViolationException(getViolations());
        ok(rc);
        return getViolations();
    }

    /** Abandon the transaction: nothing of it is written. */
    public void rollback() {
        finished = true;
        ok(capi.bz_txn_rollback(h()));
    }

    /** Whether commit() or rollback() was called. */
    public boolean isFinished() {
        return finished;
    }

    /**
     * This transaction's identity, a UUID made at begin and in the ledger
     * exactly when it committed. Keep it before {@link #commit()}: if the
     * commit throws LedgerIOException, {@link Ledger#txnCommitted(String)} on
     * a reopened ledger says whether it committed.
     */
    public String uuid() {
        return capi.bz_txn_uuid(h());
    }

    /** The violations found so far (after commit: all the rules found). */
    public List<Violation> getViolations() {
        return Values.violations(capi.bz_txn_report(h()));
    }

    /** The warning-severity violations (reachable after a successful commit). */
    public List<Violation> getWarnings() {
        List<Violation> all = new java.util.ArrayList<>(getViolations());
        all.removeIf(v -> v.getSeverity() != Severity.WARNING);
        return all;
    }

    /** Rest the following changes on the document with that UUID (null clears it). */
    public void setDocument(String documentUuid) {
        ok(capi.bz_txn_set_document(h(), documentUuid));
    }

    /** Rest the following changes on document. */
    public void setDocument(Document document) {
        setDocument(document == null ? null : document.getUuid());
    }

    /**
     * Make this an opening transaction (建账) at cutover resting on the opening document: every change it
     * records is an opening entry dated on or before cutover (a later one: InvalidArgumentException);
     * placements need no usage slip; every other rule is checked at commit.
     */
    public void setOpening(LocalDate cutover, String documentUuid) {
        ok(capi.bz_txn_set_opening(h(), Values.date(cutover), documentUuid));
    }

    /**
     * Import a unit sheet (CSV in UTF-8 or GB18030, XLSX or XLS; columns in import.h) into this transaction:
     * units into jurisdictionCode unless a row names its 所属区划; asOf (may be null) dates the figures of rows
     * without 成立时间. ImportRefusedException (nothing written) lists every refused row.
     */
    public Import importUnits(String path, String jurisdictionCode, LocalDate asOf) {
        long[] out = new long[1];
        return imported(capi.bz_import_units(out, h(), path, jurisdictionCode, Values.date(asOf)), out[0]);
    }

    /** Import a person sheet (实名制人员信息表): register, place, appoint; the other columns kept as attributes. */
    public Import importPeople(String path, String jurisdictionCode) {
        long[] out = new long[1];
        return imported(capi.bz_import_people(out, h(), path, jurisdictionCode), out[0]);
    }

    private Import imported(int rc, long p) {
        Import result = p != 0 ? Import.take(p) : null;
        if (rc == capiConstants.BZ_EINVAL && result != null && !result.getProblems().isEmpty())
            throw new ImportRefusedException(capi.bz_ledger_errmsg(state.ptr), result);
        ok(rc);
        return result;
    }

    /** Set (or clear, value null) a unit's attribute from date on (null: today). */
    public void setUnitAttr(String unitUuid, String key, String value, LocalDate date) {
        ok(capi.bz_unit_set_attr(h(), unitUuid, key, value, Values.date(date)));
    }

    /** Make this an opening transaction (建账) at cutover resting on document. */
    public void setOpening(LocalDate cutover, Document document) {
        setOpening(cutover, document == null ? null : document.getUuid());
    }

    /** Register an approval document; ExistsException if (issuer, number) is taken. */
    public Document registerDocument(String issuer, String number, String title, LocalDate date, Level level,
            IssuerKind kind, String jurisdictionCode) {
        long[] out = new long[1];
        ok(capi.bz_document_register(out, h(), issuer, number, title, Values.date(date),
                Values.code(level, 0), Values.code(kind, 0), jurisdictionCode));
        return Document.take(out[0]);
    }

    /**
     * Register an office (its exact name, the 6-digit code of its
     * jurisdiction, its kind); ExistsException if the name is taken. R15
     * judges at commit whether the acting office may (office.h).
     */
    public Office registerOffice(String name, String jurisdictionCode, OfficeType kind) {
        long[] out = new long[1];
        ok(capi.bz_office_register(out, h(), name, jurisdictionCode, Values.code(kind, 0)));
        return Office.take(out[0]);
    }

    /**
     * Whether offices of kind may make changes of power from date on, on the
     * current document (a city establishment office's or higher: R6), by an
     * establishment office (R15).
     */
    public void setOfficePower(OfficeType kind, Power power, boolean allowed, LocalDate date) {
        ok(capi.bz_office_power_set(h(), Values.code(kind, 0), Values.code(power, 0), allowed ? 1 : 0, Values.date(date)));
    }

    /** Add a jurisdiction (6-digit code, name, parent code or null for a province). */
    public Jurisdiction createJurisdiction(String code, String name, String parentCode) {
        long[] out = new long[1];
        ok(capi.bz_jurisdiction_create(out, h(), code, name, parentCode));
        return Jurisdiction.take(out[0]);
    }

    /** Establish (成立) a unit resting on the current document; the unit as founded. */
    public Unit establishUnit(UnitSpec spec) {
        long t = h();
        long s = spec.toNative();
        try {
            long[] out = new long[1];
            ok(capi.bz_unit_establish(out, t, s));
            return Unit.take(out[0]);
        } finally {
            capi.bz_unit_spec_free(s);
        }
    }

    /** Split (分设) a new unit off fromUnit; the new unit. */
    public Unit splitUnit(String fromUnit, UnitSpec spec) {
        long t = h();
        long s = spec.toNative();
        try {
            long[] out = new long[1];
            ok(capi.bz_unit_split(out, t, fromUnit, s));
            return Unit.take(out[0]);
        } finally {
            capi.bz_unit_spec_free(s);
        }
    }

    /** Rename (更名) the unit from date on. */
    public void renameUnit(String unit, String name, LocalDate date) {
        ok(capi.bz_unit_rename(h(), unit, name, Values.date(date)));
    }

    /** Change the unit's rank from date on. */
    public void setUnitRank(String unit, Rank rank, LocalDate date) {
        ok(capi.bz_unit_set_rank(h(), unit, rank == null ? -1 : rank.code(), Values.date(date)));
    }

    /** Change the unit's funding form from date on. */
    public void setUnitFunding(String unit, Funding funding, LocalDate date) {
        ok(capi.bz_unit_set_funding(h(), unit, funding == null ? 0 : funding.code(), Values.date(date)));
    }

    /** Change the supervising unit (null: none) from date on. */
    public void setUnitParent(String unit, String parent, LocalDate date) {
        ok(capi.bz_unit_set_parent(h(), unit, parent, Values.date(date)));
    }

    /** Change the main duties from date on. */
    public void setUnitDuties(String unit, String duties, LocalDate date) {
        ok(capi.bz_unit_set_duties(h(), unit, duties, Values.date(date)));
    }

    /**
     * Give the unit the unified social credit code (统一社会信用代码) code from date on.
     * A malformed code is an InvalidArgumentException, one another unit holds an
     * ExistsException; a wrong check character is refused at commit (R10).
     */
    public void setUnitCreditCode(String unit, String code, LocalDate date) {
        ok(capi.bz_unit_set_credit_code(h(), unit, code, Values.date(date)));
    }

    /** Merge (合并) unit into another on date. */
    public void mergeUnit(String unit, String into, LocalDate date) {
        ok(capi.bz_unit_merge(h(), unit, into, Values.date(date)));
    }

    /** Add an establishment category (code, name, branch, OR of Nature codes). */
    public void addCategory(String code, String name, Branch branch, int natures) {
        ok(capi.bz_category_add(h(), code, name, branch == null ? -1 : branch.code(), natures));
    }

    /** Set the establishment of a unit in a category to posts (absolute) from date on. */
    public void setEstablishment(String unit, String category, long posts, LocalDate date) {
        ok(capi.bz_establishment_set(h(), unit, category, posts, Values.date(date)));
    }

    /**
     * Freeze (冻结) posts of a unit's category from date on: posts is the new
     * number frozen (0 unfreezes all). Frozen posts count against the
     * establishment like posts in use (R1 at commit).
     */
    public void freeze(String unit, String category, long posts, LocalDate date) {
        ok(capi.bz_establishment_freeze(h(), unit, category, posts, Values.date(date)));
    }

    /** Set a unit's hiring plan (用编计划) for a year: the most posts its usage slips of that year may total (R8). */
    public void setHiringPlan(String unit, int year, long posts) {
        ok(capi.bz_hiring_plan_set(h(), unit, year, posts));
    }

    /**
     * Set a rule parameter (text value; null returns it to its default) from
     * date on, on the current document, which must be an establishment
     * office's (R6 at commit). Names (see rules.h):
     * "vacancy_reserve.administrative" / ".institution" (R9, per mille),
     * "working_age.min" / ".max" (R7), "issuers.&lt;action&gt;",
     * "authority.&lt;action&gt;", "leadership_norm.&lt;kind&gt;.&lt;rank&gt;",
     * "credit_code_exception.&lt;code&gt;", "exception.R&lt;n&gt;",
     * "central_issuers". InvalidArgumentException for an unknown name or a
     * malformed value.
     */
    public void setRuleParam(String name, String value, LocalDate date) {
        ok(capi.bz_rule_param_set(h(), name, value, Values.date(date)));
    }

    /**
     * Grant a documented exception (政策性安置 …) to rule for subject (the unit
     * for R1 and R8, the person for R2) on date, resting on the current
     * document, which must be an establishment office's (R6 at commit). The
     * violation is then kept as a warning whose {@link Violation#getExceptedBy()}
     * is the document's UUID instead of refusing the commit.
     * InvalidArgumentException for a rule that admits no exception.
     */
    public void grantException(Rule rule, String subject, LocalDate date) {
        ok(capi.bz_exception_grant(h(), Values.code(rule, 0), subject, Values.date(date)));
    }

    /** Transfer (划转) posts of a category from one unit to another on date. */
    public void transferEstablishment(String from, String to, String category, long posts, LocalDate date) {
        ok(capi.bz_establishment_transfer(h(), from, to, category, posts, Values.date(date)));
    }

    /** Set the quota limit (编制限额) of a jurisdiction for a branch from date on. */
    public void setLimit(String jurisdictionCode, Branch branch, long posts, LocalDate date) {
        ok(capi.bz_limit_set(h(), jurisdictionCode, branch == null ? -1 : branch.code(), posts, Values.date(date)));
    }

    /** Set the leadership quota of a unit or sub-unit (principal, deputy posts, level) from date on. */
    public void setLeadership(String subject, int principal, int deputy, Rank level, LocalDate date) {
        ok(capi.bz_leadership_set(h(), subject, principal, deputy, level == null ? 0 : level.code(),
                Values.date(date)));
    }

    /** Approve count internal sub-units for a unit from date on. */
    public void approveSubunits(String unit, long count, LocalDate date) {
        ok(capi.bz_subunit_approve(h(), unit, count, Values.date(date)));
    }

    /** Create an internal sub-unit of a unit on date. */
    public Subunit createSubunit(String unit, String name, Rank rank, LocalDate date) {
        long[] out = new long[1];
        ok(capi.bz_subunit_create(out, h(), unit, name, rank == null ? -1 : rank.code(), Values.date(date)));
        return Subunit.take(out[0]);
    }

    /** Register a person (sex 0 and birth null: taken from the ID number). */
    public Person registerPerson(String idNumber, String name, Sex sex, LocalDate birth) {
        long[] out = new long[1];
        ok(capi.bz_person_register(out, h(), idNumber, name, Values.code(sex, 0), Values.date(birth)));
        return Person.take(out[0]);
    }

    /** Issue a usage slip (用编通知单) for posts of a category in a unit (number null: made up). */
    public Slip issueSlip(String unit, String category, int posts, Purpose purpose, LocalDate issued,
            LocalDate validUntil, String number) {
        long[] out = new long[1];
        ok(capi.bz_slip_issue(out, h(), unit, category, posts, Values.code(purpose, 0), Values.date(issued),
                Values.date(validUntil), number));
        return Slip.take(out[0]);
    }

    /** 设立登记 of a public institution on the transaction's document and the decision (a document's UUID); R12 at commit. Since 1.2. */
    public void registerInstitution(String unit, LocalDate date, String decision, String name, String address,
            String legalRep, String scope, long funds, String sponsor, Funding funding, String creditCode) {
        ok(capi.bz_registration_found(h(), unit, Values.date(date), decision, name, address, legalRep, scope, funds,
                sponsor, Values.code(funding, 0), creditCode));
    }

    /** 变更登记: one registered field becomes value (text: funds and funding as decimal, sponsor a unit UUID) from date on. */
    public void changeRegistration(String unit, RegField field, String value, LocalDate date, String decision) {
        ok(capi.bz_registration_change(h(), unit, Values.code(field, 0), value, Values.date(date), decision));
    }

    /** 注销登记 of the unit on date for reason; R12 refuses it at commit while the unit is in being. */
    public void deregisterInstitution(String unit, LocalDate date, String decision, String reason) {
        ok(capi.bz_registration_deregister(h(), unit, Values.date(date), decision, reason));
    }

    /** A 事业单位法人证书 numbered number issued on issued (ISSUE, RENEW, REISSUE). */
    public void certifyInstitution(String unit, CertKind kind, String number, LocalDate issued) {
        ok(capi.bz_registration_certify(h(), unit, Values.code(kind, 0), number, Values.date(issued)));
    }

    /** File the annual report (年度报告) of year; R13 at commit compares its figures with the ledger's. */
    public void fileAnnualReport(String unit, int year, LocalDate filed, long staff, long establishment, long funds) {
        ok(capi.bz_registration_report_file(h(), unit, year, Values.date(filed), staff, establishment, funds));
    }

    /** Place a person into a unit's category on date against a usage slip (null: R8 at commit). */
    public Placement enter(String person, String unit, String category, String slip, EntryKind entryKind,
            LocalDate date) {
        long[] out = new long[1];
        ok(capi.bz_placement_enter(out, h(), person, unit, category, slip, Values.code(entryKind, 0),
                Values.date(date)));
        return Placement.take(out[0]);
    }

    /** The person leaves their post on date. */
    public void exit(String person, ExitReason reason, LocalDate date) {
        ok(capi.bz_placement_exit(h(), person, Values.code(reason, 0), Values.date(date)));
    }

    /** Appoint a person to a post (PRINCIPAL, DEPUTY) of a unit or sub-unit from date on. */
    public Appointment appoint(String person, String subject, Post post, LocalDate date) {
        long[] out = new long[1];
        ok(capi.bz_appointment_make(out, h(), person, subject, Values.code(post, 0), Values.date(date)));
        return Appointment.take(out[0]);
    }

    /**
     * Appoint as {@link #appoint(String, String, Post, LocalDate)}, stating the person's own rank (职级; null:
     * none stated). A rank above the post's level is 高配: an R2 error at commit (category "high-rank") unless
     * an R2 exception is granted to the person on that date ({@link #grantException}), which keeps it as a
     * warning citing the document.
     */
    public Appointment appoint(String person, String subject, Post post, LocalDate date, Rank rank) {
        long[] out = new long[1];
        ok(capi.bz_appointment_make_ranked(out, h(), person, subject, Values.code(post, 0),
                Values.code(rank, 0), Values.date(date)));
        return Appointment.take(out[0]);
    }

    /** Remove the person from the post on date (免职). */
    public void endAppointment(String appointment, LocalDate date) {
        ok(capi.bz_appointment_end(h(), appointment, Values.date(date)));
    }

    /** Cancel a usage slip from date on: its unused posts are freed. */
    public void cancelSlip(String slip, LocalDate date) {
        ok(capi.bz_slip_cancel(h(), slip, Values.date(date)));
    }

    /**
     * Issue a unit its 机构编制管理证 on issued (number null: made up, "&lt;division&gt;-BZZ-&lt;year&gt;-NNNN"),
     * valid for the years the rule parameter "unitcert.validity_years" says.
     */
    public Unitcert issueUnitcert(String unit, LocalDate issued, String number) {
        long[] out = new long[1];
        ok(capi.bz_unitcert_issue(out, h(), unit, Values.date(issued), number));
        return Unitcert.take(out[0]);
    }

    /** Renew (换发) a 机构编制管理证: the new one from issued on, the old one ending that day. */
    public Unitcert renewUnitcert(String cert, LocalDate issued, String number) {
        long[] out = new long[1];
        ok(capi.bz_unitcert_renew(out, h(), cert, Values.date(issued), number));
        return Unitcert.take(out[0]);
    }

    /** Void (作废) a 机构编制管理证 from date on. */
    public void voidUnitcert(String cert, LocalDate date) {
        ok(capi.bz_unitcert_void(h(), cert, Values.date(date)));
    }

    /**
     * Transfer (调动) the person: leave the open placement on date and enter toUnit's category against a
     * slip of the destination, as one change; the card goes with them. Returns the new placement.
     */
    public Placement transferPerson(String person, String toUnit, String category, String slip, LocalDate date) {
        long[] out = new long[1];
        ok(capi.bz_placement_transfer(out, h(), person, toUnit, category, slip, Values.date(date)));
        return Placement.take(out[0]);
    }

    /** Set (value non-null) or clear (null) the attribute key (民族, 学历 …) of a person from date (null: today) on. */
    public void setPersonAttr(String person, String key, String value, LocalDate date) {
        ok(capi.bz_person_set_attr(h(), person, key, value, Values.date(date)));
    }

    /** Rename a sub-unit from date on. */
    public void renameSubunit(String subunit, String name, LocalDate date) {
        ok(capi.bz_subunit_rename(h(), subunit, name, Values.date(date)));
    }

    /** Change a sub-unit's rank from date on. */
    public void setSubunitRank(String subunit, Rank rank, LocalDate date) {
        ok(capi.bz_subunit_set_rank(h(), subunit, Values.code(rank, -1), Values.date(date)));
    }

    /** Abolish a sub-unit on date. */
    public void abolishSubunit(String subunit, LocalDate date) {
        ok(capi.bz_subunit_abolish(h(), subunit, Values.date(date)));
    }

    /** List a credit code as a legal exception (an early pilot code failing its check characters); note may be null. */
    public void addCreditCodeException(String code, String note) {
        ok(capi.bz_credit_code_exception_add(h(), code, note));
    }

    /** Set the norm for a kind and every rank from minRank to maxRank: the most principals and deputies. */
    public void setLeadershipNorm(NormKind kind, Rank minRank, Rank maxRank, int principal, int deputy) {
        ok(capi.bz_leadership_norm_set(h(), Values.code(kind, 0), Values.code(minRank, -1), Values.code(maxRank, -1),
                principal, deputy));
    }

    /** Number of error-severity violations found so far. */
    public long getErrorCount() {
        return capi.bz_report_errors(capi.bz_txn_report(h()));
    }

    /** Number of warning-severity violations found so far. */
    public long getWarningCount() {
        return capi.bz_report_warnings(capi.bz_txn_report(h()));
    }

    /** Abolish (撤销) the unit on date. */
    public void abolishUnit(String unit, LocalDate date) {
        ok(capi.bz_unit_abolish(h(), unit, Values.date(date)));
    }

    // -- the files behind the documents (archive.h)

    /**
     * Attach the file at path to a registered document under name (null: the
     * file's own name). LedgerIOException for a file that cannot be read,
     * NotFoundException for no such document, ExistsException for a name the
     * document has already. Identical bytes are stored once.
     */
    public File attach(String documentUuid, String path, String name) {
        if (path == null)
            throw new InvalidArgumentException("path: a file name is required, got null");
        long[] out = new long[1];
        ok(capi.bz_file_attach(out, h(), documentUuid, path, name));
        return File.take(out[0]);
    }

    /**
     * Attach the bytes of a stream to a registered document under name,
     * read in pieces (the stream is not closed). size: the number of bytes
     * the stream gives, or -1 if unknown (it is then spooled to a temporary
     * file first: the ledger needs the size up front).
     */
    public File attach(String documentUuid, java.io.InputStream in, long size, String name) throws java.io.IOException {
        if (in == null)
            throw new InvalidArgumentException("in: a stream is required, got null");
        java.nio.file.Path spool = null;
        try {
            if (size < 0) {
                spool = java.nio.file.Files.createTempFile("bianzhi-attach", ".part");
                size = java.nio.file.Files.copy(in, spool, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                in = java.nio.file.Files.newInputStream(spool);
            }
            long[] w = new long[1];
            ok(capi.bz_file_writer_open(w, h(), documentUuid, name, size));
            try {
                byte[] buf = new byte[1024 * 1024]; /* each call reopens the blob: pieces not too small */
                int n;
                while ((n = in.readNBytes(buf, 0, buf.length)) > 0)
                    ok(capi.bz_file_writer_write(w[0], n == buf.length ? buf : java.util.Arrays.copyOf(buf, n)));
                long[] out = new long[1];
                ok(capi.bz_file_writer_finish(out, w[0]));
                return File.take(out[0]);
            } finally {
                capi.bz_file_writer_free(w[0]);
            }
        } finally {
            if (spool != null) {
                in.close();
                java.nio.file.Files.deleteIfExists(spool);
            }
        }
    }

    /** Add an archive category (code A-Z, 0-9, _; a name) to the ledger's code table. */
    public void addArchiveCategory(String code, String name) {
        ok(capi.bz_archive_category_add(h(), code, name));
    }

    /** File a document in the archive under a category code and year (0: the document's own). */
    public void fileUnder(String documentUuid, String category, int year) {
        ok(capi.bz_document_file_under(h(), documentUuid, category, year));
    }
}
