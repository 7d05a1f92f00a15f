"""libbianzhi for Python: the books of China's institutional establishment (机构编制).

A thin layer over the SWIG-generated module ``bianzhi.capi``: you write
Python, not C-through-Python.

    import datetime, bianzhi

    with bianzhi.open("longnan.ledger") as ledger:
        with ledger.transaction("张三", "陇南市编办") as txn:
            doc = txn.register_document("陇南市机构编制委员会", "陇编发〔2012〕31号",
                                        "关于设立武都区教育局的批复", "2012-03-01",
                                        bianzhi.Level.CITY, bianzhi.IssuerKind.ESTABLISHMENT,
                                        "621200")
            txn.set_document(doc)
            unit = txn.establish_unit("武都区教育局", bianzhi.Nature.ORGAN, "621202",
                                      datetime.date(2012, 3, 1))
        # the block committed; a rule refusal raises bianzhi.ConstraintViolation
        # (and nothing was written), any other exception rolls back.

Conventions:
 - every negative status of the C library raises an exception derived from
   :class:`Error` (see the subclasses below);
 - dates go in as :class:`datetime.date` or ISO "YYYY-MM-DD" strings and come
   out as :class:`datetime.date`;
 - identifiers (UUIDs) are ``str``; wherever an entity is expected, the
   entity object or its UUID may be passed;
 - lists are iterators over the C library's iterators: nothing is copied into
   a list behind your back;
 - snapshot objects (Unit, Document, Jurisdiction, Change, Violation) are
   plain Python values: they survive the ledger's close;
 - a Ledger, Transaction or iterator used after its ledger was closed raises
   :class:`Misuse`; C objects are freed exactly once (close()/end of block,
   or when the Python object is collected).
"""

from __future__ import annotations

import datetime as _dt
import enum as _enum
import io as _io
import os as _os
import shutil as _shutil
import tempfile as _tempfile
from typing import (IO, Any, BinaryIO, Callable, Dict, Generic, Iterable, Iterator as _PyIterator, List, Literal,
                    NoReturn, Optional, Protocol, Sequence, Tuple, TypeVar, Union)

from . import capi as _c

__version__ = _c.bz_version()

__all__ = [
    "open", "debug_fail_alloc", "alloc_covers_sqlite", "version", "version_number", "idnum_valid", "normalize_idnum", "date_valid", "nature_name", "rank_name", "funding_name", "credit_code_valid", "parse_document_number",
    "Ledger", "Transaction", "Report", "Violation", "Document", "Jurisdiction",
    "Unit", "Change", "Iterator", "Person", "Slip", "Placement", "Leadership", "Subunit", "Appointment", "Category", "LimitLedger", "LimitLedgerFigures", "BasicTable", "BasicRow",
    "BasicTableRow", "Card", "ChangeAttr", "PersonAttr", "RuleInfo", "rules",
    "Level", "Branch", "IssuerKind", "Nature", "Funding", "Rank", "UnitState", "Severity", "Rule",
    "NormKind", "Sex", "Purpose", "SlipPhase", "SlipState", "EntryKind", "ExitReason", "Post",
    "Unitcert", "UnitcertPhase",
    "Error", "NotFound", "InvalidArgument", "Exists", "ConstraintViolation", "Busy",
    "LedgerIOError", "NoMemory", "Misuse", "NotALedger", "SchemaTooNew", "Corrupt",
]

# --------------------------------------------------------------------------
# the types of arguments (type hints; see py.typed)


class HasUuid(Protocol):
    """Anything with a ``uuid`` (every entity snapshot: Unit, Document, Person, Slip …)."""

    @property
    def uuid(self) -> Optional[str]: ...


#: a date argument: a datetime.date (or datetime) or an ISO "YYYY-MM-DD" string
DateLike = Union[_dt.date, str]
#: an entity argument: the entity (anything with a uuid) or its UUID string
EntityRef = Union[HasUuid, str]
#: a jurisdiction argument: a Jurisdiction or its 6-digit division code
JurisdictionRef = Union["Jurisdiction", str]

_T = TypeVar("_T")


# --------------------------------------------------------------------------
# exceptions


class Error(Exception):
    """Base of every error raised by libbianzhi.

    ``code`` is the C status (BZ_E…), ``cause`` the library's explanation
    (bz_ledger_errmsg, or bz_strerror where there is none) and ``path`` the
    ledger's path (None where no ledger is involved; a PostgreSQL URI without
    its password).
    """

    code = _c.BZ_ERROR

    def __init__(self, message: str, code: Optional[int] = None, path: Optional[str] = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code
        self.message = message
        self.cause = message
        self.path = None if path is None else str(path)

    def __str__(self) -> str:
        return self.message

class InvalidArgument(Error, ValueError):
    """A bad argument: None where a value is required, a malformed date, ID number, code… (BZ_EINVAL)."""
    code = _c.BZ_EINVAL


class NotFound(Error, LookupError):
    """The entity asked for does not exist (BZ_ENOTFOUND)."""
    code = _c.BZ_ENOTFOUND


class Exists(Error):
    """An entity with that unique key already exists, or a name is ambiguous (BZ_EEXISTS)."""
    code = _c.BZ_EEXISTS


class Busy(Error):
    """The ledger file is locked by another connection (BZ_EBUSY)."""
    code = _c.BZ_EBUSY


class LedgerIOError(Error, OSError):
    """The ledger file could not be read or written, or was opened read-only (BZ_EIO).

    An OSError: ``filename`` is the ledger's path, ``errno`` the OS's error
    number where the cause names one (else None), ``strerror`` the cause.
    """
    code = _c.BZ_EIO

    def __init__(self, message: str, code: Optional[int] = None, path: Optional[str] = None) -> None:
        super().__init__(message, code, path)
        self.filename = self.path
        self.strerror = message
        self.errno = _errno_of(message, self.path)  # type: ignore[assignment]  # None where no errno applies, as OSError's own


class ImportRefused(InvalidArgument):
    """An import (Transaction.import_units / import_people) refused rows: nothing of the file was written.

    ``result`` is the :class:`Import`; ``problems`` its refused rows, each an
    :class:`ImportProblem` (line, column, message).
    """

    def __init__(self, message: str, result: "Import", path: Optional[str] = None) -> None:
        super().__init__(message, _c.BZ_EINVAL, path)
        self.result = result
        self.problems = result.problems


class ExchangeRefused(InvalidArgument):
    """An import of an exchange file (Ledger.import_ledger) found conflicts: nothing was written.

    ``result`` is the :class:`Exchange`; ``conflicts`` every conflict, each an
    :class:`ExchangeConflict` (kind, identity, field, ours, theirs, line).
    """

    def __init__(self, message: str, result: "Exchange", path: Optional[str] = None) -> None:
        super().__init__(message, _c.BZ_EINVAL, path)
        self.result = result
        self.conflicts = result.conflicts


class NoMemory(Error, MemoryError):
    """Out of memory (BZ_ENOMEM)."""
    code = _c.BZ_ENOMEM


class Misuse(Error):
    """A call out of sequence: a closed ledger, a finished or second transaction (BZ_EMISUSE)."""
    code = _c.BZ_EMISUSE


class NotALedger(Error):
    """The file is not a libbianzhi ledger (BZ_ENOTLEDGER)."""
    code = _c.BZ_ENOTLEDGER


class SchemaTooNew(Error):
    """The ledger was written by a newer library (BZ_ESCHEMA)."""
    code = _c.BZ_ESCHEMA


class Corrupt(Error):
    """The ledger file is damaged (BZ_ECORRUPT)."""
    code = _c.BZ_ECORRUPT


class ConstraintViolation(Error):
    """The rules refused a commit (BZ_ECONSTRAINT); nothing was written.

    ``violations`` lists every violation found (errors and warnings), each a
    :class:`Violation`; ``errors`` and ``warnings`` split them by severity.
    """
    code = _c.BZ_ECONSTRAINT

    def __init__(self, violations: Iterable[Violation]) -> None:
        self.violations = list(violations)
        self.errors = [v for v in self.violations if v.severity == Severity.ERROR]
        self.warnings = [v for v in self.violations if v.severity == Severity.WARNING]
        super().__init__(_report_text("commit refused", self.violations))


def _is_uri(path: object) -> bool:
    """Whether a ledger's path is a PostgreSQL URI (postgresql:// or postgres://), not a file."""
    return isinstance(path, str) and (path.startswith("postgresql://") or path.startswith("postgres://"))


def _shown(path: Any) -> Any:
    """A ledger's path as it may be shown: a URI's password (":secret@", "password=") as "***" (the library's rule)."""
    if not _is_uri(path):
        return path
    import re as _re
    scheme, rest = path.split("://", 1)
    auth_end = len(rest)
    for ch in "/?#":
        i = rest.find(ch)
        if i >= 0:
            auth_end = min(auth_end, i)
    auth, tail = rest[:auth_end], rest[auth_end:]
    at = auth.rfind("@")
    if at >= 0 and ":" in auth[:at]:
        auth = auth[:auth[:at].index(":")] + ":***" + auth[at:]
    tail = _re.sub(r"(?<=[?&])password=[^&#]*", "password=***", tail)
    return scheme + "://" + auth + tail


def _errno_of(message: Optional[str], path: Optional[str]) -> Optional[int]:
    """The errno whose text the library's message quotes; else one the path itself shows."""
    import errno as _errno
    import os as _os
    for num in sorted(_errno.errorcode):
        text = _os.strerror(num)
        if num != _errno.EIO and text and text.lower() in (message or "").lower():
            return num
    if path and path != ":memory:" and not _is_uri(path):
        folder = _os.path.dirname(_os.path.abspath(path))
        if not _os.path.isdir(folder):
            return _errno.ENOENT
        if not _os.access(folder, _os.W_OK) or (_os.path.exists(path) and not _os.access(path, _os.R_OK)):
            return _errno.EACCES
    if _os.strerror(_errno.EIO).lower() in (message or "").lower():
        return _errno.EIO
    return None


class _BadType(InvalidArgument, TypeError):
    """An argument of the wrong Python type (both InvalidArgument and TypeError)."""


_BY_CODE = {cls.code: cls for cls in (InvalidArgument, NotFound, Exists, Busy, LedgerIOError,
                                      NoMemory, Misuse, NotALedger, SchemaTooNew, Corrupt)}


def _raise(rc: int, ledger: Optional[Ledger] = None, path: Optional[str] = None) -> NoReturn:
    """Raise the exception for status rc, with the ledger's message if it is still open and its path."""
    msg = None
    if ledger is not None:
        path = ledger.path if path is None else path
        if ledger._ptr:
            msg = _c.bz_ledger_errmsg(ledger._ptr)
    if not msg or msg == "not an error":
        msg = _c.bz_strerror(rc)
    raise _BY_CODE.get(rc, Error)(msg, rc, path)


def _check(rc: int, ledger: Optional[Ledger] = None) -> int:
    if rc < 0:
        _raise(rc, ledger)
    return rc


def _call(ledger: Optional[Ledger], fn: Callable[..., Any], *args: Any) -> Any:
    """Call a C function returning (status, out…); raise on error, return the outs
    (None, the one out, or a tuple of them)."""
    res = fn(*args)
    if isinstance(res, list):
        rc = res[0]
        if rc < 0:
            _raise(rc, ledger)
        if len(res) == 2:       # a status and one out: most calls
            return res[1]
        return tuple(res[1:]) if len(res) > 2 else None
    if res < 0:
        _raise(res, ledger)
    return None


# --------------------------------------------------------------------------
# enumerations: generated from the headers (bindings/gen_api.py) into capi;
# each is an IntEnum with .cn/.chinese (also str()) and from_name()

from .capi import (Severity, Rule, Level, IssuerKind, Nature, Funding, Rank, UnitState,  # noqa: E402
                   Branch, NormKind, Sex, Purpose, SlipPhase, EntryKind, ExitReason, Post, UnitcertPhase)

SlipState = SlipPhase  #: the state of a usage slip (C: bz_slip_phase)
# the code enums, whose members _int takes as their int (every value fits 32 bits): the hot
# paths (register_person, enter) check a member passed for an int code inline
_CODE_TYPES = frozenset(e for e in _c._Code.__subclasses__() if all(-2**31 <= m < 2**31 for m in e))
from .capi import ColumnKind, Format, ChartFormat  # noqa: E402  (reports: report.h)


# --------------------------------------------------------------------------
# values crossing the boundary


# date texts bz_date_valid accepted: a bulk load passes the same few dates thousands of times
# (a pure function of the text; bounded, cleared when full)
_DATES_OK: Dict[str, bool] = {}


def _date_in(value: object, name: str = "date", required: bool = True) -> Optional[str]:
    """A date argument as ISO text (None stays None; the C library validates)."""
    if type(value) is str and value in _DATES_OK:
        return value
    if value is None:
        if required:
            raise InvalidArgument("%s: a date is required, got None" % name)
        return None
    if isinstance(value, _dt.datetime):
        value = value.date()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, str):
        # a NUL would end the text in C: "2020-01-01\0junk" must not pass as 2020-01-01
        if _c.bz_date_valid(_text(value, name)) != _c.BZ_OK:
            raise InvalidArgument("%s: %r is not a date YYYY-MM-DD" % (name, value))
        if type(value) is str:
            if len(_DATES_OK) >= 4096:
                _DATES_OK.clear()
            _DATES_OK[value] = True
        return value
    raise InvalidArgument("%s: expected a datetime.date or an ISO string, got %s"
                          % (name, type(value).__name__))


