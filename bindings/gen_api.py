#!/usr/bin/env python3
"""The one source of both bindings: read the public headers, emit what SWIG,
Python and Java need, and check that every exported function is reachable.

Input: the umbrella header (its #include "bianzhi/x.h" lines give the area
headers, in order), the version script src/bianzhi.map and, optionally, the
built library and nm (a function counts as exported only if the map lists
it AND the library defines it: a header may run ahead of its code).

From the headers it builds one metadata model (``model()``, printed by the
``meta`` command as JSON):
  - enums: every ``typedef enum bz_x {...} bz_x;`` with its values, their
    doc comments, and their Chinese names (from the C function
    ``bz_x_name(int)`` at run time where the library has one, else the first
    run of Chinese in the value's comment);
  - types: every opaque type ``bz_t`` that is a value (not a handle: see
    HANDLES) with its fields, one per getter ``bz_t_f(const bz_t *)``: name,
    C getter, C type, kind (str, date, stamp, int, bool, enum, flags,
    nested value), enum, whether -1 means "none", doc comment; getters with
    a second ``size_t`` argument form repeated groups (rows, attributes),
    a second ``int branch`` argument a table keyed by an enum;
  - tables: every code enum ``bz_e`` the library lists (``bz_e_count(void)``,
    ``bz_e_at(size_t)``) with its columns, one per ``bz_e_<col>(int e)``
    (the rules table: RuleInfo in both bindings).

Commands (usage: gen_api.py COMMAND UMBRELLA_H MAP ... [--lib LIB --nm NM]):
  swig OUT_I DEPFILE      the SWIG fragment bz_api.i: BZ_OPAQUE(bz_x) per
                          opaque type, %ignore per declared-but-unexported
                          function, %include per header, and (Python) the
                          generated enums and frozen dataclasses as
                          %pythoncode, so they live in bianzhi.capi, and
                          the Python module's one-call snapshot copies
                          (bzw_<type>_fields, bzw_build: wrapper code,
                          not exports of the library);
  java OUTDIR STAMP       the Java enums and value classes, one file each;
  meta OUT_JSON           the model as JSON;
  parity [--python DIR] [--java DIR] [--c-only FILE]
                          fail (exit 1) naming every exported function that
                          neither the Python layer (DIR/*.py + generated) nor
                          the Java layer (DIR/*.java + generated) calls and
                          that bindings/c_only.txt does not list with a reason.
The old form ``gen_api.py UMBRELLA MAP OUT_I DEPFILE [LIB NM]`` is ``swig``.
"""
import json
import os
import re
import subprocess
import sys

# opaque types that are handles, not values: no snapshot class
HANDLES = {'bz_ledger', 'bz_txn', 'bz_report', 'bz_unit_spec', 'bz_sheet', 'bz_file_writer', 'bz_file_reader'}
# enums that are not codes of the domain (the status codes become exceptions)
NOT_CODES = {'bz_status'}
# bz_<enum>_name functions that are not the enum's Chinese name: the
# constants keep the Chinese of their header comments (.cn / chinese())
NOT_NAME_FUNCTIONS = {
    'bz_rule_name',   # "Chinese term and English gloss" (the rules table: Python rules(), Java Ledger.rules())
}
# field kinds the C type alone does not say (an int that is a flag, …)
BOOL_FIELDS = {'canzong', 'exceptable', 'cert_valid', 'agrees'}
DATE_FIELDS = {'date', 'registered', 'founded', 'ended', 'attached', 'as_of', 'start', 'end_date', 'birth', 'issued',
               'valid_until', 'cancelled', 'entry', 'exit_date', 'effective',
               'deregistered', 'cert_issued', 'cert_valid_until', 'filed', 'due', 'voided', 'renewed'}
STAMP_FIELDS = {'recorded_at'}
# what a repeated group is called on its value: group → plural
GROUP_NAMES = {'attr': 'attributes', 'placement': 'placements', 'rows': 'rows'}

CJK = r'[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+(?:/[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+)*\d*'


def camel(name, upper=True):
    parts = [p for p in name.split('_') if p]
    s = ''.join(p[:1].upper() + p[1:] for p in parts)
    return s if upper else s[:1].lower() + s[1:]


def clean_doc(text):
    if not text:
        return ''
    lines = [re.sub(r'^\s*\*\s?', '', ln).strip() for ln in text.strip().splitlines()]
    return ' '.join(ln for ln in lines if ln).strip()


def read_inputs(umbrella, mapfile, lib=None, nm=None):
    incdir = os.path.dirname(os.path.abspath(umbrella))
    with open(umbrella, encoding='utf-8') as f:
        headers = re.findall(r'#include\s+"(bianzhi/[\w.]+\.h)"', f.read())
    with open(mapfile, encoding='utf-8') as f:
        maptext = re.sub(r'/\*.*?\*/', '', f.read(), flags=re.S)
    exported = set(re.findall(r'^\s*(bz_\w+)\s*;', maptext, flags=re.M))
    if lib and nm:
        out_nm = subprocess.run([nm, '-D', '--defined-only', lib], check=True,
                                capture_output=True, text=True).stdout
        defined = {line.split()[-1].split('@')[0] for line in out_nm.splitlines() if line.strip()}
        exported &= defined
    texts, paths = [], [umbrella, mapfile, os.path.abspath(__file__)]
    for h in headers:
        path = os.path.join(incdir, h)
        paths.append(path)
        with open(path, encoding='utf-8') as f:
            texts.append((h, f.read()))
    return headers, exported, texts, paths


FUNC_RE = re.compile(r'(?:/\*\*((?:(?!\*/).)*)\*/\s*)?BZ_EXTERN\s+([^;(]*?)\s*\b(bz_\w+)\s*\(([^)]*)\)\s*;', re.S)
ENUM_RE = re.compile(r'(?:/\*\*((?:(?!\*/).)*)\*/\s*)?typedef\s+enum\s+(bz_\w+)\s*\{(.*?)\}\s*\2\s*;', re.S)
# a value with its doc: a trailing /**< … */, or else a /** … */ right before it
VALUE_RE = re.compile(r'(?:/\*\*(?!<)((?:(?!\*/).)*)\*/\s*)?(BZ_\w+)\s*=\s*(-?\w+)\s*,?\s*(?:/\*\*<\s*(.*?)\s*\*/)?', re.S)


def parse_params(text):
    text = ' '.join(text.split())
    if text in ('', 'void'):
        return []
    out = []
    for p in text.split(','):
        m = re.match(r'(.*?)(\w+)$', p.strip())
        ctype = ' '.join(m.group(1).replace('*', ' * ').split()).replace('* *', '**')
        out.append({'type': ctype, 'name': m.group(2)})
    return out


def norm_type(t):
    return ' '.join(t.replace('*', ' * ').split()).replace('* *', '**')


