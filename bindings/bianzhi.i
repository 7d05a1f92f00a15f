/*
 * bianzhi.i: the one SWIG interface from which the Python and Java bindings
 * of libbianzhi are generated (at build time, by bindings/meson.build).
 *
 * The generated module ("capi") is a faithful, low-level image of the public
 * C API, and it is private: the idiomatic layers (the Python package
 * `bianzhi`, the Java package `bianzhi`) are written on top of it. The rules
 * of the image are the same for every type, so a new header needs no edit
 * here (bindings/gen_api.py lists the headers, the opaque types and the
 * functions not yet exported):
 *  - an opaque handle `bz_x *` crosses as an integer (the address; 0 is
 *    NULL): Python int, Java long. The idiomatic layers own these integers,
 *    free each exactly once and never let a user see one;
 *  - an out-parameter `bz_x **` disappears from the Python signature and is
 *    returned after the status: `rc, handle = capi.bz_ledger_open(path, 1)`;
 *    in Java it is a long[1] filled on return;
 *  - `char **` outputs (strings the library allocates) become str / byte[1][]
 *    and are released with bz_free() inside the wrapper;
 *  - `int *` outputs become returned values (Python) / int[1] (Java);
 *  - statuses stay ints here; the idiomatic layers turn negative ones into
 *    exceptions.
 * Python: every call releases the GIL around the C function (threads="1");
 * the typemaps themselves run with the GIL held.
 */
%module(threads="1") capi

%{
#include <stdint.h>
#include <string.h>
#include "bianzhi.h"
%}

%include "stdint.i"
%include "typemaps.i"

#ifdef SWIGJAVA
%include "enumsimple.swg"
%javaconst(1);
/* unsigned literals ("0x1u") are not Java: read these through JNI */
%javaconst(0) BZ_OPEN_CREATE;
%javaconst(0) BZ_OPEN_READONLY;
%pragma(java) jniclasscode=%{
  static { NativeLoader.load(); }
%}
/* the raw image is not public API: package-private classes of package
 * bianzhi, reached only by the idiomatic classes beside them (the constants
 * are bindings/gen_api.py's package-private capiConstants) */
%pragma(java) moduleclassmodifiers="final class"
%pragma(java) jniclassclassmodifiers="final class"
#endif

/* ---- opaque handles and their out-parameters ---------------------------- */
/* (no # directives inside %define: one macro per language) */
#ifdef SWIGPYTHON
%define BZ_OPAQUE(T)
%typemap(in) T *, const T * {
	if ($input == Py_None) {
		$1 = NULL;
	} else {
		$1 = ($1_ltype)PyLong_AsVoidPtr($input);
		if (PyErr_Occurred()) SWIG_fail;
	}
}
%typemap(out) T *, const T * { $result = PyLong_FromVoidPtr((void *)$1); }
%typemap(in, numinputs=0) T ** (T *tmp = NULL) { $1 = &tmp; }
%typemap(argout) T ** { $result = SWIG_Python_AppendOutput($result, PyLong_FromVoidPtr((void *)*$1)); }
%enddef
#endif
#ifdef SWIGJAVA
%define BZ_OPAQUE(T)
%typemap(jni) T *, const T * "jlong"
%typemap(jtype) T *, const T * "long"
%typemap(jstype) T *, const T * "long"
%typemap(javain) T *, const T * "$javainput"
%typemap(javaout) T *, const T * { return $jnicall; }
%typemap(in) T *, const T * %{ $1 = ($1_ltype)(intptr_t)$input; %}
%typemap(out) T *, const T * %{ $result = (jlong)(intptr_t)$1; %}
%typemap(jni) T ** "jlongArray"
%typemap(jtype) T ** "long[]"
%typemap(jstype) T ** "long[]"
%typemap(javain) T ** "$javainput"
%typemap(in) T ** (T *tmp = NULL) %{
	if (!$input || (*jenv)->GetArrayLength(jenv, $input) < 1) {
		SWIG_JavaThrowException(jenv, SWIG_JavaNullPointerException, "out array null or empty");
		return $null;
	}
	$1 = &tmp;
%}
%typemap(argout) T ** %{
	{
		jlong v_ = (jlong)(intptr_t)*$1;
		(*jenv)->SetLongArrayRegion(jenv, $input, 0, 1, &v_);
	}
%}
%enddef
#endif

