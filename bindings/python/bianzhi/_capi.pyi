# Type stub of the SWIG extension module bianzhi._capi (the C calls behind
# bianzhi.capi). Its functions are the C library's, one for one; the typed
# API is the package itself (bianzhi.Ledger, bianzhi.Transaction …), so the
# raw module is typed as Any here: a type checker can follow capi.py's
# `from . import _capi` without knowing the extension.
from typing import Any

def __getattr__(name: str) -> Any: ...