def model(umbrella, mapfile, lib=None, nm=None):
    headers, exported, texts, paths = read_inputs(umbrella, mapfile, lib, nm)
    opaque, funcs, enums = [], {}, {}
    defines = []
    for h, text in texts:
        for dm in re.finditer(r'^#\s*define\s+(BZ_\w+)\s+(.*?)\s*(?:/\*.*)?$', text, flags=re.M):
            v = dm.group(2)
            if not re.fullmatch(r'0x[0-9a-fA-F]+u?|-?\d+u?|"[^"]*"', v):
                v = None    # an expression (BZ_VERSION_NUMBER): C only
            if dm.group(1) != 'BZ_EXTERN' and all(d['c_name'] != dm.group(1) for d in defines):
                defines.append({'c_name': dm.group(1), 'value': v})
        for name in re.findall(r'typedef\s+struct\s+(bz_\w+)\s+\1\s*;', text):
            if name not in opaque:
                opaque.append(name)
        for m in ENUM_RE.finditer(text):
            doc, name, body = m.groups()
            values = []
            for vm in VALUE_RE.finditer(body):
                values.append({'c_name': vm.group(2), 'value': int(vm.group(3), 0),
                               'doc': clean_doc(vm.group(4) or vm.group(1))})
            enums[name] = {'c_name': name, 'doc': clean_doc(doc), 'header': h, 'values': values}
        # function declarations, with the doc comment right before them
        for m in FUNC_RE.finditer(text):
            doc, ret, name, params = m.groups()
            funcs[name] = {'name': name, 'ret': norm_type(ret), 'params': parse_params(params),
                           'doc': clean_doc(doc), 'header': h, 'exported': None}
    for f in funcs.values():
        f['exported'] = f['name'] in exported
    codes = {}
    for name, e in enums.items():
        if name in NOT_CODES:
            continue
        vals = [v['c_name'] for v in e['values']]
        prefix = os.path.commonprefix([v.split('_') for v in vals]) if len(vals) > 1 else vals[0].split('_')[:-1]
        pfx = '_'.join(prefix) + '_'
        namefn = name + '_name'
        e['name_function'] = (namefn if namefn in funcs and funcs[namefn]['exported']
                               and namefn not in NOT_NAME_FUNCTIONS else None)
        for v in e['values']:
            v['name'] = v['c_name'][len(pfx):]
            m = re.search(CJK, v['doc'])
            v['chinese'] = m.group(0) if m else None
        e['py_name'] = camel(name[3:])
        codes[name] = e

    def enum_of(fname, doc):
        """The enum an int field holds: named in its doc, one of its BZ_ values there, or its name."""
        for m in re.finditer(r'\b(bz_\w+)\b', doc):
            if m.group(1) in codes:
                return m.group(1), ('bits' in doc)
        for m in re.finditer(r'\b(BZ_\w+)\b', doc):
            for en, e in codes.items():
                if any(v['c_name'] == m.group(1) for v in e['values']):
                    return en, False
        if 'bz_' + fname in codes:
            return 'bz_' + fname, False
        return None, False

    types = []
    for t in opaque:
        if t in HANDLES or t.endswith('_iter'):
            continue
        fields, groups, keyed, counts = [], {}, [], {}
        pre = t + '_'
        for f in funcs.values():
            if not (f['exported'] and f['name'].startswith(pre) and f['params']
                    and norm_type(f['params'][0]['type']) == 'const %s *' % t):
                continue
            short = f['name'][len(pre):]
            if len(f['params']) == 1 and f['ret'] == 'size_t':
                counts[short] = f
        for f in funcs.values():
            if not (f['exported'] and f['name'].startswith(pre) and f['params']
                    and norm_type(f['params'][0]['type']) == 'const %s *' % t):
                continue
            short = f['name'][len(pre):]
            field = {'name': short, 'getter': f['name'], 'c_type': f['ret'], 'doc': f['doc'],
                     'enum': None, 'kind': None, 'none_if_minus_one': '-1 if' in f['doc']}
            ret = f['ret']
            if ret == 'const char *':
                field['kind'] = ('date' if short in DATE_FIELDS else
                                 'stamp' if short in STAMP_FIELDS else 'str')
            elif ret in ('int', 'int64_t', 'size_t'):
                en, bits = enum_of(short, f['doc'])
                if short in BOOL_FIELDS:
                    field['kind'] = 'bool'
                elif en:
                    field['kind'], field['enum'] = ('flags' if bits else 'enum'), en
                else:
                    field['kind'] = 'int'
            elif re.match(r'const bz_\w+ \*$', ret):
                field['kind'], field['value'] = 'value', ret.split()[1]
            else:
                continue
            if len(f['params']) == 1:
                if short in counts:
                    continue
                fields.append(field)
            elif len(f['params']) == 2 and f['params'][1]['type'] == 'size_t':
                grp = None
                for c in counts:
                    if c.endswith('_count') and (short == c[:-6] or short.startswith(c[:-6] + '_')):
                        grp = c[:-6]
                        field['name'] = short[len(grp) + 1:] or short
                        break
                if grp is None:
                    plain = [c for c in counts if not c.endswith('_count')]
                    if len(plain) != 1:
                        continue
                    grp = plain[0]
                g = groups.setdefault(grp, {'name': grp, 'plural': GROUP_NAMES.get(grp, grp + 's'),
                                            'count': t + '_' + (grp if grp in counts else grp + '_count'),
                                            'fields': []})
                g['fields'].append(field)
            elif len(f['params']) == 2 and f['params'][1]['type'] == 'int' and 'bz_' + f['params'][1]['name'] in codes:
                field['key_enum'] = 'bz_' + f['params'][1]['name']
                keyed.append(field)
        if not (fields or groups or keyed):
            continue
        free = t + '_free'
        types.append({'c_name': t, 'name': camel(t[3:]),
                      'free': free if free in funcs and funcs[free]['exported'] else None,
                      'fields': fields, 'groups': list(groups.values()), 'keyed': keyed})
    # tables: a code enum whose values the library lists (bz_e_count(void), bz_e_at(size_t)) and
    # describes, one function per column: bz_e_<column>(int <e>) (bz_rule: the rules table)
    tables = []
    for name, e in codes.items():
        key = name[3:]
        count, at = name + '_count', name + '_at'
        if not all(f in funcs and funcs[f]['exported'] for f in (count, at)):
            continue
        columns = []
        for f in funcs.values():
            if not (f['exported'] and f['name'].startswith(name + '_') and f['name'] != e['name_function']
                    and [(q['type'], q['name']) for q in f['params']] == [('int', key)]):
                continue
            short = f['name'][len(name) + 1:]
            col = {'name': short, 'getter': f['name'], 'c_type': f['ret'], 'doc': f['doc'], 'enum': None,
                   'kind': None, 'none_if_minus_one': False}
            if f['ret'] == 'const char *':
                col['kind'] = 'str'
            elif f['ret'] == 'int':
                en, bits = enum_of(short, f['doc'])
                col['kind'] = ('bool' if short in BOOL_FIELDS else ('flags' if bits else 'enum') if en else 'int')
                col['enum'] = en if col['kind'] in ('enum', 'flags') else None
            else:
                continue
            columns.append(col)
        if columns:
            tables.append({'enum': name, 'key': key, 'name': e['py_name'] + 'Info', 'count': count, 'at': at,
                           'function': key + '_table', 'columns': columns})
    return {'headers': headers, 'opaque': opaque, 'functions': funcs, 'enums': codes,
            'all_enums': enums, 'defines': defines, 'types': types, 'tables': tables, 'paths': paths}


# --------------------------------------------------------------------------
# Python: IntEnums and frozen dataclasses, emitted into capi.py

PY_TYPES = {'str': 'Optional[str]', 'date': 'Optional[_dt.date]', 'stamp': 'Optional[_dt.datetime]',
            'int': 'int', 'bool': 'bool', 'flags': 'int'}

# methods of a snapshot class beyond its fields (typed, so that a type checker
# sees them): type name → source lines, indented as in the class body
PY_METHODS = {
    'Violation': [
        'def __str__(self) -> str:',
        '    sev = "error" if self.severity == Severity.ERROR else "warning"',
        '    return "[%s] %s" % (sev, self.message)',
    ],
    'BasicTable': [
        "def row(self, category: str) -> Optional['BasicTableRow']:",
        '    """The row of a category code, or None."""',
        '    for r in self.rows:',
        '        if r.category == category:',
        '            return r',
        '    return None',
    ],
}