/* ---- strings the library allocates (free with bz_free) ------------------ */
#ifdef SWIGPYTHON
%typemap(in, numinputs=0) char ** (char *tmp = NULL) { $1 = &tmp; }
%typemap(argout) char ** {
	PyObject *s_;
	if (*$1) {
		s_ = PyUnicode_FromString(*$1);
		bz_free(*$1);
		*$1 = NULL;
		if (!s_) SWIG_fail;
	} else {
		Py_INCREF(Py_None);
		s_ = Py_None;
	}
	$result = SWIG_Python_AppendOutput($result, s_);
}
#endif
#ifdef SWIGJAVA
%typemap(jni) char ** "jobjectArray"
%typemap(jtype) char ** "byte[][]"
%typemap(jstype) char ** "byte[][]"
%typemap(javain) char ** "$javainput"
%typemap(in) char ** (char *tmp = NULL) %{
	if (!$input || (*jenv)->GetArrayLength(jenv, $input) < 1) {
		SWIG_JavaThrowException(jenv, SWIG_JavaNullPointerException, "out array null or empty");
		return $null;
	}
	$1 = &tmp;
%}
%typemap(argout) char ** %{
	if (*$1) {
		jsize n_ = (jsize)strlen(*$1);
		jbyteArray b_ = (*jenv)->NewByteArray(jenv, n_);
		if (b_)
			(*jenv)->SetByteArrayRegion(jenv, b_, 0, n_, (const jbyte *)*$1);
		bz_free(*$1);
		*$1 = NULL;
		if (!b_) return $null;
		(*jenv)->SetObjectArrayElement(jenv, $input, 0, b_);
	}
%}
#endif

#ifdef SWIGPYTHON
/* ---- Python strings in: the str's own UTF-8 ----------------------------------
 * A str's UTF-8 (kept by the str itself: for ASCII, its own characters) is passed
 * as is, instead of SWIG's default of a bytes object made and copied into a
 * malloc'd buffer for every argument (issue 10, Python vs C: the strings of a
 * hire). The text C sees is the same, up to an embedded NUL as before (the
 * layer refuses those). Anything else (None, a str that cannot be UTF-8, a
 * wrong type) takes SWIG's own conversion, with its result and its errors. */
%typemap(in) const char * (char *buf_ = 0, int alloc_ = 0) {
	if (!PyUnicode_Check($input) || !($1 = ($1_ltype)PyUnicode_AsUTF8($input))) {
		int res_;
		PyErr_Clear();     /* a str that is no UTF-8: SWIG's conversion says so, as it always did */
		res_ = SWIG_AsCharPtrAndSize($input, &buf_, NULL, &alloc_);
		if (!SWIG_IsOK(res_))
			SWIG_exception_fail(SWIG_ArgError(res_), "in method '" "$symname" "', argument " "$argnum" " of type '" "$1_type" "'");
		$1 = ($1_ltype)buf_;
	}
}
%typemap(freearg) const char * { if (alloc_$argnum == SWIG_NEWOBJ) free(buf_$argnum); }
#endif

#ifdef SWIGJAVA
/* ---- Java strings as real UTF-8 --------------------------------------------
 * JNI's GetStringUTFChars gives "modified UTF-8", which the library rejects
 * for characters outside the BMP (生僻字 in names). So strings cross as
 * byte[] and the Java side encodes/decodes (NativeLoader.utf8/str). */
