#!/usr/bin/python3
"""Place everyone of a roster CSV against a ledger, in one transaction.

    place_roster.py LEDGER ROSTER.csv USER OFFICE DOCUMENT-ISSUER DOCUMENT-NUMBER [JURISDICTION]

The CSV has a header line and the columns name, id_number, unit, category,
entry_date (unit by the name it bears on the entry date). Every row is tried;
if any row is refused (bad input, unknown unit, or a rule at commit: R1 over
establishment, R5 one person one post, R8 no usage slip, R10 ID number, R11
category…) every refusal is printed and nothing is written; otherwise the
whole roster is committed.

Placing people needs the staff area of the library (persons and placements);
with a library built without it the script checks the roster and says so.
"""
import csv
import sys

import bianzhi


def place(txn, ledger, row, jurisdiction):
    """Place one row; returns None or a refusal text."""
    try:
        unit = ledger.unit_by_name(row["unit"], jurisdiction, row["entry_date"])
        ledger.category(row["category"])
        if not hasattr(bianzhi.capi, "bz_placement_enter"):
            return "checked only: this build of libbianzhi has no staff area (persons, placements)"
        txn.place_person(row["name"], row["id_number"], unit, row["category"], row["entry_date"])
    except bianzhi.NotFound as e:
        return "not found: %s" % e
    except bianzhi.Exists as e:
        return "ambiguous or duplicate: %s" % e
    except bianzhi.InvalidArgument as e:
        return "invalid: %s" % e
    except bianzhi.Error as e:
        return "error: %s" % e
    return None


def main(argv):
    if len(argv) < 7:
        print(__doc__, file=sys.stderr)
        return 2
    path, roster, user, office, issuer, number = argv[1:7]
    jurisdiction = argv[7] if len(argv) > 7 else None
    with bianzhi.open(path, create=False) as ledger, open(roster, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
        txn = ledger.begin(user, office)
        try:
            txn.set_document(ledger.find_document(issuer, number))
            refusals = []
            for i, row in enumerate(rows, start=2):
                why = place(txn, ledger, row, jurisdiction)
                if why:
                    refusals.append("line %d, %s (%s): %s" % (i, row.get("name"), row.get("id_number"), why))
            if refusals:
                txn.rollback()
                print("%d of %d rows refused; nothing was written:" % (len(refusals), len(rows)))
                for r in refusals:
                    print("  " + r)
                return 1
            try:
                txn.commit()
            except bianzhi.ConstraintViolation as e:
                print(e)
                print("nothing was written.")
                return 1
            print("placed %d people; committed." % len(rows))
            for w in txn.warnings:
                print("  " + str(w))
            return 0
        finally:
            txn.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
