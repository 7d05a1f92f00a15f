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
        return v < 0 ? null : v;
    }
}
