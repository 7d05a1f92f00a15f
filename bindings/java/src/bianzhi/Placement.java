package bianzhi;

import java.time.LocalDate;

/** A placement (在编): a person in a unit's category from entry to exit; copied. */
public final class Placement {
    private final String uuid, person, personName, idNumber, unit, category, slip, entryDocument, exitDocument;
    private final int entryKind, exitReason;
    private final LocalDate entry, exit;

    private Placement(long p) {
        uuid = capi.bz_placement_uuid(p);
        person = capi.bz_placement_person(p);
        personName = capi.bz_placement_person_name(p);
        idNumber = capi.bz_placement_id_number(p);
        unit = capi.bz_placement_unit(p);
        category = capi.bz_placement_category(p);
        slip = capi.bz_placement_slip(p);
        entryKind = capi.bz_placement_entry_kind(p);
        entry = Values.date(capi.bz_placement_entry(p));
        exit = Values.date(capi.bz_placement_exit_date(p));
        exitReason = capi.bz_placement_exit_reason(p);
        entryDocument = capi.bz_placement_entry_document(p);
        exitDocument = capi.bz_placement_exit_document(p);
    }

    /** Copy the C object and free it (null handle: null). */
    static Placement take(long p) {
        if (p == 0)
            return null;
        try {
            return new Placement(p);
        } finally {
            capi.bz_placement_free(p);
        }
    }

    /** UUID. */
    public String getUuid() { return uuid; }
    /** UUID of the person. */
    public String getPerson() { return person; }
    /** The person's name. */
    public String getPersonName() { return personName; }
    /** The person's ID number. */
    public String getIdNumber() { return idNumber; }
    /** UUID of the unit. */
    public String getUnit() { return unit; }
    /** Category code. */
    public String getCategory() { return category; }
    /** UUID of the usage slip, or null. */
    public String getSlip() { return slip; }
    /** How the person came in. */
    public int getEntryKind() { return entryKind; }
    /** Entry date. */
    public LocalDate getEntry() { return entry; }
    /** Exit date, or null while in post. */
    public LocalDate getExit() { return exit; }
    /** Exit reason (0 while in post). */
    public int getExitReason() { return exitReason; }
    /** Entry document UUID, or null. */
    public String getEntryDocument() { return entryDocument; }
    /** Exit document UUID, or null. */
    public String getExitDocument() { return exitDocument; }
}