def _date_out(text: Optional[str]) -> Optional[_dt.date]:
    return None if text is None else _dt.date.fromisoformat(text[:10])


def _stamp_out(text: Optional[str]) -> Optional[_dt.datetime]:
    return None if text is None else _dt.datetime.fromisoformat(text)


def _id(value: object, name: str = "uuid") -> Optional[str]:
    """An entity argument: the object's uuid, or the string itself."""
    if type(value) is str and "\0" not in value:      # the common case, as _text checks it
        return value
    if value is None or isinstance(value, str):
        return _text(value, name)
    uuid = getattr(value, "uuid", None)
    if isinstance(uuid, str):
        return uuid
    raise InvalidArgument("%s: expected an entity or its UUID string, got %s"
                          % (name, type(value).__name__))


def _code(value: object) -> Optional[str]:
    """A jurisdiction argument: a Jurisdiction or its division code."""
    if isinstance(value, Jurisdiction):
        return value.code
    return _text(value, "jurisdiction")


def _text(value: object, name: str) -> Optional[str]:
    """A text argument: str or None; an embedded NUL is refused (C would cut the text there)."""
    if type(value) is str and "\0" not in value:      # the common case
        return value
    if value is not None and not isinstance(value, str):
        raise _BadType("%s: expected str, got %s" % (name, type(value).__name__))
    if value is not None and "\0" in value:
        raise InvalidArgument("%s: a text may not contain NUL characters" % name)
    return value


def _file_path(value: object, name: str = "path") -> str:
    """A file name argument: str or os.PathLike (never None)."""
    if value is None:
        raise InvalidArgument("%s: a file name is required, got None" % name)
    if isinstance(value, _os.PathLike):
        value = _os.fspath(value)
    text = _text(value, name)
    assert text is not None
    return text


def _int(value: object, name: str) -> int:
    """An integer argument (a code such as Nature.ORGAN, or a count): an int, never a bool, float or str."""
    if type(value) is int and -2147483648 <= value <= 2147483647:     # the common case
        return value
    if isinstance(value, bool) or not isinstance(value, int):
        raise _BadType("%s: expected an integer, got %s %r" % (name, type(value).__name__, value))
    if not -2**31 <= value < 2**31:
        raise InvalidArgument("%s: %d is out of range" % (name, value))
    return int(value)


