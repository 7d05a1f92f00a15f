package bianzhi;

import java.io.IOException;
import java.io.InputStream;

/**
 * The bytes of a file attached to a document, read from the ledger in
 * pieces ({@link Ledger#openFile(String)}): nothing holds the whole file.
 * Reading to the end throws {@link CorruptException} (wrapped in an
 * IOException) if the bytes no longer give the SHA-256 that the file's
 * change record wrote. Close it (try-with-resources); not for two threads.
 */
public final class AttachedFileStream extends InputStream {
    private final Ledger.State ledger;
    private final File file;
    private long ptr;
    private final byte[] one = new byte[1];

    AttachedFileStream(Ledger.State ledger, long ptr, File file) {
        this.ledger = ledger;
        this.ptr = ptr;
        this.file = file;
    }

    /** The file read. */
    public File getFile() {
        return file;
    }

    @Override
    public int read() throws IOException {
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (ptr == 0)
            throw new IOException("stream closed");
        if (len == 0)
            return 0;
        /* the C side fills a whole array: read into one of len bytes, copy into b at off */
        byte[] buf = off == 0 && len == b.length ? b : new byte[len];
        long[] got = new long[1];
        try {
            ledger.handle(); /* MisuseException once the ledger is closed */
            BianzhiException.check(capi.bz_file_reader_read(got, ptr, buf), ledger);
        } catch (BianzhiException e) {
            throw new IOException(e.getMessage(), e);
        }
        if (got[0] == 0)
            return -1;
        if (buf != b)
            System.arraycopy(buf, 0, b, off, (int) got[0]);
        return (int) got[0];
    }

    @Override
    public void close() {
        if (ptr != 0) {
            long p = ptr;
            ptr = 0;
            capi.bz_file_reader_free(p); /* also after its ledger closed: detached, still to free */
        }
    }
}
