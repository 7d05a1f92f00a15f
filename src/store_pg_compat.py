#!/usr/bin/env python3
"""store_pg_compat.sql → a C file defining bz_pg_compat_sql (the build runs this)."""
import sys

src, out = sys.argv[1], sys.argv[2]
with open(src, encoding='utf-8') as f:
    lines = [l for l in f.read().splitlines() if not l.startswith('--')]
with open(out, 'w', encoding='utf-8') as f:
    f.write('/* generated from store_pg_compat.sql by store_pg_compat.py: do not edit */\n')
    f.write('#include "store.h"\n\nconst char bz_pg_compat_sql[] =\n')
    for l in lines:
        esc = l.replace('\\', '\\\\').replace('"', '\\"').replace('\t', '\\t')
        f.write('\t"%s\\n"\n' % esc)
    f.write('\t;\n')