def py_field_type(m, f):
    if f['kind'] == 'enum':
        return 'Union[%s, int, None]' % m['enums'][f['enum']]['py_name']
    if f['kind'] == 'value':
        return "Optional['%s']" % camel(f['value'][3:])
    t = PY_TYPES[f['kind']]
    return 'Optional[int]' if f['none_if_minus_one'] else t


def py_conv(m, f, raw, inline=False):
    """The Python value of field f from raw, what the C getter returns through SWIG. inline (raw
    is a plain name): a date or an enum member found in its dictionary without a call, else the
    same call."""
    k = f['kind']
    if k == 'date' and inline:
        return '(_DATE_OUT[%s] if %s in _DATE_OUT else _date_out(%s))' % (raw, raw, raw)
    if k == 'enum' and inline:
        e = m['enums'][f['enum']]['py_name']
        return '(_M_%s[%s] if %s in _M_%s else _enum_out(%s, %s))' % (e, raw, raw, e, e, raw)
    if k == 'date':
        return '_date_out(%s)' % raw
    if k == 'stamp':
        return '_stamp_out(%s)' % raw
    if k == 'bool':
        return 'bool(%s)' % raw
    if k == 'enum':
        return '_enum_out(%s, %s)' % (m['enums'][f['enum']]['py_name'], raw)
    if k == 'value':
        return '%s._copy(%s)' % (camel(f['value'][3:]), raw)
    if f['none_if_minus_one']:
        return '_figure_out(%s)' % raw
    return raw


def py_read(m, f, ptr, extra=''):
    # the extension's function itself, not SWIG's proxy of it (a Python function that only forwards its
    # arguments): a snapshot calls a getter per field, and the proxy's frame was a good part of its cost
    return py_conv(m, f, '_capi.%s(%s%s)' % (f['getter'], ptr, extra))


def py_local(name):
    """The local variable that holds a field's raw value in _copy (never a name _copy uses otherwise)."""
    return 'f_' + name


# --------------------------------------------------------------------------
# Python: a snapshot's fields in one C call (issue 10, Python vs C)
#
# Copying a snapshot field by field is one trip into the extension per field
# (argument parsing, the GIL released and taken back, a Python frame's worth of
# interpreter work around each). For every snapshot type, the Python module
# gets a C function bzw_<type>_fields(p) (in the SWIG wrapper, not in
# libbianzhi: no export, no ABI change) that calls the same exported getters
# and returns their results as one tuple, converted exactly as SWIG converts
# each getter's result: the scalar fields in order, then per repeated group a
# tuple of its rows (a row: a tuple of its fields; a group of one nested value:
# the values' addresses). The table keyed by an enum (figures) stays field by
# field. _copy converts the tuple as it converted each getter's result
# (py_conv), and _copy_by_getters keeps the field-by-field copy as the
# reference the tests compare it with (tests/python/test_snapshot_copy.py).

C_FROM = {'const char *': 'SWIG_FromCharPtr(%s)',     # NULL: None; UTF-8 with surrogateescape, as SWIG
          'int': 'PyLong_FromLong((long)(%s))',
          'int64_t': 'PyLong_FromLongLong((long long)(%s))',
          'size_t': 'PyLong_FromSize_t(%s)'}


def c_from(f, call):
    if f['kind'] == 'value':
        return 'PyLong_FromVoidPtr((void *)(%s))' % call    # as BZ_OPAQUE's out typemap
    return C_FROM[f['c_type']] % call


def fields_function(t):
    return 'bzw_%s_fields' % t['c_name'][3:]


BZW_BUILD_C = r"""
/* bzw_build(cls, names, kinds, raw): the snapshot object of class cls made from raw (what
 * bzw_<type>_fields returned), with no Python code run: object.__new__(cls), then each field set as
 * object.__setattr__ sets it (the frozen class's own __setattr__ refuses), in order, its value
 * converted by its kind: None: raw as is; a dict: the value the dict gives for raw (an enum's members
 * by C value, the dates of date texts); True: bool(raw); -1: None for -1, else raw; (): raw must be
 * empty (a repeated group without rows). Returns None, having made nothing that stays, when a value
 * is not in its dict or a group has rows: the caller then makes the object in Python, as it always
 * did (and fills its dictionaries for the next time). */
SWIGINTERN PyObject *bzw_build(PyObject *self, PyObject *args)
{
	PyObject *cls, *names, *kinds, *raw, *o, *empty;
	Py_ssize_t i, n;
	(void)self;
	if (!PyArg_UnpackTuple(args, "bzw_build", 4, 4, &cls, &names, &kinds, &raw))
		return NULL;
	if (!PyType_Check(cls) || !PyTuple_Check(names) || !PyTuple_Check(kinds) || !PyTuple_Check(raw)
	    || PyTuple_GET_SIZE(names) != PyTuple_GET_SIZE(raw) || PyTuple_GET_SIZE(kinds) != PyTuple_GET_SIZE(raw)) {
		PyErr_SetString(PyExc_TypeError, "bzw_build(cls, names, kinds, raw): a class and three tuples of one length");
		return NULL;
	}
	n = PyTuple_GET_SIZE(raw);
	if (!(empty = PyTuple_New(0)))
		return NULL;
	o = PyBaseObject_Type.tp_new((PyTypeObject *)cls, empty, NULL);
	Py_DECREF(empty);
	if (!o)
		return NULL;
	for (i = 0; i < n; i++) {
		PyObject *v = PyTuple_GET_ITEM(raw, i), *k = PyTuple_GET_ITEM(kinds, i), *own = NULL;
		int rc;
		if (k == Py_None) {
			/* as is */
		} else if (PyDict_CheckExact(k)) {
			v = PyDict_GetItemWithError(k, v);
			if (!v) {
				Py_DECREF(o);
				if (PyErr_Occurred())
					return NULL;
				Py_RETURN_NONE;
			}
		} else if (k == Py_True) {
			int t = PyObject_IsTrue(v);
			if (t < 0) {
				Py_DECREF(o);
				return NULL;
			}
			v = own = PyBool_FromLong(t);
		} else if (PyTuple_CheckExact(k)) {
			if (!PyTuple_CheckExact(v) || PyTuple_GET_SIZE(v) != 0) {
				Py_DECREF(o);
				Py_RETURN_NONE;
			}
		} else if (PyLong_CheckExact(k)) {
			long x = PyLong_CheckExact(v) ? PyLong_AsLong(v) : 0;
			if (x == -1 && PyErr_Occurred())
				PyErr_Clear();     /* too large for a long: not -1 */
			else if (x == -1)
				v = Py_None;
		} else {
			Py_DECREF(o);
			PyErr_SetString(PyExc_TypeError, "bzw_build: a kind is None, a dict, True, -1 or ()");
			return NULL;
		}
		rc = PyObject_GenericSetAttr(o, PyTuple_GET_ITEM(names, i), v);
		Py_XDECREF(own);
		if (rc < 0) {
			Py_DECREF(o);
			return NULL;
		}
	}
	return o;
}
"""


