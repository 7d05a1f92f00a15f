package bianzhi;

import java.lang.ref.Cleaner;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.LongFunction;

/**
 * A single pass over one of the C library's iterators: Iterable (for-each),
 * Iterator and AutoCloseable. Each {@code next()} fetches one item from the
 * ledger; nothing is read ahead into a list. The C iterator is freed when
 * exhausted, on {@link #close()}, or by a Cleaner when the cursor is dropped.
 * Used after its ledger was closed it throws {@link MisuseException}.
 *
 * @param <T> the snapshot type of the items
 */
public final class Cursor<T> implements Iterable<T>, Iterator<T>, AutoCloseable {
    interface Next {
        long[] next(long it);
    }

    interface Free {
        void free(long it);
    }

    private static final class Release implements Runnable {
        final Ledger.State ledger;
        final Free free;
        volatile long ptr;

        Release(Ledger.State ledger, Free free, long ptr) {
            this.ledger = ledger;
            this.free = free;
            this.ptr = ptr;
        }

        @Override
        public void run() {
            long p = ptr;
            ptr = 0;
            if (p != 0)
                ledger.pending.add(() -> free.free(p));
        }
    }

    private final Ledger.State ledger;
    private final Next nextFn;
    private final LongFunction<T> wrap;
    private final Release release;
    private final Cleaner.Cleanable cleanable;
    private T ahead;
    private boolean iterated;

    Cursor(Ledger.State ledger, long it, Next next, Free free, LongFunction<T> wrap) {
        this.ledger = ledger;
        this.nextFn = next;
        this.wrap = wrap;
        this.release = new Release(ledger, free, it);
        this.cleanable = Ledger.CLEANER.register(this, release);
    }

    /** This cursor itself: it can be iterated once. */
    @Override
    public Iterator<T> iterator() {
        if (iterated)
            throw new IllegalStateException("a Cursor can be iterated only once");
        iterated = true;
        return this;
    }

    /** Whether another item follows (fetches it from the ledger). */
    @Override
    public boolean hasNext() {
        if (ahead != null)
            return true;
        long p = release.ptr;
        if (p == 0)
            return false;
        ledger.drain();
        long[] r = nextFn.next(p);
        int rc = (int) r[0];
        if (rc == capiConstants.BZ_ITEROVER) {
            close();
            return false;
        }
        BianzhiException.check(rc, ledger);
        ahead = wrap.apply(r[1]);
        return true;
    }

    /** The next item. */
    @Override
    public T next() {
        if (!hasNext())
            throw new NoSuchElementException();
        T t = ahead;
        ahead = null;
        return t;
    }

    /** Free the C iterator now (idempotent). */
    @Override
    public void close() {
        cleanable.clean();
        ledger.drain();
    }
}
