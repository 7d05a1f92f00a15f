#!/usr/bin/env python3
"""A PostgreSQL SQL file of the driver → a C file defining it as a string (the build runs this).

    store_pg_compat.py SRC OUT [SYMBOL]

SYMBOL defaults to bz_pg_compat_sql (store_pg_compat.sql); schema_pg.sql is
bz_schema_pg_sql. Lines starting with -- are left out."""
import os
import sys

src, out = sys.argv[1], sys.argv[2]
symbol = sys.argv[3] if len(sys.argv) > 3 else 'bz_pg_compat_sql'
header = 'schema_pg.h' if symbol == 'bz_schema_pg_sql' else 'store.h'
with open(src, encoding='utf-8') as f:
    lines = [l for l in f.read().splitlines() if not l.startswith('--')]
with open(out, 'w', encoding='utf-8') as f:
    f.write('/* generated from %s by store_pg_compat.py: do not edit */\n' % os.path.basename(src))
    f.write('#include "%s"\n\nconst char %s[] =\n' % (header, symbol))
    for l in lines:
        esc = l.replace('\\', '\\\\').replace('"', '\\"').replace('\t', '\\t')
        f.write('\t"%s\\n"\n' % esc)
    f.write('\t;\n')