def python_helpers_c(m):
    """The C source of every bzw_<type>_fields (SWIG %wrapper code of the Python module)."""
    L = ['/* generated by bindings/gen_api.py: a snapshot\'s fields in one call (see gen_api.py) */',
         '#define BZW_SET(tuple_, i_, expr_) do { \\',
         '\t\tPyObject *x_ = (expr_); \\',
         '\t\tif (!x_) \\',
         '\t\t\tgoto fail; \\',
         '\t\tPyTuple_SET_ITEM((tuple_), (i_), x_); \\',
         '\t} while (0)',
         '']
    for t in m['types']:
        fn = fields_function(t)
        n = len(t['fields']) + len(t['groups'])
        L += ['SWIGINTERN PyObject *%s(PyObject *self, PyObject *args)' % fn,
              '{',
              '\tPyObject *o_, *r_;',
              '\tconst %s *p;' % t['c_name'],
              '\t(void)self;',
              '\tif (!PyArg_UnpackTuple(args, "%s", 1, 1, &o_))' % fn,
              '\t\treturn NULL;',
              '\tif (o_ == Py_None)',
              '\t\tPy_RETURN_NONE;',
              '\tp = (const %s *)PyLong_AsVoidPtr(o_);' % t['c_name'],
              '\tif (PyErr_Occurred())',
              '\t\treturn NULL;',
              '\tif (!p)',
              '\t\tPy_RETURN_NONE;',
              '\tr_ = PyTuple_New(%d);' % n,
              '\tif (!r_)',
              '\t\treturn NULL;']
        for i, f in enumerate(t['fields']):
            L.append('\tBZW_SET(r_, %d, %s);' % (i, c_from(f, '%s(p)' % f['getter'])))
        for j, g in enumerate(t['groups']):
            single = len(g['fields']) == 1 and g['fields'][0]['kind'] == 'value'
            L += ['\t{',
                  '\t\tsize_t i, n_ = %s(p);' % g['count'],
                  '\t\tPyObject *g_ = PyTuple_New((Py_ssize_t)n_);',
                  '\t\tif (!g_)',
                  '\t\t\tgoto fail;',
                  '\t\tPyTuple_SET_ITEM(r_, %d, g_);' % (len(t['fields']) + j),
                  '\t\tfor (i = 0; i < n_; i++) {']
            if single:
                L.append('\t\t\tBZW_SET(g_, (Py_ssize_t)i, %s);' % c_from(g['fields'][0], '%s(p, i)' % g['fields'][0]['getter']))
            else:
                L += ['\t\t\tPyObject *row_ = PyTuple_New(%d);' % len(g['fields']),
                      '\t\t\tif (!row_)',
                      '\t\t\t\tgoto fail;',
                      '\t\t\tPyTuple_SET_ITEM(g_, (Py_ssize_t)i, row_);']
                for k, f in enumerate(g['fields']):
                    L.append('\t\t\tBZW_SET(row_, %d, %s);' % (k, c_from(f, '%s(p, i)' % f['getter'])))
            L += ['\t\t}', '\t}']
        L += ['\treturn r_;',
              'fail:',
              '\tPy_DECREF(r_);   /* a tuple not yet full releases the items it has */',
              '\treturn NULL;',
              '}',
              '']
    L.append('#undef BZW_SET')
    L.append(BZW_BUILD_C)
    return '\n'.join(L) + '\n'


def python_helpers_swig(m):
    """The SWIG directives that put bzw_<type>_fields into the Python module (plain METH_VARARGS
    functions: no SWIG argument conversion, and the GIL kept: the getters only read the copy)."""
    lines = ['%fragment("SWIG_FromCharPtr");', '%wrapper %{', python_helpers_c(m), '%}']
    lines += ['%%native(%s) PyObject *%s(PyObject *self, PyObject *args);' % (fields_function(t), fields_function(t))
              for t in m['types']]
    lines.append('%native(bzw_build) PyObject *bzw_build(PyObject *self, PyObject *args);')
    return lines


def py_build_kinds(m, t):
    """The kinds bzw_build converts t's raw fields by (see BZW_BUILD_C), or None where a field needs
    Python (a nested value, a time stamp, the figures keyed by an enum): t is then made in Python."""
    if t['keyed']:
        return None
    kinds = []
    for f in t['fields']:
        k = f['kind']
        if k == 'date':
            kinds.append('_DATE_OUT')
        elif k == 'enum':
            kinds.append('_M_' + m['enums'][f['enum']]['py_name'])
        elif k == 'bool':
            kinds.append('True')
        elif k in ('value', 'stamp'):
            return None
        elif f['none_if_minus_one']:
            kinds.append('-1')
        else:
            kinds.append('None')
    kinds += ['()'] * len(t['groups'])
    return kinds