%typemap(jni) const char * "jbyteArray"
%typemap(jtype) const char * "byte[]"
%typemap(jstype) const char * "String"
%typemap(javain) const char * "NativeLoader.utf8($javainput)"
%typemap(javaout) const char * { return NativeLoader.str($jnicall); }
%typemap(in) const char * %{
	$1 = NULL;
	if ($input) {
		$1 = (char *)(*jenv)->GetByteArrayElements(jenv, $input, NULL);
		if (!$1) return $null;
	}
%}
%typemap(freearg) const char * %{
	if ($1) (*jenv)->ReleaseByteArrayElements(jenv, $input, (jbyte *)$1, JNI_ABORT);
%}
%typemap(out) const char * %{
	$result = NULL;
	if ($1) {
		jsize n_ = (jsize)strlen($1);
		$result = (*jenv)->NewByteArray(jenv, n_);
		if (!$result) return $null;
		(*jenv)->SetByteArrayRegion(jenv, $result, 0, n_, (const jbyte *)$1);
	}
%}
#endif

/* ---- figures returned through pointers ---------------------------------- */
#ifdef SWIGPYTHON
/* zero-initialised, so that a failed call returns 0, never stack garbage */
%typemap(in, numinputs=0) int * (int tmp = 0) { $1 = &tmp; }
%typemap(argout) int * { $result = SWIG_Python_AppendOutput($result, PyLong_FromLong((long)*$1)); }
%typemap(in, numinputs=0) int64_t * (int64_t tmp = 0) { $1 = &tmp; }
%typemap(argout) int64_t * { $result = SWIG_Python_AppendOutput($result, PyLong_FromLongLong((long long)*$1)); }
#else
%apply int *OUTPUT { int * };
%apply long long *OUTPUT { int64_t * };
#endif

/* ---- arrays of sheet handles (bz_sheets_write, bz_sheets_render) --------- */
/* Python: a sequence of handles (ints); Java: a long[] of them. */
#ifdef SWIGPYTHON
%typemap(in) (const bz_sheet *const *sheets, size_t n) {
	Py_ssize_t len_, i_;
	if (!PySequence_Check($input)) {
		PyErr_SetString(PyExc_TypeError, "expected a sequence of sheet handles");
		SWIG_fail;
	}
	len_ = PySequence_Size($input);
	if (len_ < 0)
		SWIG_fail;
	$1 = ($1_ltype)calloc(len_ ? (size_t)len_ : 1, sizeof(bz_sheet *));
	if (!$1) {
		PyErr_NoMemory();
		SWIG_fail;
	}
	$2 = (size_t)len_;
	for (i_ = 0; i_ < len_; i_++) {
		PyObject *o_ = PySequence_GetItem($input, i_);
		void *p_ = o_ ? PyLong_AsVoidPtr(o_) : NULL;
		Py_XDECREF(o_);
		if (PyErr_Occurred())
			SWIG_fail;
		((void **)$1)[i_] = p_;
	}
}
%typemap(freearg) (const bz_sheet *const *sheets, size_t n) { free((void *)$1); }
/* an input: not the out-parameter that BZ_OPAQUE's bz_sheet ** would make of it */
%typemap(argout) (const bz_sheet *const *sheets, size_t n) ""
#endif
#ifdef SWIGJAVA
%typemap(jni) (const bz_sheet *const *sheets, size_t n) "jlongArray"
%typemap(jtype) (const bz_sheet *const *sheets, size_t n) "long[]"
%typemap(jstype) (const bz_sheet *const *sheets, size_t n) "long[]"
%typemap(javain) (const bz_sheet *const *sheets, size_t n) "$javainput"
%typemap(in) (const bz_sheet *const *sheets, size_t n) %{
	{
		jsize len_, i_;
		jlong *e_;
		if (!$input) {
			SWIG_JavaThrowException(jenv, SWIG_JavaNullPointerException, "sheets array null");
			return $null;
		}
		len_ = (*jenv)->GetArrayLength(jenv, $input);
		$1 = ($1_ltype)calloc(len_ ? (size_t)len_ : 1, sizeof(bz_sheet *));
		e_ = $1 ? (*jenv)->GetLongArrayElements(jenv, $input, NULL) : NULL;
		if (!e_) {
			free((void *)$1);
			SWIG_JavaThrowException(jenv, SWIG_JavaOutOfMemoryError, "out of memory");
			return $null;
		}
		for (i_ = 0; i_ < len_; i_++)
			((void **)$1)[i_] = (void *)(intptr_t)e_[i_];
		(*jenv)->ReleaseLongArrayElements(jenv, $input, e_, JNI_ABORT);
		$2 = (size_t)len_;
	}
%}
%typemap(freearg) (const bz_sheet *const *sheets, size_t n) %{ free((void *)$1); %}
%typemap(argout) (const bz_sheet *const *sheets, size_t n) ""
#endif

