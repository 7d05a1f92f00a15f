package bianzhi;

import java.time.LocalDate;

/** A person (人员), copied out of the ledger. */
public final class Person {
    private final String uuid, idNumber, name, card;
    private final int sex;
    private final LocalDate birth;

    private Person(long p) {
        uuid = capi.bz_person_uuid(p);
        idNumber = capi.bz_person_id_number(p);
        name = capi.bz_person_name(p);
        sex = capi.bz_person_sex(p);
        birth = Values.date(capi.bz_person_birth(p));
        card = capi.bz_person_card(p);
    }

    /** Copy the C object and free it. */
    static Person take(long p) {
        try {
            return new Person(p);
        } finally {
            capi.bz_person_free(p);
        }
    }

    /** UUID. */
    public String getUuid() { return uuid; }
    /** Citizen ID number (canonical). */
    public String getIdNumber() { return idNumber; }
    /** Name. */
    public String getName() { return name; }
    /** 1 male, 2 female. */
    public int getSex() { return sex; }
    /** Birth date. */
    public LocalDate getBirth() { return birth; }
    /** Management card (管理卡) number, or null before the first entry. */
    public String getCard() { return card; }
}
