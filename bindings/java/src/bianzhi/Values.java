package bianzhi;

import java.time.LocalDate;
import java.time.LocalDateTime;

/** Conversions of dates between Java and the library's ISO text. */
final class Values {
    private Values() {}

    static String date(LocalDate d) {
        return d == null ? null : d.toString();
    }

    static LocalDate date(String s) {
        return s == null ? null : LocalDate.parse(s.substring(0, Math.min(10, s.length())));
    }

    static LocalDateTime stamp(String s) {
        return s == null ? null : LocalDateTime.parse(s);
    }

    static Long figure(long v) {
        return v == -1 ? null : v;
    }

    /** n items read by index, as an unmodifiable list. */
    static <T> java.util.List<T> list(long n, java.util.function.LongFunction<T> item) {
        java.util.List<T> out = new java.util.ArrayList<>();
        for (long i = 0; i < n; i++)
            out.add(item.apply(i));
        return java.util.Collections.unmodifiableList(out);
    }

    /** One value per constant of an enum, as an unmodifiable map. */
    static <E extends Enum<E>, V> java.util.Map<E, V> byEnum(Class<E> cls, java.util.function.Function<E, V> value) {
        java.util.Map<E, V> out = new java.util.EnumMap<>(cls);
        for (E e : cls.getEnumConstants())
            out.put(e, value.apply(e));
        return java.util.Collections.unmodifiableMap(out);
    }

    /** An enum argument as its C code (null: the given default, which C refuses where a value is required). */
    static int code(Code e, int ifNull) {
        return e == null ? ifNull : e.code();
    }

    /** Every violation of a (borrowed) C report, copied. */
    static java.util.List<Violation> violations(long report) {
        return list(capi.bz_report_count(report), i -> Violation.copy(capi.bz_report_get(report, i)));
    }

    /** A count for a C int: out of range is an InvalidArgumentException, never a silent wrap. */
    static int int32(long v, String name) {
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE)
            throw new InvalidArgumentException(name + ": " + v + " is out of range");
        return (int) v;
    }

    /** The printout of a list of violations (the C demo's form). */
    static String report(String head, java.util.List<Violation> vs) {
        StringBuilder b = new StringBuilder(head).append(": ").append(vs.size()).append(" violation(s)");
        for (Violation v : vs) {
            b.append("\n    [").append(v.getRuleId()).append(' ')
                    .append(v.getSeverity() == Severity.ERROR ? "error" : "warning").append("] ").append(v.getMessage());
            b.append("\n        unit ").append(v.getSubjectName() == null ? "-" : v.getSubjectName())
                    .append(", document ").append(v.getDocumentNumber() == null ? "-" : v.getDocumentNumber())
                    .append(", date ").append(v.getDate() == null ? "-" : v.getDate().toString());
            if (v.getAllowed() != null)
                b.append(", allowed ").append(v.getAllowed()).append(", actual ")
                        .append(v.getActual() == null ? "-" : v.getActual());
        }
        return b.toString();
    }
}
