#!/usr/bin/env python3
"""store_migrate.py: rewrite the areas' sqlite3_* statement calls to the
storage interface of src/store.h (issue 13), mechanically.

    tools/store_migrate.py [--dry-run] [--report] [FILE...]

Without FILEs: every src/*.c and src/*.h except the store's own files
(store*.{c,h}) and the allocator (alloc.{c,h}). Rewrites in place (unless
--dry-run) and prints, per file, what it converted and what it could not,
by kind; --report prints only the totals and the list of what is left.

What it converts (each a textual rewrite of a call whose arguments it
parses to their closing parenthesis):
    sqlite3_stmt                           → bz_st
    sqlite3_step/reset/finalize/clear_bindings(st)
    sqlite3_bind_int/int64/null(st, …)     → bz_st_*(st, …)
    sqlite3_bind_text/blob(st, i, p, n, SQLITE_TRANSIENT) → bz_st_bind_text/blob(st, i, p, n)  (a copy)
    sqlite3_bind_text/blob(st, i, p, n, SQLITE_STATIC)    → bz_st_bind_text/blob_static(…)
        (no copy on SQLite: a copy could fail for want of memory where the
        area does not look — test_oom found it when both became copies)
    sqlite3_column_int/int64/text/type/bytes/blob/count(st, …) → bz_st_column_*
    sqlite3_stmt_busy(st)                  → bz_st_busy(st)
    sqlite3_bind_parameter_count(st)       → bz_st_param_count(st)
    sqlite3_prepare_v2(db, sql, -1, &st, NULL)    → bz_st_prepare_sqlite(db, sql, &st, 0)
    sqlite3_prepare_v3(db, sql, -1, F, &st, NULL) → bz_st_prepare_sqlite(db, sql, &st, F)
    internal.h gets #include "store.h"
What it leaves (reported with file:line), by kind:
    statement calls with no interface yet, their statement passed through
    bz_st_sqlite(st) (SQLite only): sqlite3_column_value, sqlite3_db_handle,
    sqlite3_bind_zeroblob64, sqlite3_bind_value — the sqlite3_value users;
    blob I/O (sqlite3_blob_*), the backup API (sqlite3_backup_*), custom SQL
    functions (sqlite3_create_function_v2, sqlite3_context, sqlite3_value_*,
    sqlite3_result_*), and the connection-level calls on l->db (sqlite3_exec,
    _changes, _last_insert_rowid, _errcode, _errmsg, _errstr, _system_errno,
    _db_filename, _get_autocommit, _busy_timeout, _open_v2, _close*, _limit,
    _extended_result_codes, _str_*, _free, _sleep), which move to bz_store
    when the ledger holds one (the next step, by hand: ledger.c, txn.c,
    schema.c).
"""
import glob
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

SIMPLE = {
    'sqlite3_step': 'bz_st_step', 'sqlite3_reset': 'bz_st_reset', 'sqlite3_finalize': 'bz_st_finalize',
    'sqlite3_clear_bindings': 'bz_st_clear_bindings',
    'sqlite3_bind_int': 'bz_st_bind_int', 'sqlite3_bind_int64': 'bz_st_bind_int64',
    'sqlite3_bind_null': 'bz_st_bind_null',
    'sqlite3_column_int': 'bz_st_column_int', 'sqlite3_column_int64': 'bz_st_column_int64',
    'sqlite3_column_text': 'bz_st_column_text', 'sqlite3_column_type': 'bz_st_column_type',
    'sqlite3_column_bytes': 'bz_st_column_bytes', 'sqlite3_column_blob': 'bz_st_column_blob',
    'sqlite3_column_count': 'bz_st_column_count',
    'sqlite3_stmt_busy': 'bz_st_busy', 'sqlite3_bind_parameter_count': 'bz_st_param_count',
}
DROP_DESTRUCTOR = {'sqlite3_bind_text': 'bz_st_bind_text', 'sqlite3_bind_blob': 'bz_st_bind_blob'}
PASS_THROUGH = {'sqlite3_column_value', 'sqlite3_db_handle', 'sqlite3_bind_zeroblob64', 'sqlite3_bind_value'}

KINDS = [
    ('sqlite3_value users (no interface yet; bz_st_sqlite(st) passed)', re.compile(r'\bsqlite3_(column_value|db_handle|bind_zeroblob64|bind_value)\b')),
    ('blob I/O (archive: bytea chunks on PostgreSQL)', re.compile(r'\bsqlite3_blob_\w+')),
    ('backup API (pg_dump on PostgreSQL)', re.compile(r'\bsqlite3_backup_\w+')),
    ('custom SQL functions (a PL/pgSQL twin each)', re.compile(r'\bsqlite3_(create_function_v2|result_\w+|value_\w+)\b')),
    ('connection-level calls on the sqlite3 handle (→ bz_store)', re.compile(
        r'\bsqlite3_(exec|changes|changes64|last_insert_rowid|errcode|extended_errcode|errmsg|errstr|system_errno|'
        r'db_filename|get_autocommit|busy_timeout|open_v2|close|close_v2|limit|extended_result_codes|sleep)\b')),
    ('SQLite utilities (sqlite3_str, sqlite3_free, …)', re.compile(r'\bsqlite3_(str_\w+|free|mprintf|snprintf|config)\b')),
]