def _int64(value: object, name: str) -> int:
    """A 64-bit integer argument (an amount in yuan, a figure): an int, never a bool, float or str."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise _BadType("%s: expected an integer, got %s %r" % (name, type(value).__name__, value))
    if not -2**63 <= value < 2**63:
        raise InvalidArgument("%s: %d is out of range" % (name, value))
    return int(value)


def _bool(value: object, name: str) -> int:
    """A yes/no argument: a bool (or the integers 0 and 1)."""
    if isinstance(value, bool) or (isinstance(value, int) and value in (0, 1)):
        return 1 if value else 0
    raise _BadType("%s: expected a bool, got %s %r" % (name, type(value).__name__, value))


def debug_fail_alloc(nth: int, persistent: bool = False) -> int:
    """Testing hook: make the library's nth allocation from now fail (and every
    later one if persistent), to test how a program copes with NoMemory; nth 0
    disarms it. Process-wide. Returns how many allocations failed since the
    previous call. See bz_debug_fail_alloc in bianzhi/memory.h."""
    if isinstance(nth, bool) or not isinstance(nth, int):
        raise _BadType("nth: expected an integer, got %s %r" % (type(nth).__name__, nth))
    rc = _c.bz_debug_fail_alloc(nth, _bool(persistent, "persistent")) if 0 <= nth <= 10**12 else _c.BZ_EINVAL
    if rc < 0:
        raise InvalidArgument("nth: %d is out of range 0 … 10**12" % nth)
    return int(rc)


def alloc_covers_sqlite() -> bool:
    """Whether SQLite's own allocations go through the library's allocator and
    its testing hook in this process (False if SQLite ran before the first
    ledger was opened, e.g. Python's sqlite3 module was used first)."""
    return _c.bz_alloc_covers_sqlite() == 1


def version() -> str:
    """Run-time version of the C library, "MAJOR.MINOR.PATCH"."""
    return _c.bz_version()


def version_number() -> int:
    """Run-time version as one number 0xMMmmpp."""
    return _c.bz_version_number()


def idnum_valid(id_number: str) -> bool:
    """True if id_number is a valid citizen ID number (GB 11643, 18 characters)."""
    return isinstance(id_number, str) and "\0" not in id_number and _c.bz_idnum_valid(id_number) == _c.BZ_OK


def normalize_idnum(id_number: str) -> str:
    """The canonical 18-character form of an ID number (15-digit ones converted); InvalidArgument if invalid."""
    return _call(None, _c.bz_idnum_normalize, _text(id_number, "id_number"))


def date_valid(text: str) -> bool:
    """True if text is an ISO date "YYYY-MM-DD" of the Gregorian calendar."""
    return isinstance(text, str) and "\0" not in text and _c.bz_date_valid(text) == _c.BZ_OK


def nature_name(nature: Union[Nature, int]) -> str:
    """Chinese name of a Nature (行政机关 …); "" if unknown."""
    return _c.bz_nature_name(_int(nature, "nature"))


def rank_name(rank: Union[Rank, int]) -> str:
    """Chinese name of a Rank (正科 …); "" if unknown."""
    return _c.bz_rank_name(_int(rank, "rank"))


def funding_name(funding: Union[Funding, int]) -> str:
    """Chinese name of a Funding form (全额拨款 …); "" if unknown."""
    return _c.bz_funding_name(_int(funding, "funding"))


def credit_code_valid(code: str) -> bool:
    """True if code is a valid unified social credit code (统一社会信用代码, GB 32100)."""
    return isinstance(code, str) and "\0" not in code and _c.bz_credit_code_valid(code) == _c.BZ_OK


def rules() -> Tuple[RuleInfo, ...]:
    """The rules table of the library, in its order: a tuple of :class:`RuleInfo`.

    Each row (generated from the headers' bz_rule_* functions): rule (the
    Rule), code ("R1" … "R11", "INTEGRITY"), name (the Chinese term and an
    English gloss), seed_clause (the clause of the seed document behind it),
    severity (its usual Severity), exceptable (whether a document may grant
    an exception to it: Transaction.grant_exception).
    """
    return _c.rule_table()


def parse_document_number(number: str) -> Tuple[str, str, int, int]:
    """Parse a document number (文号) into (canonical, abbreviation, year, sequence).

    Raises InvalidArgument if the text is not a document number.
    """
    canonical, abbr, year, seq = _call(None, _c.bz_docnum_parse, _text(number, "number"))
    return canonical, abbr, year, seq


# --------------------------------------------------------------------------
# snapshots: frozen dataclasses generated from the headers' getters
# (bindings/gen_api.py) into capi: plain values copied out of the C object,
# which is freed at once; dataclasses.asdict() works on each

from .capi import (Document, Jurisdiction, Unit, Change, ChangeAttr, Category,  # noqa: E402
                   BasicTable, BasicTableRow, LimitLedger, LimitLedgerFigures, Leadership,
                   Subunit, Appointment, Person, PersonAttr, Slip, Placement, Card, Violation,
                   RuleInfo, Unitcert)
from .capi import Import, ImportProblem  # noqa: E402

__all__ += ["Import", "ImportProblem", "ImportRefused"]

# export and import of whole ledgers (exchange.h)
from .capi import Exchange, ExchangeConflict  # noqa: E402

__all__ += ["Exchange", "ExchangeConflict", "ExchangeRefused"]

# reconciliation with another department's roster (reconcile.h)
from .capi import Diff, Difference  # noqa: E402
__all__ += ["Diff", "Difference"]

# the files behind the documents (archive.h)
from .capi import File, ArchiveCategory  # noqa: E402
__all__ += ["File", "ArchiveCategory", "FileReader", "verify_archive"]

# who may change what (office.h, since 1.2)
from .capi import Office, OfficeType, Power  # noqa: E402
__all__ += ["Office", "OfficeType", "Power"]
# public-institution legal-person registration (registration.h, since 1.2)
from .capi import Registration, AnnualReport, RegField, RegState, CertKind  # noqa: E402
__all__ += ["Registration", "AnnualReport", "RegField", "RegState", "CertKind"]

BasicRow = BasicTableRow  #: one row of Table 1 (the name of earlier releases)
# (Violation.__str__ and BasicTable.row are generated with the classes: bindings/gen_api.py PY_METHODS)


def _report_text(head: str, violations: Sequence[Violation]) -> str:
    """The printout of the C demo: per violation its rule, severity, message and key fields."""
    lines = ["%s: %d violation(s)" % (head, len(violations))]
    for v in violations:
        lines.append("    [%s %s] %s" % (v.rule_id, "error" if v.severity == Severity.ERROR else "warning",
                                         v.message))
        line = "        unit %s, document %s, date %s" % (v.subject_name or "-", v.document_number or "-",
                                                         v.date.isoformat() if v.date else "-")
        if v.allowed is not None:
            line += ", allowed %d, actual %s" % (v.allowed, "-" if v.actual is None else v.actual)
        lines.append(line)
    return "\n".join(lines)


class Report:
    """The violations a transaction's commit (or a ledger check) found.

    A sequence: ``len(report)``, ``report[i]``, iteration; ``errors`` and
    ``warnings`` filter by severity. Read lazily from the C report.
    """

    def __init__(self, ptr: Any, owner: object, owned: bool = False) -> None:
        self._ptr = ptr
        self._owner = owner     # keeps the transaction (or ledger) alive
        self._owned = owned

    def __del__(self) -> None:
        if getattr(self, "_owned", False) and self._ptr:
            _c.bz_report_free(self._ptr)
            self._ptr = 0

    def __len__(self) -> int:
        return _c.bz_report_count(self._ptr)

    def __getitem__(self, i: int) -> Violation:
        n = len(self)
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError("violation index out of range")
        v = Violation._copy(_c.bz_report_get(self._ptr, i))
        if v is None:
            raise IndexError("violation %d is missing from the report" % i)
        return v

    def __iter__(self) -> _PyIterator[Violation]:
        for i in range(len(self)):
            yield self[i]

    @property
    def errors(self) -> List[Violation]:
        """The error-severity violations, as a list."""
        return [v for v in self if v.severity == Severity.ERROR]

    @property
    def warnings(self) -> List[Violation]:
        """The warning-severity violations, as a list."""
        return [v for v in self if v.severity == Severity.WARNING]

    def __str__(self) -> str:
        return _report_text("report", list(self))

    def __repr__(self) -> str:
        return "<bianzhi.Report %d error(s), %d warning(s)>" % (
            _c.bz_report_errors(self._ptr), _c.bz_report_warnings(self._ptr))


# --------------------------------------------------------------------------
# iterators over the C iterator handles


class Iterator(Generic[_T]):
    """A Python iterator over one of the C library's iterators.

    Each ``next()`` fetches one item from the ledger; the C iterator is freed
    when exhausted, on ``close()``, or when the object is collected. Using it
    after its ledger was closed raises Misuse.
    """

    def __init__(self, ledger: Ledger, ptr: Any, next_fn: Callable[[Any], Any], free_fn: Callable[[Any], Any],
                     wrap: Callable[[Any], _T]) -> None:
        self._ledger = ledger
        self._ptr = ptr
        self._next = next_fn
        self._free = free_fn
        self._wrap = wrap

    def __iter__(self) -> Iterator[_T]:
        return self

    def __next__(self) -> _T:
        if not self._ptr:
            raise StopIteration
        rc, item = self._next(self._ptr)
        if rc == _c.BZ_ITEROVER:
            self.close()
            raise StopIteration
        if rc < 0:
            _raise(rc, self._ledger)
        return self._wrap(item)

    def close(self) -> None:
        """Free the C iterator now (idempotent)."""
        if self._ptr:
            self._free(self._ptr)
            self._ptr = 0

    def __del__(self) -> None:
        if getattr(self, "_ptr", 0):
            self.close()

    def __enter__(self) -> Iterator[_T]:
        return self

    def __exit__(self, *exc: object) -> Literal[False]:
        self.close()
        return False


# --------------------------------------------------------------------------
# ledger and transactions


def open(path: Union[str, "_os.PathLike[str]"], create: bool = True, readonly: bool = False,
         clock: Optional[DateLike] = None, sync_normal: bool = False) -> Ledger:
    """Open (by default creating) the ledger at path; ":memory:" for a private one.

    path may also be a PostgreSQL URI, ``postgresql://USER@HOST/DB?schema=NAME``
    (libpq's parameters: ``host=/run/postgresql`` for a socket, ``sslmode``…):
    the ledger in that schema of the server, made there if need be (create).
    A password in the URI is never shown: Ledger.path and every message give
    it as ``***`` (better: ~/.pgpass or $PGPASSWORD). backup and restore are
    for files (a server's: pg_dump). There, create=False refuses a schema that
    is missing (LedgerIOError) or empty (NotALedger); sync_normal is the
    session's synchronous_commit=off; readonly is kept by the library, not the
    session (a server's own guarantee is a role granted SELECT). C's
    bz_ledger_open (ledger.h) says it all.

    readonly=True opens an existing ledger read-only (every commit raises LedgerIOError).
    sync_normal=True commits without waiting for the disk (BZ_OPEN_SYNC_NORMAL):
    faster, but a power loss may lose the last commits (never corrupts the file);
    a legal ledger keeps the default. Not with readonly.
    Returns a :class:`Ledger`, usable as a context manager (closed at block end).
    clock fixes the ledger's "today" (see Ledger.set_clock).
    Raises NotALedger, SchemaTooNew, LedgerIOError, Busy, InvalidArgument.
    """
    if path is None:
        raise InvalidArgument("path: a file name, ':memory:' or a postgresql:// URI is required, got None")
    if readonly:
        flags = _c.BZ_OPEN_READONLY     # a read-only ledger is never created
    else:
        flags = _c.BZ_OPEN_CREATE if create else 0
    if sync_normal:
        flags |= _c.BZ_OPEN_SYNC_NORMAL
    import os as _os
    if isinstance(path, _os.PathLike):
        path = _os.fspath(path)
    rc, ptr = _c.bz_ledger_open(_text(path, "path"), flags)
    if rc < 0:
        # the cause of a failed open: the path, what failed and the OS's reason
        raise _BY_CODE.get(rc, Error)(_c.bz_ledger_errmsg(None), rc, _shown(path))
    ledger = Ledger(ptr, _shown(path))
    if clock is not None:
        ledger.set_clock(clock)
    return ledger


class Ledger:
    """An open ledger (one connection). Create it with :func:`bianzhi.open`.

    ``path`` is what it was opened with (a PostgreSQL URI without its password).

    A context manager: the ledger is closed at the end of the ``with`` block.
    Not to be used from two threads at once.
    """

    def __init__(self, ptr: Any, path: str) -> None:
        self._ptr = ptr
        self.path = path

    # -- lifetime
    def close(self) -> None:
        """Close the ledger (an open transaction is rolled back). Idempotent.

        Transactions and iterators still alive raise Misuse afterwards.
        """
        if self._ptr:
            ptr, self._ptr = self._ptr, 0
            _c.bz_ledger_close(ptr)

    def __del__(self) -> None:
        if getattr(self, "_ptr", 0):
            self.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> Literal[False]:
        self.close()
        return False

    @property
    def closed(self) -> bool:
        """True once close() was called."""
        return not self._ptr

    def _h(self) -> Any:
        if not self._ptr:
            raise Misuse("the ledger is closed", _c.BZ_EMISUSE)
        return self._ptr

    def __repr__(self) -> str:
        return "<bianzhi.Ledger %r%s>" % (self.path, " closed" if self.closed else "")

    # -- properties
    @property
    def schema_version(self) -> int:
        """Schema version stored in the ledger."""
        return _call(self, _c.bz_ledger_schema_version, self._h())

    @property
    def today(self) -> _dt.date:
        """Today's date as the ledger sees it (datetime.date)."""
        text = _c.bzw_ledger_today(self._h())
        if text is None:
            _raise(_c.BZ_ERROR, self)
        return _dt.date.fromisoformat(text[:10])

    def set_clock(self, date: Optional[DateLike]) -> None:
        """Fix the ledger's "today" to date (date or ISO string); None returns to the system clock."""
        _call(self, _c.bz_ledger_set_clock, self._h(), _date_in(date, required=False))

    def set_busy_timeout(self, milliseconds: int) -> None:
        """How long a call waits for another connection's write lock before it raises Busy.

        Milliseconds, 0 to one hour; the default is 5000; 0 means never wait.
        Raises InvalidArgument for a value out of range, TypeError for a non-int.
        """
        _call(self, _c.bz_ledger_set_busy_timeout, self._h(), _int(milliseconds, "milliseconds"))

    # -- transactions
    def begin(self, user: str, office: str) -> Transaction:
        """Begin a transaction as user of office and return it (see :class:`Transaction`).

        Raises Misuse if one is already open on this ledger, Busy if another
        connection holds the write lock.
        """
        ptr = _call(self, _c.bz_txn_begin, self._h(), _text(user, "user"), _text(office, "office"))
        return Transaction(self, ptr)

    def begin_office(self, user: str, office: EntityRef) -> Transaction:
        """Begin a transaction as user acting for a registered office (an Office or its UUID).

        The change records carry the office's name and R15 judges it at
        commit (office.h). NotFound if the ledger has no such office.
        """
        ptr = _call(self, _c.bz_txn_begin_office, self._h(), _text(user, "user"), _id(office, "office"))
        return Transaction(self, ptr)

    # -- offices (office.h)
    def office(self, uuid: EntityRef) -> "Office":
        """The office with that UUID; NotFound if none."""
        return Office._take(_call(self, _c.bz_office_lookup, self._h(), _id(uuid)))

    def find_office(self, name: str) -> "Office":
        """The office with exactly that name; NotFound if none."""
        return Office._take(_call(self, _c.bz_office_find, self._h(), _text(name, "name")))

    def offices(self, jurisdiction: Optional[JurisdictionRef] = None) -> Iterator["Office"]:
        """Iterator over the offices of a jurisdiction (None: all), in order of registration."""
        it = _call(self, _c.bz_office_list, self._h(), _code(jurisdiction))
        return Iterator(self, it, _c.bz_office_iter_next, _c.bz_office_iter_free, Office._take)

    def office_power(self, kind: Union["OfficeType", int], power: Union["Power", int],
                     date: Optional[DateLike] = None) -> bool:
        """Whether offices of kind may make changes of power on date (None: today)."""
        return bool(_call(self, _c.bz_office_power_get, self._h(), _int(kind, "kind"), _int(power, "power"),
                          _date_in(date, required=False)))

    def transaction(self, user: str, office: str, document: Optional[EntityRef] = None) -> Transaction:
        """A transaction as a context manager: commits at block end, rolls back on an exception.

        A refused commit raises :class:`ConstraintViolation`. document, if
        given, is set as the basis of the changes (Transaction.set_document).
        """
        txn = self.begin(user, office)
        if document is not None:
            try:
                txn.set_document(document)
            except BaseException:
                txn.close()
                raise
        return txn

    # -- documents
    def document(self, uuid: EntityRef) -> Document:
        """The document with that UUID; NotFound if none."""
        return Document._take(_call(self, _c.bz_document_lookup, self._h(), _id(uuid)))

    def find_document(self, issuer: str, number: str) -> Document:
        """The document of issuer with that number (any accepted spelling); NotFound if none."""
        return Document._take(_call(self, _c.bz_document_find, self._h(), _text(issuer, "issuer"),
                                    _text(number, "number")))

    # -- jurisdictions
    def jurisdiction(self, code: str) -> Jurisdiction:
        """The jurisdiction with that 6-digit division code; NotFound if none."""
        return Jurisdiction._take(_call(self, _c.bz_jurisdiction_lookup, self._h(), _text(code, "code")))

    def jurisdictions(self, parent: Optional[JurisdictionRef] = None) -> Iterator[Jurisdiction]:
        """Iterator over the jurisdictions directly under parent (None: the top-level ones)."""
        it = _call(self, _c.bz_jurisdiction_children, self._h(), _code(parent))
        return Iterator(self, it, _c.bz_jurisdiction_iter_next, _c.bz_jurisdiction_iter_free, Jurisdiction._take)

    # -- units
    def unit(self, uuid: EntityRef, date: Optional[DateLike] = None) -> Unit:
        """The unit as it stood at date (None: today); NotFound if none or not yet founded."""
        return Unit._take(_call(self, _c.bz_unit_lookup, self._h(), _id(uuid),
                                _date_in(date, required=False)))

    def unit_by_credit_code(self, code: str, date: Optional[DateLike] = None) -> Unit:
        """The unit with that unified social credit code, as of date (None: today)."""
        return Unit._take(_call(self, _c.bz_unit_lookup_credit_code, self._h(),
                                _text(code, "code"), _date_in(date, required=False)))

    def unit_by_name(self, name: str, jurisdiction: Optional[JurisdictionRef] = None,
                         date: Optional[DateLike] = None) -> Unit:
        """The unit that bore name at date (None: today), within a jurisdiction (None: any).

        NotFound if none, Exists if the name is ambiguous.
        """
        return Unit._take(_call(self, _c.bz_unit_lookup_name, self._h(), _code(jurisdiction),
                                _text(name, "name"), _date_in(date, required=False)))

    def units(self, jurisdiction: JurisdictionRef, date: Optional[DateLike] = None) -> Iterator[Unit]:
        """Iterator over the units of a jurisdiction in being at date (None: today), by name."""
        it = _call(self, _c.bz_unit_list, self._h(), _code(jurisdiction),
                   _date_in(date, required=False))
        return Iterator(self, it, _c.bz_unit_iter_next, _c.bz_unit_iter_free, Unit._take)

    # -- establishment
    def category(self, code: str) -> Category:
        """The establishment category with that code; NotFound if none."""
        return Category._take(_call(self, _c.bz_category_lookup, self._h(), _text(code, "code")))

    def categories(self) -> Iterator[Category]:
        """Iterator over the establishment categories, by code."""
        it = _call(self, _c.bz_category_list, self._h())
        return Iterator(self, it, _c.bz_category_iter_next, _c.bz_category_iter_free, Category._take)

    def establishment(self, unit: EntityRef, category: str, date: Optional[DateLike] = None) -> int:
        """The establishment (编制) of a unit in a category at date (None: today); 0 if never set."""
        return _call(self, _c.bz_establishment_get, self._h(), _id(unit, "unit"), _text(category, "category"),
                     _date_in(date, required=False))

    def frozen(self, unit: EntityRef, category: str, date: Optional[DateLike] = None) -> int:
        """Posts of a unit's category frozen (冻结) at date (None: today); 0 if none."""
        return _call(self, _c.bz_establishment_frozen_get, self._h(), _id(unit, "unit"),
                     _text(category, "category"), _date_in(date, required=False))

    def hiring_plan(self, unit: EntityRef, year: int) -> Optional[int]:
        """A unit's hiring plan (用编计划) for a year: the most posts its slips of that year may total; None if it has none."""
        v = _call(self, _c.bz_hiring_plan_get, self._h(), _id(unit, "unit"), _int(year, "year"))
        return None if v == -1 else v

    def limit_ledger(self, jurisdiction: JurisdictionRef, date: Optional[DateLike] = None) -> LimitLedger:
        """The limit ledger (限额台账) of a jurisdiction at date (None: today), a :class:`LimitLedger`."""
        return LimitLedger._take(_call(self, _c.bz_limit_ledger_get, self._h(), _code(jurisdiction),
                                 _date_in(date, required=False)))

    def basic_table(self, unit: EntityRef, date: Optional[DateLike] = None) -> BasicTable:
        """Table 1 (机构编制基本情况) of a unit at date (None: today), a :class:`BasicTable`."""
        return BasicTable._take(_call(self, _c.bz_basic_table_get, self._h(), _id(unit, "unit"),
                                _date_in(date, required=False)))

    def check(self, date: Optional[DateLike] = None) -> Report:
        """Check every rule over the whole ledger at date (None: today), with the GIL released.

        Returns a :class:`Report` of every violation found (nothing is changed).
        """
        rep = _call(self, _c.bz_ledger_check, self._h(), _date_in(date, required=False))
        return Report(rep, self, owned=True)

    # -- tamper evidence (verify.h)
    def head_hash(self) -> Tuple[int, str]:
        """The head of the change records' hash chain: (seq, hex SHA-256) to print and sign off.

        An empty ledger gives (0, 64 zeros). Misuse while a transaction is open.
        """
        h, seq = _call(self, _c.bz_ledger_head_hash, self._h())
        return seq, h

    def verify(self, head: Optional[Tuple[int, str]] = None) -> Report:
        """Walk the hash chain and recompute the derived counters and stored files (nothing is changed).

        Returns a :class:`Report`: empty when intact, else one INTEGRITY error
        per finding; a chain finding has category "CHAIN" and its position
        (seq) as ``actual``. With head, a (seq, hash) that :meth:`head_hash`
        gave earlier, the report is empty only if the ledger is unchanged
        since that head was taken.
        """
        seq, h = (0, None) if head is None else head
        rep = _call(self, _c.bz_ledger_verify, self._h(), _int(seq, "head seq"), _text(h, "head hash"))
        return Report(rep, self, owned=True)

    # -- rules
    def rules(self) -> Tuple[RuleInfo, ...]:
        """The rules table (R1 … R11, INTEGRITY): a tuple of :class:`RuleInfo` (same as bianzhi.rules())."""
        return rules()

    def unit_attr(self, unit: EntityRef, key: str, date: Optional[DateLike] = None) -> Optional[str]:
        """A unit's attribute key in force at date (None: today); None if unset."""
        return _call(self, _c.bz_unit_attr_get, self._h(), _id(unit, "unit"), _text(key, "key"),
                     _date_in(date, required=False))

    def opening_cutover(self, document: EntityRef) -> Optional[_dt.date]:
        """The cut-over date of the opening (建账) that rests on document; NotFound if none."""
        return _date_out(_call(self, _c.bz_opening_cutover, self._h(), _id(document, "document")))

    def rule_param(self, name: str, date: Optional[DateLike] = None) -> Optional[str]:
        """The value (str) of a rule parameter at date (None: today); its default if never set, None if it has neither.

        Names: see Transaction.set_rule_param. InvalidArgument for an unknown name.
        """
        return _call(self, _c.bz_rule_param_get, self._h(), _text(name, "name"), _date_in(date, required=False))

    # -- leadership and sub-units
    def leadership(self, subject: EntityRef, date: Optional[DateLike] = None) -> Leadership:
        """The leadership quota of a unit or sub-unit at date (None: today), a :class:`Leadership`."""
        return Leadership._take(_call(self, _c.bz_leadership_get, self._h(), _id(subject, "subject"),
                                      _date_in(date, required=False)))

    def subunit(self, uuid: EntityRef, date: Optional[DateLike] = None) -> Subunit:
        """The sub-unit as it stood at date (None: today); NotFound if none."""
        return Subunit._take(_call(self, _c.bz_subunit_lookup, self._h(), _id(uuid), _date_in(date, required=False)))

    def subunits(self, unit: EntityRef, date: Optional[DateLike] = None) -> Iterator[Subunit]:
        """Iterator over the sub-units of a unit in being at date (None: today)."""
        it = _call(self, _c.bz_subunit_list, self._h(), _id(unit, "unit"), _date_in(date, required=False))
        return Iterator(self, it, _c.bz_subunit_iter_next, _c.bz_subunit_iter_free, Subunit._take)

    def subunits_approved(self, unit: EntityRef, date: Optional[DateLike] = None) -> int:
        """The number of sub-units approved for a unit at date (None: today)."""
        return _call(self, _c.bz_subunit_approved, self._h(), _id(unit, "unit"), _date_in(date, required=False))

    def appointments(self, subject: EntityRef, date: Optional[DateLike] = None) -> Iterator[Appointment]:
        """Iterator over the appointments of a unit or sub-unit in force at date (None: today)."""
        it = _call(self, _c.bz_appointment_list, self._h(), _id(subject, "subject"), _date_in(date, required=False))
        return Iterator(self, it, _c.bz_appointment_iter_next, _c.bz_appointment_iter_free, Appointment._take)

    # -- staff
    def person(self, uuid: EntityRef) -> Person:
        """The person with that UUID; NotFound if none."""
        return Person._take(_call(self, _c.bz_person_lookup, self._h(), _id(uuid)))

    def person_by_id_number(self, id_number: str) -> Person:
        """The person with that citizen ID number; NotFound if none, InvalidArgument if malformed."""
        return Person._take(_call(self, _c.bz_person_lookup_idnum, self._h(), _text(id_number, "id_number")))

    def person_by_card(self, card_number: str) -> Person:
        """The person with that management card number (管理卡); NotFound if none."""
        return Person._take(_call(self, _c.bz_person_lookup_card, self._h(), _text(card_number, "card_number")))

    def card(self, card_number: str) -> Card:
        """The management card (人员编制管理卡) with that number: the person and every placement, a :class:`Card`."""
        return Card._take(_call(self, _c.bz_card_lookup, self._h(), _text(card_number, "card_number")))

    def slip_by_number(self, number: str) -> Slip:
        """The usage slip with that number; NotFound if none."""
        return Slip._take(_call(self, _c.bz_slip_lookup_number, self._h(), _text(number, "number")))

    def leadership_norm(self, kind: Union[NormKind, int], rank: Union[Rank, int]) -> Tuple[int, int]:
        """The norm (most principals, most deputies) for a NormKind of a Rank, a tuple; NotFound if none."""
        return _call(self, _c.bz_leadership_norm_get, self._h(), _int(kind, "kind"), _int(rank, "rank"))

    def slip(self, uuid: EntityRef) -> Slip:
        """The usage slip with that UUID; NotFound if none."""
        return Slip._take(_call(self, _c.bz_slip_lookup, self._h(), _id(uuid)))

    def slips(self, unit: EntityRef) -> Iterator[Slip]:
        """Iterator over the usage slips of a unit."""
        it = _call(self, _c.bz_slip_list, self._h(), _id(unit, "unit"))
        return Iterator(self, it, _c.bz_slip_iter_next, _c.bz_slip_iter_free, Slip._take)

    # -- the units' 机构编制管理证 (unitcert.h)
    def unitcert(self, uuid: EntityRef, date: Optional[DateLike] = None) -> Unitcert:
        """The 机构编制管理证 with that UUID, its state at date (None: today); NotFound if none."""
        return Unitcert._take(_call(self, _c.bz_unitcert_lookup, self._h(), _id(uuid),
                                    _date_in(date, required=False)))

    def unitcert_by_number(self, number: str, date: Optional[DateLike] = None) -> Unitcert:
        """The 机构编制管理证 with that number, its state at date (None: today); NotFound if none."""
        return Unitcert._take(_call(self, _c.bz_unitcert_lookup_number, self._h(), _text(number, "number"),
                                    _date_in(date, required=False)))

    def unitcert_held(self, unit: EntityRef, date: Optional[DateLike] = None) -> Unitcert:
        """The certificate a unit held at date (None: today), in its state then (valid, expired, void); NotFound if none."""
        return Unitcert._take(_call(self, _c.bz_unitcert_held, self._h(), _id(unit, "unit"),
                                    _date_in(date, required=False)))

    def unitcerts(self, unit: EntityRef, date: Optional[DateLike] = None) -> Iterator[Unitcert]:
        """Iterator over the certificates of a unit by issue date, each in its state at date (None: today)."""
        it = _call(self, _c.bz_unitcert_list, self._h(), _id(unit, "unit"), _date_in(date, required=False))
        return Iterator(self, it, _c.bz_unitcert_iter_next, _c.bz_unitcert_iter_free, Unitcert._take)

    def roster(self, unit: EntityRef, date: Optional[DateLike] = None) -> Iterator[Placement]:
        """Iterator over the placements in post in a unit at date (None: today)."""
        it = _call(self, _c.bz_roster, self._h(), _id(unit, "unit"), _date_in(date, required=False))
        return Iterator(self, it, _c.bz_placement_iter_next, _c.bz_placement_iter_free, Placement._take)

    def person_history(self, person: EntityRef) -> Iterator[Placement]:
        """Iterator over every placement of a person, in order."""
        it = _call(self, _c.bz_person_history, self._h(), _id(person, "person"))
        return Iterator(self, it, _c.bz_placement_iter_next, _c.bz_placement_iter_free, Placement._take)

    # -- change records
    def changes(self, unit: EntityRef) -> Iterator[Change]:
        """Iterator over the change records of a unit (its Table 2), in effective order."""
        it = _call(self, _c.bz_unit_changes, self._h(), _id(unit))
        return Iterator(self, it, _c.bz_change_iter_next, _c.bz_change_iter_free, Change._take)

    def subject_changes(self, subject: EntityRef) -> Iterator[Change]:
        """Iterator over the change records whose subject is the given entity or UUID."""
        it = _call(self, _c.bz_subject_changes, self._h(), _id(subject))
        return Iterator(self, it, _c.bz_change_iter_next, _c.bz_change_iter_free, Change._take)

    # -- reports (seed §13.3): each a Sheet, written as CSV, XLSX or JSON
    def _sheet(self, fn: Callable[..., Any], *args: Any) -> Sheet:
        return Sheet(_call(self, fn, self._h(), *args))

    def sheet_table1(self, jurisdiction: JurisdictionRef, date: Optional[DateLike] = None) -> Sheet:
        """Table 1 (机构编制基本情况表) of a jurisdiction and those under it at date (None: today).

        One row per unit in being × category: names, not codes (行政机关, 正科,
        全额拨款, 行政编制); units by division code, then in the order recorded.
        """
        return self._sheet(_c.bz_sheet_table1, _code(jurisdiction), _date_in(date, required=False))

    def sheet_table2(self, jurisdiction: Optional[JurisdictionRef] = None, unit: Optional[EntityRef] = None,
                     start: Optional[DateLike] = None, end: Optional[DateLike] = None) -> Sheet:
        """Table 2 (机构编制变更记录) of one unit, or of every unit of a jurisdiction, effective in [start, end].

        Give unit or jurisdiction; start/end None leave the range open.
        """
        return self._sheet(_c.bz_sheet_table2, _code(jurisdiction) if jurisdiction is not None else None,
                           _id(unit, "unit"), _date_in(start, "start", required=False),
                           _date_in(end, "end", required=False))

    def sheet_table3(self, jurisdiction: Optional[JurisdictionRef] = None, unit: Optional[EntityRef] = None,
                     date: Optional[DateLike] = None) -> Sheet:
        """Table 3 (实有人员花名册): the people in post at date (None: today) in a unit or a jurisdiction."""
        return self._sheet(_c.bz_sheet_table3, _code(jurisdiction) if jurisdiction is not None else None,
                           _id(unit, "unit"), _date_in(date, required=False))

    def sheet_limits(self, jurisdiction: JurisdictionRef, branch: Union[Branch, int] = Branch.TOTAL,
                     date: Optional[DateLike] = None) -> Sheet:
        """A quota ledger (限额台账) of a jurisdiction up to date: Branch.TOTAL (总账), ADMINISTRATIVE (分账1) or INSTITUTION (分账2).

        One row per change of the limit with its document, then 现状 on date.
        """
        return self._sheet(_c.bz_sheet_limits, _code(jurisdiction), _int(branch, "branch"),
                           _date_in(date, required=False))

    def sheet_unit_ledger(self, unit: EntityRef, date: Optional[DateLike] = None) -> Sheet:
        """The per-unit ledger (单位机构编制台账) of a unit up to date: its changes with the standing after each."""
        return self._sheet(_c.bz_sheet_unit_ledger, _id(unit, "unit"), _date_in(date, required=False))

    def sheet_card(self, card_number: str) -> Sheet:
        """A person's management card (人员编制管理卡) as a sheet: one row per placement."""
        return self._sheet(_c.bz_sheet_card, _text(card_number, "card_number"))

    def sheet_vacancies(self, jurisdiction: JurisdictionRef, date: Optional[DateLike] = None) -> Sheet:
        """The vacancy list (空编) of a jurisdiction at date: every unit × category with vacancies."""
        return self._sheet(_c.bz_sheet_vacancies, _code(jurisdiction), _date_in(date, required=False))

    def sheet_registration(self, jurisdiction: JurisdictionRef, date: Optional[DateLike] = None) -> Sheet:
        """The registration rates (网上登记率, 网上年检率, seed §10) of a jurisdiction and those under it at date."""
        return self._sheet(_c.bz_sheet_registration, _code(jurisdiction), _date_in(date, required=False))

    def sheet_registration_units(self, jurisdiction: JurisdictionRef, date: Optional[DateLike] = None) -> Sheet:
        """The public institutions of a jurisdiction at date with what R12 and R13 find about each."""
        return self._sheet(_c.bz_sheet_registration_units, _code(jurisdiction), _date_in(date, required=False))

    def registration(self, unit: EntityRef, date: Optional[DateLike] = None) -> Registration:
        """The unit's registration (事业单位法人登记) as of date (None: today); NotFound if not registered by then."""
        return Registration._take(_call(self, _c.bz_registration_lookup, self._h(), _id(unit, "unit"),
                                        _date_in(date, required=False)))

    def annual_report(self, unit: EntityRef, year: int) -> AnnualReport:
        """The unit's annual report (年度报告) of year with the ledger's figures at 31 December beside it."""
        return AnnualReport._take(_call(self, _c.bz_annual_report_get, self._h(), _id(unit, "unit"),
                                        _int(year, "year")))

    def write_reports(self, sheets: Sequence[Sheet], path: Union[str, "_os.PathLike[str]"],
                      format: Union[Format, str, int] = Format.XLSX) -> None:
        """Write sheets to path: Format.XLSX (one worksheet each), JSON, or CSV (exactly one sheet).

        format may also be "csv", "xlsx" or "json". The file appears whole or
        not at all. LedgerIOError (with errno and filename) if it cannot be written.
        """
        write_sheets(sheets, path, format)

    def org_chart(self, path: Union[str, "_os.PathLike[str]"], jurisdiction: JurisdictionRef,
                  date: Optional[DateLike] = None, format: Union[ChartFormat, str, int] = ChartFormat.SVG) -> None:
        """Write the organisation chart of a jurisdiction at date (None: today) as ChartFormat.SVG or DOT ("svg", "dot").

        Units under their supervising units, per jurisdiction, with sub-units and
        establishment against staff; a unit over establishment is red.
        """
        p = _file_path(path)
        rc = _c.bz_org_chart_write(self._h(), _code(jurisdiction), _date_in(date, required=False), p,
                                   _format_code(format, ChartFormat, "format"))
        if rc < 0:
            msg = _c.bz_ledger_errmsg(self._h())
            raise _BY_CODE.get(rc, Error)(msg, rc, p)

    # -- the change feed
    def changes_since(self, seq: int = 0) -> Iterator[Change]:
        """The change feed: every change record committed after sequence number seq (0: all), in commit order.

        Records of every subject (units, documents, persons, slips …). Remember
        the ``seq`` of the last Change read and ask again from it: a record is
        never missed nor given twice. Only what was committed when the call was
        made is included; memory stays flat (one record read at a time).
        In a file numbers are 1 … N without a gap; on a PostgreSQL server they
        are unique but neither gapless nor increasing along the feed (commit
        order), and seq must be 0 or a number the feed gave: NotFound otherwise.
        InvalidArgument for seq < 0.
        """
        if isinstance(seq, bool) or not isinstance(seq, int):
            raise _BadType("seq: expected an integer, got %s %r" % (type(seq).__name__, seq))
        if not 0 <= seq < 2**63:
            raise InvalidArgument("seq: a sequence number is 0 or more, got %d" % seq)
        it = _call(self, _c.bz_changes_since, self._h(), seq)
        return Iterator(self, it, _c.bz_change_iter_next, _c.bz_change_iter_free, Change._take)

    def last_seq(self) -> int:
        """The number of the record committed last (0 for an empty ledger): start the feed "from now"."""
        return _call(self, _c.bz_changes_last_seq, self._h())

    # -- reconciliation with another department's roster (seed §11)
    def reconcile(self, roster: Union[str, "_os.PathLike[str]"], jurisdiction: Optional[str] = None,
                  date: Optional[DateLike] = None) -> Iterator[Diff]:
        """Every difference between a roster and Table 3 at date (None: today): the 吃空饷 check.

        roster is the file of the organisation, HR or finance department: CSV
        (UTF-8 with or without BOM, or GB18030), XLSX or XLS, whose header row
        names 身份证号, 姓名, 单位名称 or 统一社会信用代码, and optionally
        编制类别/人员分类 and 发放状态/是否发放. jurisdiction (a division code)
        limits "in post but not on the roster" to its units and those of its
        sub-jurisdictions (None: the whole ledger). Each Diff has its kind
        (Difference), the roster's line and values, the ledger's person,
        unit, category, placement and document. No difference: the roster
        agrees with the ledger.

        LedgerIOError (with the file name) if the roster cannot be read,
        InvalidArgument for a malformed roster (the message names the line)
        or one without the required columns, NotFound for an unknown
        jurisdiction, Misuse while a transaction is open.
        """
        p = _file_path(roster, "roster")
        rc, it = _c.bz_reconcile(self._h(), p, _text(jurisdiction, "jurisdiction"), _date_in(date, required=False))
        if rc < 0:
            _raise(rc, self, p)
        return Iterator(self, it, _c.bz_diff_iter_next, _c.bz_diff_iter_free, Diff._take)

    # -- backup and restore
    def backup(self, path: Union[str, "_os.PathLike[str]"]) -> None:
        """Write a consistent copy of the ledger as committed now to the new file path (others may go on writing).

        Exists if path exists (never overwritten), Misuse if a transaction is
        open on this ledger, LedgerIOError (with errno and filename) if the
        file cannot be written. A failed backup leaves no file.
        """
        p = _file_path(path)
        rc = _c.bz_ledger_backup(self._h(), p)
        if rc < 0:
            _raise(rc, self, p)

    # -- export, import and consolidation (exchange.h, docs/exchange.md)
    @property
    def identity(self) -> str:
        """This ledger's identity: a UUID made when it was created, the origin of the records made here."""
        return _call(self, _c.bz_ledger_identity, self._h())

    def txn_committed(self, uuid: str) -> bool:
        """Whether the transaction with this identity (:attr:`Transaction.uuid`) committed in this ledger.

        After a commit that raised :class:`LedgerIOError` the outcome is not
        known (the records may have reached the disk): open the ledger again
        and ask this before retrying.
        """
        if isinstance(uuid, str) and "\0" in uuid:
            return False                # no transaction's identity holds a NUL
        return bool(_call(self, _c.bz_txn_committed, self._h(), _text(uuid, "uuid")))

    def export(self, path: Union[str, "_os.PathLike[str]"], jurisdiction: Optional[JurisdictionRef] = None) -> Exchange:
        """Export the ledger (or, with jurisdiction, the part of it under that jurisdiction) to the new file path.

        One JSON Lines file (docs/exchange.md): every record with its UUID,
        every change record with its origin. Returns the :class:`Exchange`
        (records written). Exists if path exists (never overwritten), NotFound
        for an unknown jurisdiction, LedgerIOError if the file cannot be
        written, Misuse while a transaction is open. A failed export leaves no file.
        """
        p = _file_path(path)
        rc, x = _c.bz_ledger_export(self._h(), p, _code(jurisdiction))
        if rc < 0:
            _raise(rc, self, p)
        return Exchange._take(x)

    def import_ledger(self, path: Union[str, "_os.PathLike[str]"], check: bool = True,
                      dry_run: bool = False) -> Exchange:
        """Import an exchange file (a county's export, say) into this ledger, all or nothing.

        Records already here are skipped (importing twice changes nothing);
        jurisdictions, documents, persons, cards and slips the ledger has under
        other UUIDs are matched by their natural keys; the counters are
        recomputed and, with check, the full check runs (its counts in the
        result). Raises :class:`ExchangeRefused` (nothing written, every
        conflict listed) on a conflict, InvalidArgument for a malformed or
        truncated file, SchemaTooNew for a newer format, LedgerIOError for an
        unreadable one. dry_run: find what would be added and the conflicts,
        write nothing.
        """
        p = _file_path(path)
        flags = (0 if check else _c.BZ_IMPORT_NO_CHECK) | (_c.BZ_IMPORT_DRY_RUN if dry_run else 0)
        rc, x = _c.bz_ledger_import(self._h(), p, flags)
        result = Exchange._take(x) if x else None
        if rc == _c.BZ_EINVAL and result is not None and result.conflicts:
            raise ExchangeRefused(_c.bz_ledger_errmsg(self._h()), result, p)
        if rc < 0:
            _raise(rc, self, p)
        assert result is not None
        return result

    def restore(self, path: Union[str, "_os.PathLike[str]"]) -> None:
        """Replace the whole contents of this ledger with the backup at path; what was recorded since is gone.

        NotALedger or SchemaTooNew (nothing changed) if path is not a ledger
        this library can open; LedgerIOError if it cannot be read or this
        ledger is read-only; Misuse if a transaction is open. Iterators
        still open on this ledger raise Misuse afterwards.
        """
        p = _file_path(path)
        rc = _c.bz_ledger_restore(self._h(), p)
        if rc < 0:
            _raise(rc, self, p)


    # -- the files behind the documents (archive.h)
    def file(self, uuid: EntityRef) -> File:
        """The attached file with that UUID (a File: name, size, sha256 …); NotFound if none."""
        return File._take(_call(self, _c.bz_file_lookup, self._h(), _id(uuid, "file")))

    def files(self, document: EntityRef) -> List[File]:
        """The files attached to a document, in the order attached; NotFound if no such document."""
        it = _call(self, _c.bz_document_files, self._h(), _id(document, "document"))
        return list(Iterator(self, it, _c.bz_file_iter_next, _c.bz_file_iter_free, File._take))

    def open_file(self, file: EntityRef) -> "FileReader":
        """A binary file object (io.RawIOBase) reading an attached file's bytes in pieces.

        Reading to the end raises Corrupt if the bytes are no longer those
        whose SHA-256 the file's change record wrote. Use it with ``with``.
        """
        f = self.file(file)
        return FileReader(self, _call(self, _c.bz_file_reader_open, self._h(), f.uuid), f)

    def export_file(self, file: EntityRef, path: Union[str, "_os.PathLike[str]"]) -> None:
        """Write an attached file's bytes to the new file path (never over one: Exists); Corrupt if altered."""
        p = _file_path(path)
        rc = _c.bz_file_export(self._h(), _id(file, "file"), p)
        if rc < 0:
            _raise(rc, self, p)

    def verify_files(self) -> Tuple[int, List[str]]:
        """Hash every stored file again: (files checked, one line per file that disagrees with its record)."""
        rc, problems, checked = _c.bz_files_verify(self._h())
        if rc < 0 and rc != _c.BZ_ECORRUPT:
            _raise(rc, self)
        return checked, (problems or "").splitlines()

    def copy_files_from(self, src: "Ledger") -> int:
        """Carry src's stored files into this ledger, which imported src's export; the number attached here.

        After ``dst.import_ledger(path)`` of ``src.export_ledger(path)`` the change
        records that attached files are here but not their bytes: each file
        whose record this ledger holds is streamed from src (never whole in
        memory) under the same file UUID, tied to this ledger's copy of the
        record; no change record is written. All or nothing; a second call
        adds nothing (0). Raises Corrupt if src's bytes of a file no longer give
        its recorded SHA-256, InvalidArgument if src is this ledger.
        """
        if not isinstance(src, Ledger):
            raise TypeError("src must be a Ledger")
        return _call(self, _c.bz_files_copy, self._h(), src._h())

    def archive_categories(self) -> List[ArchiveCategory]:
        """The archive categories (独立档案 of seed §21, meeting records, and the ledger's own), by code."""
        it = _call(self, _c.bz_archive_category_list, self._h())
        return list(Iterator(self, it, _c.bz_archive_category_iter_next, _c.bz_archive_category_iter_free,
                             ArchiveCategory._take))

    def filed(self, document: EntityRef) -> Tuple[Optional[str], int]:
        """Where a document is filed: (category code or None, year — the document's own if never filed)."""
        return _call(self, _c.bz_document_filed, self._h(), _id(document, "document"))

    def export_archive(self, dest: Union[str, "_os.PathLike[str]"], unit: Optional[EntityRef] = None,
                       jurisdiction: Optional[JurisdictionRef] = None, category: Optional[str] = None,
                       year: int = 0) -> int:
        """Export the archive of the documents selected to dest (a folder, or a zip if it ends in .zip).

        unit: the documents its changes rest on; jurisdiction: issued there or
        the basis of one of its units' changes; category: filed under it;
        year: filed (or dated) that year — every selector given must hold;
        none: every document with a file. Each file under a readable name,
        index.csv and index.json beside them. Returns the number of files.
        Exists if dest exists, Corrupt (nothing written) if a file was altered.
        """
        p = _file_path(dest, "dest")
        rc, n = _c.bz_archive_export(self._h(), p, _id(unit, "unit"),
                                     None if jurisdiction is None else _code(jurisdiction),
                                     _text(category, "category"), _int(year, "year"))
        if rc < 0:
            _raise(rc, self, p)
        return n


class Transaction:
    """A transaction on a ledger: every change happens inside one.

    Use it as a context manager (``with ledger.transaction(user, office) as
    txn:``): the block's end commits, an exception rolls back. Or call
    commit()/rollback() yourself. The rules are checked at commit; a refusal
    raises :class:`ConstraintViolation` and nothing is written. A change call
    that fails raises and leaves nothing of itself; the transaction stays usable.
    """

    def __init__(self, ledger: Ledger, ptr: Any) -> None:
        self._ledger = ledger
        self._ptr = ptr
        self._done = False

    def _h(self) -> Any:
        if not self._ptr:
            raise Misuse("the transaction is freed", _c.BZ_EMISUSE)
        if not self._ledger._ptr:
            raise Misuse("the ledger of this transaction is closed", _c.BZ_EMISUSE)
        return self._ptr

    def close(self) -> None:
        """Free the transaction (rolling it back if still open). Idempotent."""
        if self._ptr:
            ptr, self._ptr = self._ptr, 0
            _c.bz_txn_free(ptr)

    def __del__(self) -> None:
        if getattr(self, "_ptr", 0):
            self.close()

    def __enter__(self) -> Transaction:
        return self

    def __exit__(self, exc_type: Optional[type], exc: Optional[BaseException], tb: object) -> Literal[False]:
        if exc_type is not None:
            if not self._done and self._ptr and self._ledger._ptr:
                self.rollback()
            return False
        if not self._done:
            self.commit()
        return False

    @property
    def ledger(self) -> Ledger:
        """The Ledger this transaction belongs to."""
        return self._ledger

    @property
    def uuid(self) -> str:
        """This transaction's identity, a UUID made at begin and in the ledger exactly when it committed.

        Keep it before :meth:`commit`: if the commit raises LedgerIOError,
        :meth:`Ledger.txn_committed` on a reopened ledger says whether it committed.
        """
        return str(_c.bz_txn_uuid(self._h()))

    @property
    def report(self) -> Report:
        """The violations found so far (after commit: all the rules found), a :class:`Report`."""
        return Report(_c.bz_txn_report(self._h()), self)

    @property
    def warnings(self) -> List[Violation]:
        """The warning-severity violations of the report (reachable after a successful commit)."""
        return self.report.warnings

    def commit(self) -> Report:
        """Check every rule and commit; returns the :class:`Report` (warnings only).

        Raises ConstraintViolation (nothing written) if an error-severity rule
        was violated; the transaction is finished either way. The GIL is
        released while the rules run.
        """
        rc = _c.bz_txn_commit(self._h())
        self._done = True
        if rc == _c.BZ_ECONSTRAINT:
            raise ConstraintViolation(self.report)
        _check(rc, self._ledger)
        return self.report

    def rollback(self) -> None:
        """Abandon the transaction: nothing of it is written."""
        self._done = True
        _call(self._ledger, _c.bz_txn_rollback, self._h())

    def set_document(self, document: Optional[EntityRef]) -> None:
        """Rest the following changes on document (a Document or UUID); None clears it."""
        _call(self._ledger, _c.bz_txn_set_document, self._h(), _id(document, "document"))

    def set_opening(self, cutover: DateLike, document: EntityRef) -> None:
        """Make this an opening transaction (建账) at cutover, resting on document.

        Every change it records is an opening entry dated on or before
        cutover (a later one: InvalidArgument); placements need no usage
        slip (the opening document stands for them); every other rule is
        checked at commit. document must be an establishment office's.
        """
        _call(self._ledger, _c.bz_txn_set_opening, self._h(), _date_in(cutover, "cutover"), _id(document, "document"))

    # -- documents and jurisdictions
    def register_document(self, issuer: str, number: str, title: str, date: DateLike, level: Union[Level, int],
                              kind: Union[IssuerKind, int], jurisdiction: Optional[JurisdictionRef] = None) -> Document:
        """Register an approval document and return it (a Document).

        level: Level; kind: IssuerKind; jurisdiction: division code of the
        issuer's jurisdiction (None for central documents). Exists if the
        (issuer, number) pair is taken; InvalidArgument for a bad number.
        """
        ptr = _call(self._ledger, _c.bz_document_register, self._h(), _text(issuer, "issuer"),
                    _text(number, "number"), _text(title, "title"), _date_in(date),
                    _int(level, "level"), _int(kind, "kind"), _code(jurisdiction))
        return Document._take(ptr)

    def create_jurisdiction(self, code: str, name: str, parent: Optional[JurisdictionRef] = None) -> Jurisdiction:
        """Add a jurisdiction (6-digit code, name, parent code or None for a province)."""
        ptr = _call(self._ledger, _c.bz_jurisdiction_create, self._h(), _text(code, "code"),
                    _text(name, "name"), _code(parent))
        return Jurisdiction._take(ptr)

    # -- units
    def _spec(self, name: str, nature: Union[Nature, int], jurisdiction: JurisdictionRef, founded: DateLike,
              funding: Union[Funding, int], rank: Union[Rank, int], canzong: bool, parent: Optional[EntityRef],
              credit_code: Optional[str], duties: Optional[str]) -> Any:
        spec = _call(None, _c.bz_unit_spec_new)
        try:
            for fn, val in ((_c.bz_unit_spec_set_name, _text(name, "name")),
                            (_c.bz_unit_spec_set_nature, _int(nature, "nature")),
                            (_c.bz_unit_spec_set_jurisdiction, _code(jurisdiction)),
                            (_c.bz_unit_spec_set_founded, _date_in(founded, "founded")),
                            (_c.bz_unit_spec_set_funding, _int(funding, "funding")),
                            (_c.bz_unit_spec_set_rank, _int(rank, "rank")),
                            (_c.bz_unit_spec_set_canzong, _bool(canzong, "canzong")),
                            (_c.bz_unit_spec_set_parent, _id(parent, "parent")),
                            (_c.bz_unit_spec_set_credit_code, _text(credit_code, "credit_code")),
                            (_c.bz_unit_spec_set_duties, _text(duties, "duties"))):
                rc = fn(spec, val)
                if rc < 0:
                    raise InvalidArgument("unit spec: bad value %r for %s" % (val, fn.__name__[15:]), rc)
        except BaseException:
            _c.bz_unit_spec_free(spec)
            raise
        return spec

    def establish_unit(self, name: str, nature: Union[Nature, int], jurisdiction: JurisdictionRef,
                       founded: DateLike, funding: Union[Funding, int] = Funding.FULL, rank: Union[Rank, int] = Rank.NONE,
                       canzong: bool = False, parent: Optional[EntityRef] = None, credit_code: Optional[str] = None,
                       duties: Optional[str] = None) -> Unit:
        """Establish (成立) a unit resting on the current document; returns the Unit as founded."""
        h = self._h()
        spec = self._spec(name, nature, jurisdiction, founded, funding, rank, canzong, parent,
                          credit_code, duties)
        try:
            return Unit._take(_call(self._ledger, _c.bz_unit_establish, h, spec))
        finally:
            _c.bz_unit_spec_free(spec)

    def split_unit(self, from_unit: EntityRef, name: str, nature: Union[Nature, int], jurisdiction: JurisdictionRef,
                   founded: DateLike, funding: Union[Funding, int] = Funding.FULL, rank: Union[Rank, int] = Rank.NONE,
                   canzong: bool = False, parent: Optional[EntityRef] = None, credit_code: Optional[str] = None,
                   duties: Optional[str] = None) -> Unit:
        """Split (分设) a new unit off from_unit; returns the new Unit."""
        h = self._h()
        spec = self._spec(name, nature, jurisdiction, founded, funding, rank, canzong, parent,
                          credit_code, duties)
        try:
            return Unit._take(_call(self._ledger, _c.bz_unit_split, h, _id(from_unit, "from_unit"), spec))
        finally:
            _c.bz_unit_spec_free(spec)

    def rename_unit(self, unit: EntityRef, name: str, date: DateLike) -> None:
        """Rename (更名) the unit from date on."""
        _call(self._ledger, _c.bz_unit_rename, self._h(), _id(unit, "unit"), _text(name, "name"), _date_in(date))

    def set_unit_rank(self, unit: EntityRef, rank: Union[Rank, int], date: DateLike) -> None:
        """Change the unit's rank (规格) from date on."""
        _call(self._ledger, _c.bz_unit_set_rank, self._h(), _id(unit, "unit"), _int(rank, "rank"), _date_in(date))

    def set_unit_funding(self, unit: EntityRef, funding: Union[Funding, int], date: DateLike) -> None:
        """Change the unit's funding form from date on."""
        _call(self._ledger, _c.bz_unit_set_funding, self._h(), _id(unit, "unit"), _int(funding, "funding"), _date_in(date))

    def set_unit_parent(self, unit: EntityRef, parent: Optional[EntityRef], date: DateLike) -> None:
        """Change the supervising unit (None: none) from date on."""
        _call(self._ledger, _c.bz_unit_set_parent, self._h(), _id(unit, "unit"), _id(parent, "parent"),
              _date_in(date))

    def set_unit_duties(self, unit: EntityRef, duties: Optional[str], date: DateLike) -> None:
        """Change the main duties (主要职责) from date on."""
        _call(self._ledger, _c.bz_unit_set_duties, self._h(), _id(unit, "unit"), _text(duties, "duties"),
              _date_in(date))

    def set_unit_credit_code(self, unit: EntityRef, code: str, date: DateLike) -> None:
        """Give the unit the unified social credit code (统一社会信用代码) code from date on.

        A malformed code is InvalidArgument; one another unit holds, Exists; a wrong check
        character is refused at commit (R10, ConstraintViolation)."""
        _call(self._ledger, _c.bz_unit_set_credit_code, self._h(), _id(unit, "unit"), _text(code, "code"),
              _date_in(date))

    def merge_unit(self, unit: EntityRef, into: EntityRef, date: DateLike) -> None:
        """Merge (合并) unit into another unit on date."""
        _call(self._ledger, _c.bz_unit_merge, self._h(), _id(unit, "unit"), _id(into, "into"), _date_in(date))

    # -- establishment
    def add_category(self, code: str, name: str, branch: Union[Branch, int], natures: int) -> None:
        """Add an establishment category (code, name, Branch, OR of Nature bits)."""
        _call(self._ledger, _c.bz_category_add, self._h(), _text(code, "code"), _text(name, "name"),
              _int(branch, "branch"), _int(natures, "natures"))

    def set_establishment(self, unit: EntityRef, category: str, posts: int, date: DateLike) -> None:
        """Set the establishment of a unit in a category to posts (absolute) from date on."""
        _call(self._ledger, _c.bz_establishment_set, self._h(), _id(unit, "unit"), _text(category, "category"),
              _int(posts, "posts"), _date_in(date))

    def freeze(self, unit: EntityRef, category: str, posts: int, date: DateLike) -> None:
        """Freeze (冻结) posts of a unit's category from date on: posts is the new number frozen (0 unfreezes all).

        Frozen posts count against the establishment like posts in use (R1 at commit).
        """
        _call(self._ledger, _c.bz_establishment_freeze, self._h(), _id(unit, "unit"), _text(category, "category"),
              _int(posts, "posts"), _date_in(date))

    def set_hiring_plan(self, unit: EntityRef, year: int, posts: int) -> None:
        """Set a unit's hiring plan (用编计划) for a year: the most posts its usage slips of that year may total (R8)."""
        _call(self._ledger, _c.bz_hiring_plan_set, self._h(), _id(unit, "unit"), _int(year, "year"),
              _int(posts, "posts"))

    def transfer_establishment(self, from_unit: EntityRef, to_unit: EntityRef, category: str, posts: int,
                                   date: DateLike) -> None:
        """Transfer (划转) posts of a category from one unit to another on date."""
        _call(self._ledger, _c.bz_establishment_transfer, self._h(), _id(from_unit, "from_unit"),
              _id(to_unit, "to_unit"), _text(category, "category"), _int(posts, "posts"), _date_in(date))

    def set_limit(self, jurisdiction: JurisdictionRef, branch: Union[Branch, int], posts: int, date: DateLike) -> None:
        """Set the quota limit (编制限额) of a jurisdiction for a Branch to posts from date on."""
        _call(self._ledger, _c.bz_limit_set, self._h(), _code(jurisdiction), _int(branch, "branch"), _int(posts, "posts"),
              _date_in(date))

    # -- rules
    # -- bulk import of the offices' sheets (import.h)
    def _import(self, fn: Callable[..., Any], *args: Any) -> Import:
        res = fn(*args)
        rc, p = res[0], res[1]
        result = Import._take(p) if p else None
        if rc == _c.BZ_EINVAL and result is not None and result.problems:
            msg = _c.bz_ledger_errmsg(self._ledger._ptr) if self._ledger._ptr else "rows refused"
            raise ImportRefused(msg, result, self._ledger.path)
        _check(rc, self._ledger)
        assert result is not None
        return result

    def import_units(self, path: Union[str, _os.PathLike], jurisdiction: Optional[JurisdictionRef] = None,
                     as_of: Optional[DateLike] = None) -> Import:
        """Import a unit sheet (CSV in UTF-8 or GB18030, XLSX or XLS; see import.h for the columns).

        Units go into jurisdiction unless a row names its 所属区划; as_of dates the figures of rows
        without 成立时间. Returns the :class:`Import` (counts); raises :class:`ImportRefused` (nothing
        written, every refused row listed) or LedgerIOError for an unreadable file.
        """
        return self._import(_c.bz_import_units, self._h(), _text(_os.fspath(path), "path"),
                            _code(jurisdiction),
                            _date_in(as_of, "as_of", required=False))

    def import_people(self, path: Union[str, _os.PathLike], jurisdiction: Optional[JurisdictionRef] = None) -> Import:
        """Import a person sheet (实名制人员信息表): register, place, appoint; other columns kept as attributes.

        Units are found by name in jurisdiction (None: any). Returns the :class:`Import`; raises
        :class:`ImportRefused` (nothing written) when any row is refused.
        """
        return self._import(_c.bz_import_people, self._h(), _text(_os.fspath(path), "path"),
                            _code(jurisdiction))

    def set_unit_attr(self, unit: EntityRef, key: str, value: Optional[str],
                      date: Optional[DateLike] = None) -> None:
        """Set (or clear, value None) a unit's attribute key from date on (None: today)."""
        _call(self._ledger, _c.bz_unit_set_attr, self._h(), _id(unit, "unit"), _text(key, "key"),
              None if value is None else _text(value, "value"), _date_in(date, required=False))

    def register_office(self, name: str, jurisdiction: JurisdictionRef,
                        kind: Union["OfficeType", int]) -> "Office":
        """Register an office (its exact name, its jurisdiction, an OfficeType); Exists if the name is taken.

        R15 judges at commit whether the acting office may (office.h).
        """
        ptr = _call(self._ledger, _c.bz_office_register, self._h(), _text(name, "name"), _code(jurisdiction),
                    _int(kind, "kind"))
        return Office._take(ptr)

    def set_office_power(self, kind: Union["OfficeType", int], power: Union["Power", int], allowed: bool,
                         date: DateLike) -> None:
        """Whether offices of kind may make changes of power from date on, on the current document.

        The document must be a city establishment office's or higher (R6), the
        acting office an establishment office (R15).
        """
        _call(self._ledger, _c.bz_office_power_set, self._h(), _int(kind, "kind"), _int(power, "power"),
              1 if allowed else 0, _date_in(date))

    def set_rule_param(self, name: str, value: Optional[str], date: DateLike) -> None:
        """Set a rule parameter (text value; None returns it to its default) from date on, on the current document.

        The document must be an establishment office's (R6 at commit). Names
        (see rules.h): "vacancy_reserve.administrative" / ".institution" (R9,
        per mille), "working_age.min" / ".max" (R7), "issuers.<action>",
        "authority.<action>", "leadership_norm.<kind>.<rank>",
        "credit_code_exception.<code>", "exception.R<n>", "central_issuers".
        InvalidArgument for an unknown name or a malformed value.
        """
        _call(self._ledger, _c.bz_rule_param_set, self._h(), _text(name, "name"), _text(value, "value"),
              _date_in(date))

    def grant_exception(self, rule: Union[Rule, int], subject: EntityRef, date: DateLike) -> None:
        """Grant a documented exception (政策性安置 …) to rule for subject (the unit for R1 and R8, the person for R2) on date.

        Rests on the current document, which must be an establishment office's
        (R6 at commit). The violation is then kept as a warning whose
        excepted_by is the document's UUID instead of refusing the commit.
        InvalidArgument for a rule that admits no exception.
        """
        _call(self._ledger, _c.bz_exception_grant, self._h(), _int(rule, "rule"), _id(subject, "subject"),
              _date_in(date))

    # -- leadership and sub-units
    def set_leadership(self, subject: EntityRef, principal: int, deputy: int, level: Union[Rank, int] = Rank.NONE,
                           date: Optional[DateLike] = None) -> None:
        """Set the leadership quota of a unit or sub-unit (principal, deputy posts, Rank level) from date on."""
        _call(self._ledger, _c.bz_leadership_set, self._h(), _id(subject, "subject"), _int(principal, "principal"), _int(deputy, "deputy"),
              _int(level, "level"), _date_in(date))

    def approve_subunits(self, unit: EntityRef, count: int, date: DateLike) -> None:
        """Approve count internal sub-units for a unit from date on."""
        _call(self._ledger, _c.bz_subunit_approve, self._h(), _id(unit, "unit"), _int(count, "count"), _date_in(date))

    def create_subunit(self, unit: EntityRef, name: str, rank: Union[Rank, int], date: DateLike) -> Subunit:
        """Create an internal sub-unit (内设机构) of a unit on date; returns the Subunit."""
        return Subunit._take(_call(self._ledger, _c.bz_subunit_create, self._h(), _id(unit, "unit"),
                                   _text(name, "name"), _int(rank, "rank"), _date_in(date)))

    def rename_subunit(self, subunit: EntityRef, name: str, date: DateLike) -> None:
        """Rename a sub-unit from date on."""
        _call(self._ledger, _c.bz_subunit_rename, self._h(), _id(subunit, "subunit"), _text(name, "name"),
              _date_in(date))

    def set_subunit_rank(self, subunit: EntityRef, rank: Union[Rank, int], date: DateLike) -> None:
        """Change a sub-unit's rank from date on."""
        _call(self._ledger, _c.bz_subunit_set_rank, self._h(), _id(subunit, "subunit"), _int(rank, "rank"), _date_in(date))

    def abolish_subunit(self, subunit: EntityRef, date: DateLike) -> None:
        """Abolish a sub-unit on date."""
        _call(self._ledger, _c.bz_subunit_abolish, self._h(), _id(subunit, "subunit"), _date_in(date))

    def appoint(self, person: EntityRef, subject: EntityRef, post: Union[Post, int], date: DateLike,
                rank: Optional[Union[Rank, int]] = None) -> Appointment:
        """Appoint a person to a post (1 principal, 2 deputy) of a unit or sub-unit from date on.

        rank states the person's own rank (职级, a Rank; None: none stated). A
        rank above the post's level is 高配: an R2 error at commit (category
        "high-rank") unless an R2 exception is granted to the person on that
        date (grant_exception), which keeps it as a warning citing the document.
        """
        if rank is None:
            ptr = _call(self._ledger, _c.bz_appointment_make, self._h(), _id(person, "person"),
                        _id(subject, "subject"), _int(post, "post"), _date_in(date))
        else:
            ptr = _call(self._ledger, _c.bz_appointment_make_ranked, self._h(), _id(person, "person"),
                        _id(subject, "subject"), _int(post, "post"), _int(rank, "rank"), _date_in(date))
        return Appointment._take(ptr)

    def end_appointment(self, appointment: EntityRef, date: DateLike) -> None:
        """Remove the person from the post on date (免职)."""
        _call(self._ledger, _c.bz_appointment_end, self._h(), _id(appointment, "appointment"), _date_in(date))

    # -- staff
    def register_person(self, id_number: str, name: str, sex: Union[Sex, int] = 0,
                            birth: Optional[DateLike] = None) -> Person:
        """Register a person (ID number validated; sex/birth taken from it when 0/None)."""
        # the hot path of a bulk load (issue 10, Python vs C): the common case of each argument is checked
        # inline, anything else goes through the general check (_h, _text, _int, _date_in) in the same order,
        # which refuses it with the same exception and message as always
        ptr = self._ptr if self._ptr and self._ledger._ptr else self._h()
        a_id = id_number if type(id_number) is str and "\0" not in id_number else _text(id_number, "id_number")
        a_name = name if type(name) is str and "\0" not in name else _text(name, "name")
        a_sex = (sex if type(sex) is int and -2147483648 <= sex <= 2147483647
                 else int(sex) if type(sex) in _CODE_TYPES else _int(sex, "sex"))
        a_birth = None if birth is None else _date_in(birth, "birth", required=False)
        res = _c.bz_person_register(ptr, a_id, a_name, a_sex, a_birth)
        if res[0] < 0:
            _raise(res[0], self._ledger)
        return Person._take(res[1])

    def issue_slip(self, unit: EntityRef, category: str, posts: int, purpose: Union[Purpose, int], issued: DateLike,
                       valid_until: DateLike, number: Optional[str] = None) -> Slip:
        """Issue a usage slip (用编通知单) for posts of a category in a unit; returns the Slip."""
        return Slip._take(_call(self._ledger, _c.bz_slip_issue, self._h(), _id(unit, "unit"),
                                _text(category, "category"), _int(posts, "posts"), _int(purpose, "purpose"), _date_in(issued, "issued"),
                                _date_in(valid_until, "valid_until"), _text(number, "number")))

    def register_institution(self, unit: EntityRef, date: DateLike, decision: EntityRef, name: str, address: str,
                             legal_rep: str, scope: str, funds: int, sponsor: EntityRef,
                             funding: Union[Funding, int], credit_code: str) -> None:
        """设立登记 of a public institution on the transaction's document and the decision (a document); R12 at commit."""
        _call(self._ledger, _c.bz_registration_found, self._h(), _id(unit, "unit"), _date_in(date),
              _id(decision, "decision"), _text(name, "name"), _text(address, "address"),
              _text(legal_rep, "legal_rep"), _text(scope, "scope"), _int64(funds, "funds"), _id(sponsor, "sponsor"),
              _int(funding, "funding"), _text(credit_code, "credit_code"))

    def change_registration(self, unit: EntityRef, field: Union[RegField, int], value: str, date: DateLike,
                            decision: EntityRef) -> None:
        """变更登记: one registered field (RegField) becomes value from date on (text, as in C: funds and funding
        in decimal, the sponsor a unit's UUID)."""
        _call(self._ledger, _c.bz_registration_change, self._h(), _id(unit, "unit"), _int(field, "field"),
              _text(value, "value"), _date_in(date), _id(decision, "decision"))

    def deregister_institution(self, unit: EntityRef, date: DateLike, decision: EntityRef, reason: str) -> None:
        """注销登记 of the unit on date for reason; R12 refuses it at commit while the unit is in being."""
        _call(self._ledger, _c.bz_registration_deregister, self._h(), _id(unit, "unit"), _date_in(date),
              _id(decision, "decision"), _text(reason, "reason"))

    def certify_institution(self, unit: EntityRef, kind: Union[CertKind, int], number: str, issued: DateLike) -> None:
        """A 事业单位法人证书 (CertKind: ISSUE, RENEW, REISSUE) numbered number, issued on issued."""
        _call(self._ledger, _c.bz_registration_certify, self._h(), _id(unit, "unit"), _int(kind, "kind"),
              _text(number, "number"), _date_in(issued, "issued"))

    def file_annual_report(self, unit: EntityRef, year: int, filed: DateLike, staff: int, establishment: int,
                           funds: int) -> None:
        """File the annual report (年度报告) of year; R13 at commit compares its figures with the ledger's."""
        _call(self._ledger, _c.bz_registration_report_file, self._h(), _id(unit, "unit"), _int(year, "year"),
              _date_in(filed, "filed"), _int64(staff, "staff"), _int64(establishment, "establishment"),
              _int64(funds, "funds"))

    def cancel_slip(self, slip: EntityRef, date: DateLike) -> None:
        """Cancel a usage slip from date on."""
        _call(self._ledger, _c.bz_slip_cancel, self._h(), _id(slip, "slip"), _date_in(date))

    def issue_unitcert(self, unit: EntityRef, issued: DateLike, number: Optional[str] = None) -> Unitcert:
        """Issue a unit its 机构编制管理证 (number None: made up), valid for the years the rules say; returns it."""
        return Unitcert._take(_call(self._ledger, _c.bz_unitcert_issue, self._h(), _id(unit, "unit"),
                                    _date_in(issued, "issued"), _text(number, "number")))

    def renew_unitcert(self, cert: EntityRef, issued: DateLike, number: Optional[str] = None) -> Unitcert:
        """Renew (换发) a 机构编制管理证: the new one from issued on, the old one ending that day; returns the new one."""
        return Unitcert._take(_call(self._ledger, _c.bz_unitcert_renew, self._h(), _id(cert, "cert"),
                                    _date_in(issued, "issued"), _text(number, "number")))

    def void_unitcert(self, cert: EntityRef, date: DateLike) -> None:
        """Void (作废) a 机构编制管理证 from date on."""
        _call(self._ledger, _c.bz_unitcert_void, self._h(), _id(cert, "cert"), _date_in(date))

    def enter(self, person: EntityRef, unit: EntityRef, category: str, slip: Optional[EntityRef],
                  entry_kind: Union[EntryKind, int], date: DateLike) -> Placement:
        """Place a person into a unit's category on date against a usage slip (None: R8 at commit)."""
        # the hot path of a bulk load: checked inline as register_person does (the general checks,
        # _h, _id, _text, _int, _date_in, in the same order for anything but the common case)
        ptr = self._ptr if self._ptr and self._ledger._ptr else self._h()
        a_person = person if type(person) is str and "\0" not in person else _id(person, "person")
        a_unit = unit if type(unit) is str and "\0" not in unit else _id(unit, "unit")
        a_category = category if type(category) is str and "\0" not in category else _text(category, "category")
        a_slip = slip if type(slip) is str and "\0" not in slip else _id(slip, "slip")
        a_kind = (entry_kind if type(entry_kind) is int and -2147483648 <= entry_kind <= 2147483647
                  else int(entry_kind) if type(entry_kind) in _CODE_TYPES else _int(entry_kind, "entry_kind"))
        a_date = date if type(date) is str and date in _DATES_OK else _date_in(date)
        res = _c.bz_placement_enter(ptr, a_person, a_unit, a_category, a_slip, a_kind, a_date)
        if res[0] < 0:
            _raise(res[0], self._ledger)
        return Placement._take(res[1])

    def exit(self, person: EntityRef, reason: Union[ExitReason, int], date: DateLike) -> None:
        """The person leaves their post on date (reason: 1 退休, 2 调出, 3 辞职, 4 辞退, 5 死亡, 9 其他)."""
        _call(self._ledger, _c.bz_placement_exit, self._h(), _id(person, "person"), _int(reason, "reason"), _date_in(date))

    def place_person(self, name: str, id_number: str, unit: EntityRef, category: str, date: DateLike,
                         slip: Optional[EntityRef] = None, entry_kind: Union[EntryKind, int] = 2) -> Placement:
        """Register (or find) a person and place them, against slip or else a live slip of the unit.

        The convenience a roster import needs; raises like register_person/enter.
        """
        try:
            person = self._ledger.person_by_id_number(id_number)
        except NotFound:
            person = self.register_person(id_number, name)
        if slip is None:
            for s in self._ledger.slips(unit):
                if s.category == category and s.state == 1 and s.remaining > 0:
                    slip = s
                    break
        return self.enter(person, unit, category, slip, entry_kind, date)

    def transfer_person(self, person: EntityRef, to_unit: EntityRef, category: str, slip: Optional[EntityRef],
                            date: DateLike) -> Placement:
        """Transfer (调动) the person: leave the open placement on date and enter to_unit's category
        against a slip of the destination, as one change; the card goes with them. Returns the new Placement."""
        return Placement._take(_call(self._ledger, _c.bz_placement_transfer, self._h(), _id(person, "person"),
                                     _id(to_unit, "to_unit"), _text(category, "category"), _id(slip, "slip"),
                                     _date_in(date)))

    def set_person_attr(self, person: EntityRef, key: str, value: Optional[str], date: Optional[DateLike] = None) -> None:
        """Set (value a str) or clear (value None) the attribute key (民族, 学历 …) of a person from date (None: today) on."""
        _call(self._ledger, _c.bz_person_set_attr, self._h(), _id(person, "person"), _text(key, "key"),
              _text(value, "value"), _date_in(date, required=False))

    def add_credit_code_exception(self, code: str, note: Optional[str] = None) -> None:
        """List a credit code as a legal exception (an early pilot code failing its check characters)."""
        _call(self._ledger, _c.bz_credit_code_exception_add, self._h(), _text(code, "code"), _text(note, "note"))

    def set_leadership_norm(self, kind: Union[NormKind, int], min_rank: Union[Rank, int], max_rank: Union[Rank, int],
                                principal: int, deputy: int) -> None:
        """Set the norm for a NormKind and every Rank from min_rank to max_rank: the most principals and deputies."""
        _call(self._ledger, _c.bz_leadership_norm_set, self._h(), _int(kind, "kind"), _int(min_rank, "min_rank"),
              _int(max_rank, "max_rank"), _int(principal, "principal"), _int(deputy, "deputy"))

    def abolish_unit(self, unit: EntityRef, date: DateLike) -> None:
        """Abolish (撤销) the unit on date."""
        _call(self._ledger, _c.bz_unit_abolish, self._h(), _id(unit, "unit"), _date_in(date))

    # -- the files behind the documents (archive.h)
    def attach(self, document: EntityRef, source: Union[str, "_os.PathLike[str]", BinaryIO],
               name: Optional[str] = None) -> File:
        """Attach a file to a registered document and return it (a File).

        source: a path, or a binary file object (read in pieces; one that
        cannot seek is spooled to a temporary file first, its size being
        needed up front). name: the name kept (a path's own name if None;
        required for a file object without a name). Identical bytes are
        stored once. LedgerIOError for a path that cannot be read, NotFound
        for no such document, Exists for a name the document has already.
        """
        doc = _id(document, "document")
        if isinstance(source, (str, _os.PathLike)):
            p = _file_path(source, "source")
            ptr = _call(self._ledger, _c.bz_file_attach, self._h(), doc, p, _text(name, "name"))
            return File._take(ptr)
        if not hasattr(source, "read"):
            raise _BadType("source: expected a path or a binary file object, got %s" % type(source).__name__)
        if name is None:
            fname = getattr(source, "name", None)
            if not isinstance(fname, str):
                raise InvalidArgument("name: required for a file object without a name")
            name = _os.path.basename(fname)
        spool: Optional[IO[bytes]] = None
        stream: IO[bytes] = source
        try:
            seekable = getattr(stream, "seekable", lambda: False)()
            if seekable:
                start = stream.tell()
                size = stream.seek(0, _io.SEEK_END) - start
                stream.seek(start)
            else:
                spool = _tempfile.TemporaryFile()
                _shutil.copyfileobj(stream, spool, _PIECE)
                size = spool.tell()
                spool.seek(0)
                stream = spool
            w = _call(self._ledger, _c.bz_file_writer_open, self._h(), doc, _text(name, "name"), size)
            try:
                while True:
                    piece = stream.read(_PIECE)
                    if not piece:
                        break
                    _check(_c.bz_file_writer_write(w, piece), self._ledger)
                return File._take(_call(self._ledger, _c.bz_file_writer_finish, w))
            finally:
                _c.bz_file_writer_free(w)
        finally:
            if spool is not None:
                spool.close()

    def add_archive_category(self, code: str, name: str) -> None:
        """Add an archive category (code A-Z, 0-9, _; a name) to the ledger's code table."""
        _call(self._ledger, _c.bz_archive_category_add, self._h(), _text(code, "code"), _text(name, "name"))

    def file_under(self, document: EntityRef, category: str, year: int = 0) -> None:
        """File a document in the archive: its category code and year (0: the document's own)."""
        _call(self._ledger, _c.bz_document_file_under, self._h(), _id(document, "document"),
              _text(category, "category"), _int(year, "year"))


# --------------------------------------------------------------------------
# the files behind the documents (archive.h): reading in pieces, archives verified

_PIECE = 1024 * 1024  #: bytes moved per call when a file goes in or out (each call reopens the blob)


class FileReader(_io.RawIOBase):
    """An attached file's bytes as a read-only binary file object (Ledger.open_file).

    Reads go to the ledger in pieces; nothing holds the whole file. Reading
    to the end raises Corrupt if the bytes no longer give the SHA-256 of
    the file's change record.
    """

    def __init__(self, ledger: Ledger, ptr: Any, file: File) -> None:
        super().__init__()
        self._ledger = ledger
        self._ptr = ptr
        self.file = file  #: the File read

    @property
    def name(self) -> Optional[str]:
        return self.file.name

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if not self._ptr:
            raise ValueError("I/O operation on closed file")
        rc, got = _c.bz_file_reader_read(self._ptr, buffer)
        if rc < 0:
            _raise(rc, self._ledger)
        return int(got)

    def close(self) -> None:
        if getattr(self, "_ptr", 0):
            _c.bz_file_reader_free(self._ptr)
            self._ptr = 0
        super().close()

    def __del__(self) -> None:
        self.close()


def verify_archive(path: Union[str, "_os.PathLike[str]"]) -> Tuple[int, List[str]]:
    """Verify an exported archive (folder or zip) against its index.csv, without the ledger.

    Returns (files checked, problems): an empty list when every file is
    there with its size and SHA-256 and nothing else is. InvalidArgument if
    path is not an archive, LedgerIOError if it cannot be read.
    """
    p = _file_path(path)
    rc, problems, checked = _c.bz_archive_verify(p)
    lines = (problems or "").splitlines()
    if rc < 0 and rc != _c.BZ_ECORRUPT:
        raise _BY_CODE.get(rc, Error)("; ".join(lines) or _c.bz_strerror(rc), rc, p)
    return checked, lines


# --------------------------------------------------------------------------
# reports (report.h): sheets and their writers

__all__ += ["Sheet", "ColumnKind", "Format", "ChartFormat", "write_sheets"]

#: a cell of a Sheet: text, an int (integer columns), a date (date columns) or None (empty)
Cell = Union[str, int, _dt.date, None]


def _format_code(value: object, enum: Any, name: str) -> int:
    """A format argument: the enum member, its int, or its name ("csv", "xlsx", "svg" …)."""
    if isinstance(value, str):
        try:
            return int(enum[value.upper()])
        except KeyError:
            raise InvalidArgument("%s: unknown format %r (expected one of %s)"
                                  % (name, value, ", ".join(m.name.lower() for m in enum))) from None
    return _int(value, name)


class Sheet:
    """One table of a report (C: bz_sheet): a title, Chinese column headers, typed rows.

    Made by Ledger.sheet_table1() … sheet_vacancies(); a snapshot that
    survives the ledger. ``rows`` is a list of tuples: int for integer
    columns, datetime.date for date columns, str, None for an empty cell.
    Iterating a Sheet gives its rows; ``len(sheet)`` their number. The C
    sheet is freed by close() (or a with block) or when collected.
    """

    def __init__(self, ptr: Any) -> None:
        self._ptr = ptr

    def __del__(self) -> None:
        if getattr(self, "_ptr", 0):
            self.close()

    def close(self) -> None:
        """Free the C sheet now (idempotent); the sheet cannot be read afterwards."""
        if self._ptr:
            ptr, self._ptr = self._ptr, 0
            _c.bz_sheet_free(ptr)

    def __enter__(self) -> Sheet:
        return self

    def __exit__(self, *exc: object) -> Literal[False]:
        self.close()
        return False

    def _h(self) -> Any:
        if not self._ptr:
            raise Misuse("the sheet is closed", _c.BZ_EMISUSE)
        return self._ptr

    @property
    def title(self) -> str:
        """The title, as the form names it, e.g. "机构编制基本情况表 (表1)"."""
        return _c.bz_sheet_title(self._h())

    @property
    def headers(self) -> Tuple[str, ...]:
        """The column headers (Chinese, as the forms head them)."""
        h = self._h()
        return tuple(_c.bz_sheet_header(h, c) for c in range(_c.bz_sheet_columns(h)))

    @property
    def kinds(self) -> Tuple[ColumnKind, ...]:
        """What each column holds: ColumnKind.TEXT, INTEGER or DATE."""
        h = self._h()
        return tuple(ColumnKind(_c.bz_sheet_column_kind(h, c)) for c in range(_c.bz_sheet_columns(h)))

    def __len__(self) -> int:
        return _c.bz_sheet_rows(self._h())

    def cell(self, row: int, col: int) -> Optional[str]:
        """The text of a cell as the C library holds it (None if empty)."""
        return _c.bz_sheet_cell(self._h(), _int(row, "row"), _int(col, "col"))

    @property
    def rows(self) -> List[Tuple[Cell, ...]]:
        """Every row as a tuple of typed cells (int, datetime.date, str or None)."""
        h = self._h()
        ncols = _c.bz_sheet_columns(h)
        kinds = [_c.bz_sheet_column_kind(h, c) for c in range(ncols)]
        out: List[Tuple[Cell, ...]] = []
        for r in range(_c.bz_sheet_rows(h)):
            row: List[Cell] = []
            for c in range(ncols):
                v = _c.bz_sheet_cell(h, r, c)
                if v is not None and kinds[c] == ColumnKind.INTEGER:
                    row.append(int(v))
                elif v is not None and kinds[c] == ColumnKind.DATE:
                    row.append(_dt.date.fromisoformat(v))
                else:
                    row.append(v)
            out.append(tuple(row))
        return out

    def __iter__(self) -> _PyIterator[Tuple[Cell, ...]]:
        return iter(self.rows)

    def write(self, path: Union[str, "_os.PathLike[str]"], format: Union[Format, str, int] = Format.CSV) -> None:
        """Write this sheet to path as Format.CSV (UTF-8 with BOM, CRLF), XLSX or JSON ("csv", "xlsx", "json")."""
        write_sheets([self], path, format)

    def text(self, format: Union[Format, str, int] = Format.CSV) -> str:
        """This sheet as CSV (with its BOM) or JSON text, exactly as write() would write the file."""
        rc, out = _c.bz_sheets_render([self._h()], _format_code(format, Format, "format"))
        if rc < 0:
            raise _BY_CODE.get(rc, Error)(_c.bz_sheets_errmsg(), rc, None)
        return out

    def __repr__(self) -> str:
        if not self._ptr:
            return "<bianzhi.Sheet closed>"
        return "<bianzhi.Sheet %r: %d column(s), %d row(s)>" % (self.title, len(self.headers), len(self))


def write_sheets(sheets: Sequence[Sheet], path: Union[str, "_os.PathLike[str]"],
                 format: Union[Format, str, int] = Format.XLSX) -> None:
    """Write sheets to path as Format.XLSX (one worksheet each), JSON, or CSV (one sheet only).

    The file is written under a temporary name and renamed: a failure leaves
    nothing. InvalidArgument (several sheets to CSV, an unknown format),
    LedgerIOError with errno and filename (cannot write).
    """
    handles = []
    for i, s in enumerate(sheets):
        if not isinstance(s, Sheet):
            raise _BadType("sheets[%d]: expected a Sheet, got %s" % (i, type(s).__name__))
        handles.append(s._h())
    p = _file_path(path)
    rc = _c.bz_sheets_write(handles, p, _format_code(format, Format, "format"))
    if rc < 0:
        raise _BY_CODE.get(rc, Error)(_c.bz_sheets_errmsg(), rc, p)
