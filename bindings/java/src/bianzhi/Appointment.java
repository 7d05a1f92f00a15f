package bianzhi;

import java.time.LocalDate;

/** An appointment (任职) of a person to a leadership post of a unit or sub-unit; copied. */
public final class Appointment {
    private final String uuid, person, subject;
    private final int post;
    private final LocalDate start, end;

    private Appointment(long a) {
        uuid = capi.bz_appointment_uuid(a);
        person = capi.bz_appointment_person(a);
        subject = capi.bz_appointment_subject(a);
        post = capi.bz_appointment_post(a);
        start = Values.date(capi.bz_appointment_start(a));
        end = Values.date(capi.bz_appointment_end_date(a));
    }

    /** Copy the C object and free it. */
    static Appointment take(long a) {
        try {
            return new Appointment(a);
        } finally {
            capi.bz_appointment_free(a);
        }
    }

    /** UUID. */
    public String getUuid() { return uuid; }
    /** UUID of the person. */
    public String getPerson() { return person; }
    /** UUID of the unit or sub-unit. */
    public String getSubject() { return subject; }
    /** 1 principal (正职), 2 deputy (副职). */
    public int getPost() { return post; }
    /** Start date. */
    public LocalDate getStart() { return start; }
    /** End date (免职), or null. */
    public LocalDate getEnd() { return end; }
}