/* ---- bytes in and out (archive.h: a file's pieces) ---------------------- */
/* Python: any bytes-like object in; a writable buffer (bytearray, memoryview)
 * to read into, as io.RawIOBase.readinto does. Java: a byte[] each way. */
#ifdef SWIGPYTHON
%typemap(in) (const void *data, size_t len) (Py_buffer view_) {
	if (PyObject_GetBuffer($input, &view_, PyBUF_SIMPLE) != 0)
		SWIG_fail;
	$1 = view_.buf;
	$2 = (size_t)view_.len;
}
%typemap(freearg) (const void *data, size_t len) { if ($1) PyBuffer_Release(&view_$argnum); }
%typemap(in) (void *buf, size_t cap) (Py_buffer view_) {
	if (PyObject_GetBuffer($input, &view_, PyBUF_WRITABLE) != 0)
		SWIG_fail;
	$1 = view_.buf;
	$2 = (size_t)view_.len;
}
%typemap(freearg) (void *buf, size_t cap) { if ($1) PyBuffer_Release(&view_$argnum); }
#endif
#ifdef SWIGJAVA
%typemap(jni) (const void *data, size_t len), (void *buf, size_t cap) "jbyteArray"
%typemap(jtype) (const void *data, size_t len), (void *buf, size_t cap) "byte[]"
%typemap(jstype) (const void *data, size_t len), (void *buf, size_t cap) "byte[]"
%typemap(javain) (const void *data, size_t len), (void *buf, size_t cap) "$javainput"
%typemap(in) (const void *data, size_t len), (void *buf, size_t cap) %{
	if (!$input) {
		SWIG_JavaThrowException(jenv, SWIG_JavaNullPointerException, "byte array null");
		return $null;
	}
	$2 = (size_t)(*jenv)->GetArrayLength(jenv, $input);
	$1 = (*jenv)->GetByteArrayElements(jenv, $input, NULL);
	if (!$1) return $null;
%}
%typemap(freearg) (const void *data, size_t len) %{ (*jenv)->ReleaseByteArrayElements(jenv, $input, (jbyte *)$1, JNI_ABORT); %}
/* the bytes read are copied back into the array */
%typemap(freearg) (void *buf, size_t cap) %{ (*jenv)->ReleaseByteArrayElements(jenv, $input, (jbyte *)$1, 0); %}
#endif

/* ---- what is replaced or left out --------------------------------------- */
%ignore bz_free;          /* the wrappers free what the library allocates */
%ignore bz_ledger_today;  /* (buf, buflen): see bzw_ledger_today below */


#define BZ_EXTERN
%include "bz_api.i"

%inline %{
/* Today's date as the ledger sees it; NULL on error (see bz_ledger_errmsg).
 * The buffer is per thread and valid until the next call. */
const char *bzw_ledger_today(bz_ledger *ledger)
{
	static _Thread_local char buf[BZ_DATE_LEN + 1];
	if (bz_ledger_today(buf, sizeof buf, ledger) != BZ_OK)
		return NULL;
	return buf;
}
%}