def python_code(m):
    L = ['# ---- generated by bindings/gen_api.py from the public headers: do not edit ----',
         'import dataclasses as _dc',
         'import datetime as _dt',
         'import enum as _enum',
         'from typing import Any, Dict, NamedTuple, Optional, Tuple, Type, TypeVar, Union',
         '',
         '# the dates of the texts the library returned (a date is immutable: one object serves every',
         '# snapshot that carries it; bounded, cleared when full), and None for no date',
         '_DATE_OUT: Dict[Optional[str], Optional[_dt.date]] = {None: None}',
         '',
         'def _date_out(text: Optional[str]) -> Optional[_dt.date]:',
         '    if text is None:',
         '        return None',
         '    d = _DATE_OUT.get(text)',
         '    if d is None:',
         '        d = _dt.date.fromisoformat(text[:10])',
         '        if len(_DATE_OUT) >= 4096:',
         '            _DATE_OUT.clear()',
         '            _DATE_OUT[None] = None',
         '        _DATE_OUT[text] = d',
         '    return d',
         '',
         'def _stamp_out(text: Optional[str]) -> Optional[_dt.datetime]:',
         '    return None if text is None else _dt.datetime.fromisoformat(text)',
         '',
         'def _figure_out(v: int) -> Optional[int]:',
         '    return None if v == -1 else v',
         '',
         "_V = TypeVar('_V')",
         '',
         'def _present(v: Optional[_V]) -> _V:',
         '    """An element of a repeated group: the C library returns one for every index below the count."""',
         '    if v is None:',
         '        raise RuntimeError("the C library returned no element below its count")',
         '    return v',
         '',
         "_E = TypeVar('_E', bound=_enum.IntEnum)",
         '',
         '_ENUM_MEMBERS: Dict[Any, Dict[int, Any]] = {}',
         '',
         'def _enum_out(cls: Type[_E], v: int) -> Union[_E, int, None]:',
         '    """The member for a C value; None for 0 when 0 is no member (\'not set\'), else the int.',
         '',
         '    A dictionary per enum, built on first use: calling the enum class for every',
         '    field of every snapshot was most of what a snapshot cost."""',
         '    members = _ENUM_MEMBERS.get(cls)',
         '    if members is None:',
         '        members = _ENUM_MEMBERS[cls] = {int(m): m for m in cls}',
         '    member = members.get(v)',
         '    if member is not None:',
         '        return member',
         '    return None if v == 0 else v',
         '',
         "_C = TypeVar('_C', bound='_Code')",
         '',
         'class _Code(_enum.IntEnum):',
         '    """Base of the code enums: the Chinese name is .cn (also .chinese and str()); from_name() parses it."""',
         '',
         '    @property',
         '    def cn(self) -> str:',
         '        """The Chinese name (e.g. 事业单位); the English member name where the library has none."""',
         '        # _name_function and _chinese are set on each enum after its class (no members)',
         '        fn: Optional[str] = getattr(type(self), "_name_function", None)',
         '        if fn is not None:',
         '            s = globals()[fn](int(self))',
         '            if s:',
         '                return s',
         '        chinese: Dict[int, str] = getattr(type(self), "_chinese", {})',
         '        return chinese.get(int(self)) or self.name',
         '',
         '    @property',
         '    def chinese(self) -> str:',
         '        """Same as .cn."""',
         '        return self.cn',
         '',
         '    def __str__(self) -> str:',
         '        return self.cn',
         '',
         '    def __format__(self, spec: str) -> str:',
         '        return format(str(self), spec) if not spec or spec[-1] == "s" else int.__format__(int(self), spec)',
         '',
         '    @classmethod',
         '    def from_name(cls: Type[_C], name: str) -> _C:',
         '        """The member whose Chinese name (or English member name) is name; ValueError if none."""',
         '        if isinstance(name, str):',
         '            for x in cls:',
         '                if name in (x.cn, x.name):',
         '                    return x',
         '        raise ValueError("%s: no member named %r" % (cls.__name__, name))',
         '']
    for e in m['enums'].values():
        L.append('class %s(_Code):' % e['py_name'])
        L.append('    %r' % ((e['doc'] or e['py_name']) + ' (C: %s)' % e['c_name']))
        for v in e['values']:
            L.append('    %s = %d  #: %s' % (v['name'], v['value'], v['doc']))
        # setattr: an enum's class attributes are not members (and a type checker would take them for some)
        L.append('setattr(%s, "_name_function", %r)' % (e['py_name'], e['name_function']))
        L.append('setattr(%s, "_chinese", %r)' % (e['py_name'], {v['value']: v['chinese'] for v in e['values'] if v['chinese']}))
        # what _enum_out returns for each member's C value (and for 0, 'not set', where 0 is no member):
        # the snapshots' copies look it up here, and call _enum_out only for a value not found
        L.append('_M_%s: Dict[int, Optional[%s]] = {int(m): m for m in %s}' % (e['py_name'], e['py_name'], e['py_name']))
        L.append('_M_%s.setdefault(0, None)' % e['py_name'])
        L.append('')
    for t in m['types']:
        # rows of repeated groups
        rowcls = {}
        for g in t['groups']:
            if len(g['fields']) == 1 and g['fields'][0]['kind'] == 'value':
                continue
            rn = t['name'] + ('Row' if g['name'] == 'rows' else camel(g['name']))
            rowcls[g['name']] = rn
            L.append('class %s(NamedTuple):' % rn)
            L.append('    %r' % ('One of the %s of a %s.' % (g['plural'], t['name'])))
            for f in g['fields']:
                L.append('    %s: %s  #: %s' % (f['name'], py_field_type(m, f), f['doc'] or f['name']))
            L.append('')
        keycls = None
        if t['keyed']:
            keycls = t['name'] + 'Figures'
            L.append('class %s(NamedTuple):' % keycls)
            L.append('    %r' % ('The figures of a %s for one key.' % t['name']))
            for f in t['keyed']:
                L.append('    %s: %s  #: %s' % (f['name'], py_field_type(m, f), f['doc'] or f['name']))
            L.append('')
        doc = ['A %s snapshot (C: %s), copied out of the ledger: a plain value that outlives it.' % (t['name'], t['c_name']), '', 'Fields:']
        for f in t['fields']:
            doc.append('  %s: %s' % (f['name'], f['doc'] or f['name']))
        for g in t['groups']:
            doc.append('  %s: a tuple of %s' % (g['plural'], rowcls.get(g['name'], camel(g['fields'][0].get('value', 'x')[3:]))))
        if keycls:
            doc.append('  figures: {%s: %s}' % (m['enums'][t['keyed'][0]['key_enum']]['py_name'], keycls))
        L.append('@_dc.dataclass(frozen=True)')
        L.append('class %s:' % t['name'])
        L.append('    """%s"""' % '\n    '.join(doc).replace('"""', "'''"))
        for f in t['fields']:
            L.append('    %s: %s' % (f['name'], py_field_type(m, f)))
        for g in t['groups']:
            item = rowcls.get(g['name']) or camel(g['fields'][0]['value'][3:])
            L.append("    %s: Tuple['%s', ...] = ()" % (g['plural'], item))
        if keycls:
            ke = m['enums'][t['keyed'][0]['key_enum']]['py_name']
            L.append('    figures: Dict[%s, %s] = _dc.field(default_factory=dict, hash=False)' % (ke, keycls))
        L.append('')
        # _copy: every field from one C call (bzw_<type>_fields), converted as each getter's result was
        raw_names = [py_local(f['name']) for f in t['fields']] + [py_local(g['plural']) for g in t['groups']]
        args = ['%s=%s' % (f['name'], py_conv(m, f, py_local(f['name']), inline=True)) for f in t['fields']]
        for g in t['groups']:
            raw = py_local(g['plural'])
            if g['name'] in rowcls:
                if all(py_conv(m, f, 'x', inline=True) == 'x' for f in g['fields']):
                    rd = 'tuple(map(%s._make, %s)) if %s else ()' % (rowcls[g['name']], raw, raw)
                else:
                    cols = ['c%d' % k for k in range(len(g['fields']))]
                    rd = 'tuple([%s(%s) for %s in %s]) if %s else ()' % (rowcls[g['name']], ', '.join(
                        py_conv(m, f, c, inline=True) for f, c in zip(g['fields'], cols)), ', '.join(cols), raw, raw)
            else:
                rd = 'tuple([_present(%s) for q in %s]) if %s else ()' % (py_conv(m, g['fields'][0], 'q'), raw, raw)
            args.append('%s=%s' % (g['plural'], rd))
        if keycls:
            ke = m['enums'][t['keyed'][0]['key_enum']]['py_name']
            args.append('figures={k: %s(%s) for k in %s}' % (keycls, ', '.join(py_read(m, f, 'p', ', int(k)') for f in t['keyed']), ke))
        L.append('    @classmethod')
        L.append("    def _copy(cls, p: Any) -> Optional['%s']:" % t['name'])
        L.append('        """Copy every field out of the (borrowed) C object p (one call: %s)."""' % fields_function(t))
        L.append('        if not p:')
        L.append('            return None')
        kinds = py_build_kinds(m, t)
        if kinds is not None:
            # made in C when every value is found (bzw_build), else below from the same raw tuple
            L.append('        raw = _capi.%s(p)' % fields_function(t))
            L.append('        o = _capi.bzw_build(cls, _NAMES_%s, _KINDS_%s, raw)' % (t['name'], t['name']))
            L.append('        if o is not None:')
            L.append('            return o')
            L.append('        (%s,) = raw' % ', '.join(raw_names))
        elif raw_names:
            L.append('        (%s,) = _capi.%s(p)' % (', '.join(raw_names), fields_function(t)))
        # the fields straight into the new object's __dict__: a frozen dataclass's __init__ sets each field
        # through object.__setattr__, which was most of what copying a snapshot cost (issue 10, Python vs C);
        # the object is the same (every field given, in order; no __post_init__)
        L.append('        o = cls.__new__(cls)')
        L.append('        o.__dict__.update(%s)' % (',\n                          '.join(args)))
        L.append('        return o')
        # the same copy, a getter call per field: what _copy is compared with (tests/python/test_snapshot_copy.py)
        args = ['%s=%s' % (f['name'], py_read(m, f, 'p')) for f in t['fields']]
        for g in t['groups']:
            if g['name'] in rowcls:
                rd = '%s(%s)' % (rowcls[g['name']], ', '.join(py_read(m, f, 'p', ', i') for f in g['fields']))
            else:
                rd = '_present(%s)' % py_read(m, g['fields'][0], 'p', ', i')
            args.append('%s=tuple(%s for i in range(_capi.%s(p)))' % (g['plural'], rd, g['count']))
        if keycls:
            ke = m['enums'][t['keyed'][0]['key_enum']]['py_name']
            args.append('figures={k: %s(%s) for k in %s}' % (keycls, ', '.join(py_read(m, f, 'p', ', int(k)') for f in t['keyed']), ke))
        L.append('')
        L.append('    @classmethod')
        L.append("    def _copy_by_getters(cls, p: Any) -> Optional['%s']:" % t['name'])
        L.append('        """The same copy as _copy, a C getter call per field: the reference the tests compare _copy with."""')
        L.append('        if not p:')
        L.append('            return None')
        L.append('        o = cls.__new__(cls)')
        L.append('        o.__dict__.update(%s)' % (',\n                          '.join(args)))
        L.append('        return o')
        if t['free']:
            L.append('')
            L.append('    @classmethod')
            L.append("    def _take(cls, p: Any) -> '%s':" % t['name'])
            L.append('        """Copy the C object p (which a successful call returned) and free it (exactly once)."""')
            L.append('        try:')
            if kinds is not None:
                # _copy's way, without its frame: made in C, else by _copy
                L.append('            v = _capi.bzw_build(cls, _NAMES_%s, _KINDS_%s, _capi.%s(p)) if p else None'
                         % (t['name'], t['name'], fields_function(t)))
                L.append('            if v is None:')
                L.append('                v = cls._copy(p)')
            else:
                L.append('            v = cls._copy(p)')
            L.append('        finally:')
            L.append('            _capi.%s(p)' % t['free'])
            L.append('        if v is None:')
            L.append('            raise RuntimeError(%r)' % ('%s: no C object where a successful call returns one' % t['c_name']))
            L.append('        return v')
        for g in t['groups']:
            if g['name'] in rowcls and [f['name'] for f in g['fields']] == ['key', 'value']:
                L.append('')
                L.append('    def %s(self, key: str) -> Optional[str]:' % g['name'])
                L.append('        """The value of %s key, None if not set."""' % g['name'])
                L.append('        for r in self.%s:' % g['plural'])
                L.append('            if r.key == key:')
                L.append('                return r.value')
                L.append('        return None')
        for f in t['keyed']:
            ke = m['enums'][f['key_enum']]['py_name']
            L.append('')
            L.append('    def %s(self, key: Union[%s, int]) -> %s:' % (f['name'], ke, py_field_type(m, f)))
            L.append('        """%s"""' % (f['doc'] or f['name']))
            L.append('        return self.figures[%s(key)].%s' % (ke, f['name']))
        for ln in PY_METHODS.get(t['name'], ()):
            if ln.startswith('def '):
                L.append('')
            L.append('    ' + ln)
        L.append('')
        if kinds is not None:
            # what _copy's bzw_build sets, in order, and how it converts each raw value
            L.append('_NAMES_%s = (%s,)' % (t['name'], ', '.join(repr(f['name']) for f in t['fields'])
                                             + ''.join(', %r' % g['plural'] for g in t['groups'])))
            L.append('_KINDS_%s: Tuple[Any, ...] = (%s,)' % (t['name'], ', '.join(kinds)))
            L.append('')
    for tb in m['tables']:
        ke = m['enums'][tb['enum']]['py_name']
        L.append('class %s(NamedTuple):' % tb['name'])
        L.append('    %r' % ('One row of the %s table (C: %s, %s and a function per column), in the '
                            "library's order: %s() lists them." % (ke, tb['count'], tb['at'], tb['function'])))
        L.append('    %s: Union[%s, int, None]  #: the %s (an int for one this binding does not know)' % (tb['key'], ke, ke))
        for c in tb['columns']:
            L.append('    %s: %s  #: %s' % (c['name'], py_field_type(m, c), c['doc'] or c['name']))
        L.append('')
        L.append("def %s() -> Tuple['%s', ...]:" % (tb['function'], tb['name']))
        L.append('    """Every row of the %s table, in its order."""' % ke)
        L.append('    out = []')
        L.append('    for i in range(%s()):' % tb['count'])
        L.append('        p = %s(i)' % tb['at'])
        L.append('        out.append(%s(%s))' % (tb['name'], ', '.join(['_enum_out(%s, p)' % ke] + [py_read(m, c, 'p') for c in tb['columns']])))
        L.append('    return tuple(out)')
        L.append('')
    L.append('GENERATED_ENUMS = %r' % (tuple(e['py_name'] for e in m['enums'].values()),))
    L.append('GENERATED_TYPES = %r' % (tuple(t['name'] for t in m['types']) + tuple(tb['name'] for tb in m['tables']),))
    return '\n'.join(L) + '\n'


