package bianzhi;

import java.lang.ref.Cleaner;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * One table of a report (C: bz_sheet): a title, Chinese column headers and
 * rows of typed cells. Made by {@link Ledger#sheetTable1} …
 * {@link Ledger#sheetVacancies}; a snapshot that survives the ledger.
 *
 * <pre>
 * try (Sheet t1 = ledger.sheetTable1("621202", null)) {
 *     t1.write("表1.xlsx", Format.XLSX);
 * }
 * </pre>
 *
 * <p>{@link #getRows()} gives each cell as a Long (integer columns), a
 * LocalDate (date columns), a String, or null for an empty cell.
 * {@link #close()} (or try-with-resources) frees the C sheet; a Cleaner
 * frees one that was forgotten.
 */
public final class Sheet implements AutoCloseable {
    /** The native sheet; freed once (close() or the Cleaner). */
    static final class State implements Runnable {
        volatile long ptr;

        State(long ptr) {
            this.ptr = ptr;
        }

        @Override
        public synchronized void run() {
            if (ptr != 0) {
                long p = ptr;
                ptr = 0;
                capi.bz_sheet_free(p);
            }
        }
    }

    private final State state;
    private final Cleaner.Cleanable cleanable;

    Sheet(long ptr) {
        this.state = new State(ptr);
        this.cleanable = Ledger.CLEANER.register(this, state);
    }

    long handle() {
        long p = state.ptr;
        if (p == 0)
            throw new MisuseException("the sheet is closed");
        return p;
    }

    /** Free the C sheet now (idempotent). */
    @Override
    public void close() {
        cleanable.clean();
    }

    /** The title, as the form names it, e.g. "机构编制基本情况表 (表1)". */
    public String getTitle() {
        return capi.bz_sheet_title(handle());
    }

    /** Number of columns. */
    public int columnCount() {
        return (int) capi.bz_sheet_columns(handle());
    }

    /** Number of rows (the header not counted). */
    public int rowCount() {
        return (int) capi.bz_sheet_rows(handle());
    }

    /** The column headers (Chinese, as the forms head them). */
    public List<String> getHeaders() {
        long h = handle();
        List<String> out = new ArrayList<>();
        for (long c = 0, n = capi.bz_sheet_columns(h); c < n; c++)
            out.add(capi.bz_sheet_header(h, c));
        return Collections.unmodifiableList(out);
    }

    /** What each column holds. */
    public List<ColumnKind> getKinds() {
        long h = handle();
        List<ColumnKind> out = new ArrayList<>();
        for (long c = 0, n = capi.bz_sheet_columns(h); c < n; c++)
            out.add(ColumnKind.of(capi.bz_sheet_column_kind(h, c)));
        return Collections.unmodifiableList(out);
    }

    /** The text of a cell as the library holds it; null if empty. */
    public String cell(int row, int col) {
        if (row < 0 || col < 0)
            throw new InvalidArgumentException("row and column are 0 or more");
        return capi.bz_sheet_cell(handle(), row, col);
    }

    /** Every row: Long for integer columns, LocalDate for date columns, String, or null. */
    public List<List<Object>> getRows() {
        long h = handle();
        int ncols = (int) capi.bz_sheet_columns(h);
        int[] kinds = new int[ncols];
        for (int c = 0; c < ncols; c++)
            kinds[c] = capi.bz_sheet_column_kind(h, c);
        List<List<Object>> out = new ArrayList<>();
        for (long r = 0, n = capi.bz_sheet_rows(h); r < n; r++) {
            Object[] row = new Object[ncols];
            for (int c = 0; c < ncols; c++) {
                String v = capi.bz_sheet_cell(h, r, c);
                if (v != null && kinds[c] == ColumnKind.INTEGER.code())
                    row[c] = Long.valueOf(v);
                else if (v != null && kinds[c] == ColumnKind.DATE.code())
                    row[c] = LocalDate.parse(v);
                else
                    row[c] = v;
            }
            out.add(Collections.unmodifiableList(Arrays.asList(row)));
        }
        return Collections.unmodifiableList(out);
    }

    /** Write this sheet to path as CSV (UTF-8 with BOM, CRLF), XLSX or JSON. */
    public void write(String path, Format format) {
        write(Collections.singletonList(this), path, format);
    }

    /** This sheet as CSV (with its BOM) or JSON text, exactly as write() writes the file. */
    public String text(Format format) {
        byte[][] out = new byte[1][];
        int rc = capi.bz_sheets_render(out, new long[] {handle()}, format == null ? 0 : format.code());
        if (rc < 0)
            throw BianzhiException.of(rc, capi.bz_sheets_errmsg());
        return new String(out[0], StandardCharsets.UTF_8);
    }

    /**
     * Write sheets to path: XLSX (one worksheet each), JSON, or CSV (exactly
     * one sheet). The file appears whole or not at all. Throws
     * InvalidArgumentException (several sheets to CSV, null format),
     * LedgerIOException naming the path and the cause.
     */
    public static void write(List<Sheet> sheets, String path, Format format) {
        if (sheets == null)
            throw new InvalidArgumentException("sheets: a list of sheets is required, got null");
        if (path == null)
            throw new InvalidArgumentException("path: a file name is required, got null");
        long[] handles = new long[sheets.size()];
        for (int i = 0; i < handles.length; i++) {
            if (sheets.get(i) == null)
                throw new InvalidArgumentException("sheets[" + i + "] is null");
            handles[i] = sheets.get(i).handle();
        }
        int rc = capi.bz_sheets_write(handles, path, format == null ? 0 : format.code());
        if (rc < 0)
            throw BianzhiException.of(rc, capi.bz_sheets_errmsg());
    }

    @Override
    public String toString() {
        return state.ptr == 0 ? "Sheet(closed)" : "Sheet(" + getTitle() + ", " + rowCount() + " rows)";
    }
}
