/*
 * cli.h: what every subcommand of the bianzhi tool shares — the table of
 * commands, exit statuses, error messages that name the file and the
 * cause, argument look-ups (a document, a unit by UUID, credit code or
 * name), one change committed on a document, and a progress line.
 *
 * A subcommand is `int cmd_x(int argc, char **argv)` with argv[0] its own
 * name; it parses its options with getopt_long (cli_getopt handles --help)
 * and returns an exit status. One file per area: cmd_ledger.c (the ledger
 * looked into and changed), cmd_<area>.c for the others; each command is
 * one line of the table in bianzhi.c.
 */
#ifndef BIANZHI_CLI_H
#define BIANZHI_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>

#include <bianzhi.h>

/* Exit statuses, listed by `bianzhi --help`. */
enum {
	CLI_OK = 0,          /* done */
	CLI_ERROR = 1,       /* an error: message on stderr */
	CLI_USAGE = 2,       /* bad command line */
	CLI_REFUSED = 3,     /* the rules refused the change, or `check` found errors */
	CLI_DIFFERENCES = 4, /* `reconcile` found differences */
};

typedef struct cli_command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *synopsis; /* arguments after the command name */
	const char *summary;  /* one line */
	const char *details;  /* options and notes for `bianzhi CMD --help`; NULL if none */
} cli_command;

extern const char *cli_prog;

/* The command named argv[0]. */
const cli_command *cli_find(const char *name);

/*
 * getopt_long over a subcommand's argv with "--help"/"-h" added: returns the
 * option character as getopt_long does, 'h' after printing the command's help
 * on stdout, '?' after a usage message on stderr. The caller stops on 'h'
 * (exit 0) and '?' (exit 2). optstring and longopts need not list help.
 */
int cli_getopt(int argc, char **argv, const char *optstring, const struct option *longopts);
/* Print the command's help on stdout (exit status 0). */
int cli_help(const char *name);
/* "bianzhi: <message>; see `bianzhi CMD --help`" on stderr; returns CLI_USAGE. */
int cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The positional arguments left after options: CLI_USAGE with a message unless min <= n <= max. */
int cli_positional(int argc, char **argv, int min, int max);

/* Whether a ledger argument is a PostgreSQL URI (postgresql:// or postgres://), not a file. */
bool cli_is_uri(const char *ledger);
/*
 * A ledger argument as it may be printed: a URI with its password (the
 * userinfo's ":secret@", a "password=" parameter) shown as "***", the
 * library's own rule; a file name as it is. Borrowed: valid until the fourth
 * call after this one.
 */
const char *cli_shown(const char *ledger);
/* "bianzhi: <what>: <cause> (<ledger's message>)" on stderr (what as cli_shown); returns CLI_ERROR. */
int cli_fail(bz_ledger *l, const char *what, int rc);
/* v, or "-" when NULL or empty */
const char *cli_s(const char *v);
/* NULL or a valid date: 0; else a message and CLI_USAGE */
int cli_date(const char *date);
/* a whole number in [min, max]: 0; else a message and CLI_USAGE */
int cli_number(long long *out, const char *text, long long min, long long max);

/*
 * Open the ledger at path (a file, or a postgresql:// URI naming a server
 * and a schema), read-only or for writing. A missing file is "no such file"
 * (a ledger is never created by a command that reads); 0 or CLI_ERROR with
 * the message printed (a URI without its password).
 */
int cli_open(bz_ledger **l, const char *path, bool write);
/* A document named by its UUID or ISSUER:NUMBER. */
int cli_document(bz_ledger *l, const char *arg, char uuid[BZ_UUID_LEN + 1]);
/*
 * A unit named by its UUID, its unified social credit code, or its name at
 * date (NULL: today) in any jurisdiction; a name several units bore is
 * refused with a message asking for the UUID or credit code. A library
 * status (the message printed by cli_fail is the caller's).
 */
int cli_unit(bz_ledger *l, const char *arg, const char *date, char uuid[BZ_UUID_LEN + 1]);

/* Every violation of a report, then the counts; CLI_REFUSED if it holds an error, else 0. */
int cli_print_report(const bz_report *r);
/* Begin a transaction as $BIANZHI_USER / $BIANZHI_OFFICE (default $USER / "bianzhi"). */
int cli_begin(bz_txn **t, bz_ledger *l);
/* Commit t and say so: 0, CLI_REFUSED (violations printed), or CLI_ERROR. Frees t. */
int cli_commit(bz_ledger *l, bz_txn *t, const char *what);

/*
 * A progress line on stderr ("\r<text>"), only when stderr is a terminal
 * and at least a second has passed since the command started; at most a few
 * times a second. cli_progress_done() ends the line if one was shown.
 */
void cli_progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The command's start (main calls it once). */
void cli_progress_start(void);
void cli_progress_done(void);

/* JSON: s as a JSON string (quoted, escaped) on f; NULL as null. */
#include <stdio.h>
void cli_json_string(FILE *f, const char *s);

#endif