# --------------------------------------------------------------------------
# Java: enums and value classes, one file each, package bianzhi

JAVA_TYPES = {'str': 'String', 'date': 'LocalDate', 'stamp': 'LocalDateTime', 'int': 'int',
              'bool': 'boolean', 'flags': 'int'}


def java_type(m, f):
    if f['kind'] == 'enum':
        return camel(f['enum'][3:])
    if f['kind'] == 'value':
        return camel(f['value'][3:])
    if f['none_if_minus_one']:
        return 'Long'
    if f['kind'] == 'int' and f['c_type'] in ('int64_t', 'size_t'):
        return 'long'
    return JAVA_TYPES[f['kind']]


def java_read(m, f, ptr, extra=''):
    call = 'capi.%s(%s%s)' % (f['getter'], ptr, extra)
    k = f['kind']
    if k == 'date':
        return 'Values.date(%s)' % call
    if k == 'stamp':
        return 'Values.stamp(%s)' % call
    if k == 'bool':
        return '%s != 0' % call
    if k == 'enum':
        return '%s.of(%s)' % (camel(f['enum'][3:]), call)
    if k == 'value':
        return '%s.copy(%s)' % (camel(f['value'][3:]), call)
    if f['none_if_minus_one']:
        return 'Values.figure(%s)' % call
    return call


def jdoc(text, indent='    '):
    text = (text or '').replace('*/', '*&#47;').replace('<', '&lt;').replace('>', '&gt;').replace('&lt;&lt;', '&lt;&lt;')
    return '%s/** %s */' % (indent, text or '')


def java_getter(f):
    return ('is' if f['kind'] == 'bool' else 'get') + camel(f['name'])


def java_value_class(m, name, fields, reads, doc, extra=(), static=False, take_free=None, nested=()):
    """A final class with private final fields, a constructor reading them, getters, equals/hashCode/toString."""
    ind = '    ' if static else ''
    L = [jdoc(doc, ind), '%spublic %sfinal class %s {' % (ind, 'static ' if static else '', name)]
    for n in nested:
        L += ['    ' + ln if ln else ln for ln in n]
        L.append('')
    for (fname, jt, _doc) in fields:
        L.append('%s    private final %s %s;' % (ind, jt, fname))
    L.append('')
    L.append('%s    %s(%s) {' % (ind, name, reads[0]))
    for (fname, _jt, _d), r in zip(fields, reads[1]):
        L.append('%s        this.%s = %s;' % (ind, fname, r))
    L.append('%s    }' % ind)
    L += [ind + ln if ln else ln for ln in extra]
    for (fname, jt, d) in fields:
        L.append('')
        L.append(jdoc(d or fname, ind + '    '))
        getter = ('is' if jt == 'boolean' else 'get') + fname[:1].upper() + fname[1:]
        L.append('%s    public %s %s() { return %s; }' % (ind, jt, getter, fname))
    names = [f[0] for f in fields]
    L.append('')
    L.append('%s    @Override' % ind)
    L.append('%s    public boolean equals(Object o) {' % ind)
    L.append('%s        if (this == o) return true;' % ind)
    L.append('%s        if (!(o instanceof %s)) return false;' % (ind, name))
    L.append('%s        %s x = (%s) o;' % (ind, name, name))
    L.append('%s        return %s;' % (ind, ' && '.join('java.util.Objects.equals(%s, x.%s)' % (n, n) for n in names) or 'true'))
    L.append('%s    }' % ind)
    L.append('')
    L.append('%s    @Override' % ind)
    L.append('%s    public int hashCode() { return java.util.Objects.hash(%s); }' % (ind, ', '.join(names)))
    L.append('')
    L.append('%s    @Override' % ind)
    L.append('%s    public String toString() {' % ind)
    L.append('%s        return "%s(" + %s + ")";' % (ind, name, ' + ", " + '.join('"%s=" + %s' % (n, n) for n in names) or '""'))
    L.append('%s    }' % ind)
    L.append('%s}' % ind)
    return L