def args_span(text, i):
    """i: index of '(' → (index after ')', [argument strings])"""
    depth, j, start, args = 0, i, i + 1, []
    while j < len(text):
        c = text[j]
        if c in '"\'':
            q = c
            j += 1
            while j < len(text) and text[j] != q:
                j += 2 if text[j] == '\\' else 1
        elif c == '(':
            depth += 1
        elif c == ')':
            depth -= 1
            if depth == 0:
                args.append(text[start:j])
                return j + 1, args
        elif c == ',' and depth == 1:
            args.append(text[start:j])
            start = j + 1
        j += 1
    raise ValueError('unbalanced call at %d' % i)


CALL = re.compile(r'\b(sqlite3_\w+)\s*\(')


def rewrite(text, notes):
    out, pos = [], 0
    for m in CALL.finditer(text):
        if m.start() < pos:
            continue
        name = m.group(1)
        lp = m.end() - 1
        line = text.count('\n', 0, m.start()) + 1
        try:
            args_span(text, lp)
        except ValueError:
            continue  # in a comment: "sqlite3_step (" without its call
        if name in SIMPLE:
            end, args = args_span(text, lp)
            out.append(text[pos:m.start()] + SIMPLE[name] + '(' + ','.join(rewrite(a, notes) for a in args) + ')')
            pos = end
            notes['converted'] += 1
        elif name in DROP_DESTRUCTOR:
            end, args = args_span(text, lp)
            if len(args) != 5 or args[4].strip() not in ('SQLITE_TRANSIENT', 'SQLITE_STATIC'):
                notes['left'].append((line, 'by hand|' + name + ': a destructor of its own'))
                continue
            fn = DROP_DESTRUCTOR[name] + ('_static' if args[4].strip() == 'SQLITE_STATIC' else '')
            out.append(text[pos:m.start()] + fn + '(' + ','.join(rewrite(a, notes) for a in args[:4]) + ')')
            pos = end
            notes['converted'] += 1
        elif name in ('sqlite3_prepare_v2', 'sqlite3_prepare_v3'):
            end, args = args_span(text, lp)
            a = [x.strip() for x in args]
            v3 = name.endswith('v3')
            if len(a) != (6 if v3 else 5) or a[2] != '-1' or a[-1] != 'NULL':
                notes['left'].append((line, 'by hand|' + name + ': a length or a tail'))
                continue
            flags = a[3] if v3 else '0'
            stp = a[4] if v3 else a[3]
            out.append(text[pos:m.start()] + 'bz_st_prepare_sqlite(%s, %s, %s, %s)' % (args[0].strip(), args[1].strip(), stp, flags))
            pos = end
            notes['converted'] += 1
        elif name in PASS_THROUGH:
            end, args = args_span(text, lp)
            first = args[0].strip()
            if name == 'sqlite3_bind_value' or first.startswith('bz_st_sqlite('):
                out.append(text[pos:end])
            else:
                out.append(text[pos:m.start()] + name + '(bz_st_sqlite(' + first + ')' +
                           (',' + ','.join(args[1:]) if len(args) > 1 else '') + ')')
            pos = end
        # anything else: left as it is (counted by kind below)
    out.append(text[pos:])
    return ''.join(out)


def migrate(path, dry):
    with open(path, encoding='utf-8') as f:
        text = f.read()
    notes = {'converted': 0, 'left': []}
    new = rewrite(text, notes)
    types = len(re.findall(r'\bsqlite3_stmt\b', new))
    new = re.sub(r'\bsqlite3_stmt\b', 'bz_st', new)
    # the engine's own helpers that hand a bz_st to SQLite (bz_bind_value)
    new = new.replace('sqlite3_bind_value(st, i, v)', 'sqlite3_bind_value(bz_st_sqlite(st), i, v)')
    if os.path.basename(path) == 'internal.h' and '#include "store.h"' not in new:
        new = new.replace('#include <sqlite3.h>\n', '#include <sqlite3.h>\n#include "store.h"\n', 1)
    for lineno, l in enumerate(new.split('\n'), 1):
        if l.lstrip().startswith(('*', '/*', '//')):
            continue
        for kind, rx in KINDS:
            for m in rx.finditer(l):
                notes['left'].append((lineno, '%s|%s' % (kind, m.group(0))))
    if not dry and new != text:
        with open(path, 'w', encoding='utf-8') as f:
            f.write(new)
    return notes['converted'], types, notes['left']


def main(argv):
    dry = '--dry-run' in argv
    report = '--report' in argv
    files = [a for a in argv if not a.startswith('--')]
    if not files:
        files = sorted(glob.glob(os.path.join(ROOT, 'src', '*.c')) + glob.glob(os.path.join(ROOT, 'src', '*.h')))
        files = [f for f in files if not os.path.basename(f).startswith(('store', 'alloc.'))]
    total_conv = total_types = 0
    by_kind = {}
    left_all = []
    for f in files:
        conv, types, left = migrate(f, dry)
        total_conv += conv
        total_types += types
        rel = os.path.relpath(f, ROOT)
        for line, what in left:
            kind, detail = what.split('|', 1)
            by_kind[kind] = by_kind.get(kind, 0) + 1
            left_all.append('%s:%d: %s (%s)' % (rel, line, detail, kind.split(' (')[0]))
        if not report:
            print('%-28s %4d calls converted, %3d sqlite3_stmt → bz_st, %3d left' % (rel, conv, types, len(left)))
    print('\n%d calls converted, %d sqlite3_stmt declarations, %d call sites left:' % (total_conv, total_types, len(left_all)))
    for k, n in sorted(by_kind.items(), key=lambda kv: -kv[1]):
        print('  %4d  %s' % (n, k))
    print('\nleft, one by one:')
    for l in left_all:
        print('  ' + l)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