def java_files(m):
    files = {}
    head = ['// generated by bindings/gen_api.py from the public headers: do not edit', 'package bianzhi;', '']
    # the constants, package-private (SWIG's capiConstants would be a public interface)
    L = head + ['/** The C library\'s constants (status codes, enum values, flags); not public API. */',
                'final class capiConstants {', '    private capiConstants() {}']
    for e in m['all_enums'].values():
        for v in e['values']:
            L.append('    static final int %s = %d;' % (v['c_name'], v['value']))
    for d in m['defines']:
        v = d['value']
        if v is None or d['c_name'] == 'BZ_EXTERN':
            continue
        if v.startswith('"'):
            L.append('    static final String %s = %s;' % (d['c_name'], v))
        elif v.endswith('u'):
            L.append('    static final long %s = %dL;' % (d['c_name'], int(v[:-1], 0)))
        else:
            L.append('    static final int %s = %d;' % (d['c_name'], int(v, 0)))
    L.append('}')
    files['capiConstants.java'] = L
    files['Code.java'] = head + ['/** What every generated code enum has: its C value and its Chinese name. */',
                                 'interface Code {', '    /** The C library\'s value. */', '    int code();', '',
                                 '    /** The Chinese name. */', '    String chinese();', '}']
    for e in m['enums'].values():
        n = e['py_name']
        L = head + [jdoc((e['doc'] or n) + ' (C: ' + e['c_name'] + '). '
                         'chinese() gives the Chinese name, fromName() parses it.', ''),
                    'public enum %s implements Code {' % n]
        for i, v in enumerate(e['values']):
            L.append(jdoc(v['doc'] or v['name']))
            L.append('    %s(%d, %s)%s' % (v['name'], v['value'],
                                            json.dumps(v['chinese'], ensure_ascii=False) if v['chinese'] else 'null',
                                            ',' if i < len(e['values']) - 1 else ';'))
        L += ['',
              '    private final int code;',
              '    private final String chinese;',
              '',
              '    %s(int code, String chinese) {' % n,
              '        this.code = code;',
              '        this.chinese = chinese;',
              '    }',
              '',
              '    /** The C library\'s value. */',
              '    @Override',
              '    public int code() { return code; }',
              '',
              '    /** The Chinese name (e.g. 事业单位); the member name where the library has none. */',
              '    @Override',
              '    public String chinese() {']
        if e['name_function']:
            L += ['        String s = capi.%s(code);' % e['name_function'],
                  '        if (s != null && !s.isEmpty())',
                  '            return s;']
        L += ['        return chinese != null ? chinese : name();',
              '    }',
              '',
              '    /** The constant for a C value; null if unknown. */',
              '    public static %s of(int code) {' % n,
              '        for (%s x : values())' % n,
              '            if (x.code == code)',
              '                return x;',
              '        return null;',
              '    }',
              '',
              '    /** The constant whose Chinese name (or member name) is name; InvalidArgumentException if none. */',
              '    public static %s fromName(String name) {' % n,
              '        for (%s x : values())' % n,
              '            if (x.chinese().equals(name) || x.name().equals(name))',
              '                return x;',
              '        throw new InvalidArgumentException("%s: no constant named " + name);' % n,
              '    }',
              '}']
        files[n + '.java'] = L
    for t in m['types']:
        n = t['name']
        nested = []
        fields = [(camel(f['name'], False), java_type(m, f), f['doc']) for f in t['fields']]
        reads = [java_read(m, f, 'p') for f in t['fields']]
        for g in t['groups']:
            if len(g['fields']) == 1 and g['fields'][0]['kind'] == 'value':
                item = camel(g['fields'][0]['value'][3:])
                rd = java_read(m, g['fields'][0], 'p', ', i')
            else:
                item = 'Row' if g['name'] == 'rows' else camel(g['plural'][:-1])
                rf = [(camel(f['name'], False), java_type(m, f), f['doc']) for f in g['fields']]
                nested.append(java_value_class(m, item, rf, ('long p, long i', [java_read(m, f, 'p', ', i') for f in g['fields']]),
                                               'One of the %s of a %s.' % (g['plural'], n), static=True))
                rd = 'new %s(p, i)' % item
            fields.append((camel(g['plural'], False), 'java.util.List<%s>' % item, 'The %s.' % g['plural']))
            reads.append('Values.list(capi.%s(p), i -> %s)' % (g['count'], rd))
        if t['keyed']:
            ke = camel(t['keyed'][0]['key_enum'][3:])
            rf = [(camel(f['name'], False), java_type(m, f), f['doc']) for f in t['keyed']]
            nested.append(java_value_class(m, 'Figures', rf, ('long p, int k', [java_read(m, f, 'p', ', k') for f in t['keyed']]),
                                           'The figures for one %s.' % ke, static=True))
            fields.append(('figures', 'java.util.Map<%s, Figures>' % ke, 'The figures per %s.' % ke))
            reads.append('Values.byEnum(%s.class, k -> new Figures(p, k.code()))' % ke)
        extra = ['',
                 '    /** Copy a borrowed C object (0: null). */',
                 '    static %s copy(long p) {' % n,
                 '        return p == 0 ? null : new %s(p);' % n,
                 '    }']
        if t['free']:
            extra += ['',
                      '    /** Copy the C object and free it (0: null). */',
                      '    static %s take(long p) {' % n,
                      '        if (p == 0)',
                      '            return null;',
                      '        try {',
                      '            return new %s(p);' % n,
                      '        } finally {',
                      '            capi.%s(p);' % t['free'],
                      '        }',
                      '    }']
        for g in t['groups']:
            if [f['name'] for f in g['fields']] == ['key', 'value']:
                extra += ['',
                          '    /** The value of %s key, null if not set. */' % g['name'],
                          '    public String %s(String key) {' % g['name'],
                          '        for (%s r : %s)' % (camel(g['plural'][:-1]), camel(g['plural'], False)),
                          '            if (r.getKey().equals(key))',
                          '                return r.getValue();',
                          '        return null;',
                          '    }']
        if t['keyed']:
            extra += ['',
                      '    /** The figures for one %s. */' % ke,
                      '    public Figures get(%s key) { return figures.get(key); }' % ke]
        doc = 'A %s (C: %s), copied out of the ledger: a plain value that outlives it.' % (n, t['c_name'])
        L = head + ['import java.time.LocalDate;', 'import java.time.LocalDateTime;', '']
        L += java_value_class(m, n, fields, ('long p', reads), doc, extra=extra, nested=nested)
        files[n + '.java'] = L
    for tb in m['tables']:
        ke = m['enums'][tb['enum']]['py_name']
        fields = [(tb['key'], ke, 'The %s; null for one this binding does not know (a newer library).' % ke)]
        fields += [(camel(c['name'], False), java_type(m, c), c['doc']) for c in tb['columns']]
        reads = ['%s.of(p)' % ke] + [java_read(m, c, 'p') for c in tb['columns']]
        extra = ['',
                 '    /** Every row of the table, in the library\'s order. */',
                 '    static java.util.List<%s> table() {' % tb['name'],
                 '        return Values.list(capi.%s(), i -> new %s(capi.%s(i)));' % (tb['count'], tb['name'], tb['at']),
                 '    }']
        doc = ('One row of the %s table (C: %s, %s and a function per column): a plain value.'
               % (ke, tb['count'], tb['at']))
        files[tb['name'] + '.java'] = head + java_value_class(m, tb['name'], fields, ('int p', reads), doc, extra=extra)
    return {k: '\n'.join(v) + '\n' for k, v in files.items()}


# --------------------------------------------------------------------------
# parity: every exported function reachable from each binding

def read_c_only(path):
    """bindings/c_only.txt: 'bz_name  reason' per line; # comments."""
    out = {}
    if path and os.path.exists(path):
        with open(path, encoding='utf-8') as f:
            for ln in f:
                ln = ln.split('#', 1)[0].strip()
                if not ln:
                    continue
                parts = ln.split(None, 1)
                if len(parts) < 2:
                    raise SystemExit('%s: %s is listed without a reason' % (path, parts[0]))
                out[parts[0]] = parts[1]
    return out


def referenced(texts, prefix):
    names = set()
    for t in texts:
        names |= set(re.findall(re.escape(prefix).replace(r'\.', r'(?:\.|::)') + r'(bz_\w+)\b', t))
    return names


def generated_python_calls(code):
    """The C functions the generated Python code calls: getters and frees on the C object p
    (``bz_x(p)``, ``bz_x(p, i)``) and the enums' name functions. Names that appear only
    in the doc comments it carries over from the headers do not count."""
    return (set(re.findall(r'\b(bz_\w+)\(p[,)]', code))
            | set(re.findall(r"\"_name_function\", '(bz_\w+)'\)", code)))


def parity(m, python_dir=None, java_dir=None, c_only=None, read=None):
    read = read if read is not None else []
    if c_only:
        read.append(c_only)
    exported = sorted(n for n, f in m['functions'].items() if f['exported'])
    listed = read_c_only(c_only)
    problems = []
    langs = []
    if python_dir:
        texts = [python_code(m)]
        for fn in sorted(os.listdir(python_dir)):
            if fn.endswith('.py'):
                read.append(os.path.join(python_dir, fn))
                with open(os.path.join(python_dir, fn), encoding='utf-8') as f:
                    texts.append(f.read())
        # generated code calls getters by bare name inside capi.py; the layer calls _c.bz_…
        tables = {f for tb in m['tables'] for f in (tb['count'], tb['at'])}   # called as bz_x() and bz_x(i)
        langs.append(('Python', referenced(texts[1:], '_c.') | generated_python_calls(texts[0]) | tables,
                      'bindings/python/bianzhi/__init__.py (a method calling _c.%s)'))
    if java_dir:
        texts = list(java_files(m).values())
        for fn in sorted(os.listdir(java_dir)):
            if fn.endswith('.java'):
                read.append(os.path.join(java_dir, fn))
                with open(os.path.join(java_dir, fn), encoding='utf-8') as f:
                    texts.append(f.read())
        langs.append(('Java', referenced(texts, 'capi.'),
                      'bindings/java/src/bianzhi/Ledger.java or Transaction.java (a method calling capi.%s)'))
    for name in exported:
        if name in listed:
            continue
        for lang, refs, where in langs:
            if name not in refs:
                problems.append('%s (%s) is exported but not reachable from %s: add a wrapper in %s, '
                                'or list it in bindings/c_only.txt with the reason it is C-only'
                                % (name, m['functions'][name]['header'], lang, where % name))
    for name in listed:
        if name not in m['functions']:
            problems.append('bindings/c_only.txt lists %s, which no public header declares' % name)
    return problems


# --------------------------------------------------------------------------

def swig_fragment(m):
    ignored = [n for n, f in m['functions'].items() if not f['exported']]
    lines = ['/* generated by bindings/gen_api.py: do not edit */']
    lines += ['BZ_OPAQUE(%s)' % n for n in m['opaque']]
    lines += ['%%ignore %s;' % n for n in ignored]
    # Java: the constants come from the generated, package-private capiConstants
    lines += ['#ifdef SWIGJAVA']
    lines += ['%%ignore %s;' % v['c_name'] for e in m['all_enums'].values() for v in e['values']]
    lines += ['%%ignore %s;' % e for e in m['all_enums']]
    lines += ['%%ignore %s;' % d['c_name'] for d in m['defines']]
    lines += ['#endif']
    # Python: a value's free keeps the GIL (it frees a copy the caller owns: no lock, no I/O; releasing
    # and taking back the GIL cost more than the free itself: a hire frees two)
    lines += ['#ifdef SWIGPYTHON']
    lines += ['%%nothreadallow %s;' % t['free'] for t in m['types'] if t['free']]
    lines += ['#endif']
    lines += ['%%include "%s"' % h for h in m['headers']]
    lines += ['#ifdef SWIGPYTHON'] + python_helpers_swig(m) + ['%pythoncode %{', python_code(m), '%}', '#endif']
    return '\n'.join(lines) + '\n'


def write(path, text):
    old = None
    if os.path.exists(path):
        with open(path, encoding='utf-8') as f:
            old = f.read()
    if old != text:
        with open(path, 'w', encoding='utf-8') as f:
            f.write(text)


def main(argv):
    if argv and argv[0] not in ('swig', 'java', 'meta', 'parity', 'python'):
        argv = ['swig'] + argv
    cmd, args = argv[0], argv[1:]
    opts = {}
    pos = []
    i = 0
    while i < len(args):
        if args[i].startswith('--'):
            opts[args[i][2:]] = args[i + 1]
            i += 2
        else:
            pos.append(args[i])
            i += 1
    umbrella, mapfile = pos[0], pos[1]
    lib, nm = opts.get('lib'), opts.get('nm')
    if cmd == 'swig' and len(pos) > 5:
        lib, nm = pos[4], pos[5]
    m = model(umbrella, mapfile, lib, nm)
    if cmd == 'swig':
        out, dep = pos[2], pos[3]
        write(out, swig_fragment(m))
        with open(dep, 'w', encoding='utf-8') as f:
            f.write('%s: %s\n' % (out, ' '.join(p.replace(' ', '\\ ') for p in m['paths'])))
    elif cmd == 'python':
        write(pos[2], python_code(m))
    elif cmd == 'java':
        outdir, stamp = pos[2], pos[3]
        os.makedirs(outdir, exist_ok=True)
        files = java_files(m)
        for fn in os.listdir(outdir):
            if fn.endswith('.java') and fn not in files:
                os.remove(os.path.join(outdir, fn))
        for fn, text in files.items():
            write(os.path.join(outdir, fn), text)
        with open(stamp, 'w', encoding='utf-8') as f:
            f.write('\n'.join(sorted(files)) + '\n')
        if 'depfile' in opts:
            with open(opts['depfile'], 'w', encoding='utf-8') as f:
                f.write('%s: %s\n' % (stamp, ' '.join(p.replace(' ', '\\ ') for p in m['paths'])))
    elif cmd == 'meta':
        slim = {k: v for k, v in m.items() if k != 'paths'}
        write(pos[2], json.dumps(slim, ensure_ascii=False, indent=1) + '\n')
    elif cmd == 'parity':
        read = list(m['paths'])
        problems = parity(m, opts.get('python'), opts.get('java'), opts.get('c-only'), read)
        if opts.get('stamp') and not problems:
            with open(opts['stamp'], 'w') as f:
                f.write('ok\n')
            if opts.get('depfile'):
                with open(opts['depfile'], 'w', encoding='utf-8') as f:
                    f.write('%s: %s\n' % (opts['stamp'], ' '.join(p.replace(' ', '\\ ') for p in read)))
        if problems:
            print('binding parity: %d problem(s)' % len(problems), file=sys.stderr)
            for p in problems:
                print('  ' + p, file=sys.stderr)
            return 1
        n = sum(1 for f in m['functions'].values() if f['exported'])
        print('binding parity: all %d exported functions reachable from %s (or listed in c_only.txt)'
              % (n, ' and '.join(x for x, k in (('Python', 'python'), ('Java', 'java')) if k in opts)))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
