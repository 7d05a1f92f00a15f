/*
 * bianzhi: the command-line face of libbianzhi, through the public API only.
 *
 *   bianzhi --help | --version
 *   bianzhi COMMAND --help
 *   bianzhi COMMAND [OPTIONS] ARGS...
 *
 * The commands are the table below; each lives in the cmd_<area>.c of its
 * area and parses its own options (cli.h). Changes are one transaction each
 * on a document (its UUID, or ISSUER:NUMBER), recorded as $BIANZHI_USER /
 * $BIANZHI_OFFICE (default $USER / "bianzhi"), committed only if every rule
 * holds. A unit may be named by its UUID, credit code or name.
 *
 * Exit status: 0 done; 1 an error (message on stderr); 2 usage; 3 the
 * rules refused a change (its violations printed), `check` found
 * error-severity violations or `verify` found tampering; 4 `reconcile`
 * found differences, or `committed` found the transaction not committed.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

int cmd_create(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_units(int argc, char **argv);
int cmd_changes(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_param(int argc, char **argv);
int cmd_frozen(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_set_param(int argc, char **argv);
int cmd_set_credit_code(int argc, char **argv);
int cmd_grant(int argc, char **argv);
int cmd_freeze(int argc, char **argv);
int cmd_set_plan(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_restore(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_reconcile(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_import_ledger(int argc, char **argv);
int cmd_copy(int argc, char **argv);
int cmd_attach(int argc, char **argv);
int cmd_files(int argc, char **argv);
int cmd_archive(int argc, char **argv);
int cmd_committed(int argc, char **argv);
int cmd_head(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_office(int argc, char **argv);
int cmd_registration(int argc, char **argv);
int cmd_unitcert(int argc, char **argv);

static const cli_command commands[] = {
	/* a new ledger, the ledger looked into (cmd_ledger.c) */
	{"create", cmd_create, "LEDGER", "Make a new, empty ledger: a file, or a schema on a PostgreSQL server.",
	 "LEDGER is a file that must not exist, or a postgresql:// URI whose schema holds no\n"
	 "ledger yet (the schema is made if need be): postgresql://USER@HOST/DB?schema=NAME.\n"
	 "A ledger that is there already is never touched (exit 1).\n"},
	{"info", cmd_info, "LEDGER", "Schema version, today's date and counts of the ledger.", NULL},
	{"units", cmd_units, "LEDGER [JURISDICTION] [DATE]",
	 "The units in being at DATE (default today), per jurisdiction (a division code).", NULL},
	{"changes", cmd_changes, "LEDGER UNIT | LEDGER --since N  [--format text|json]",
	 "A unit's change records (Table 2, 机构编制变更记录), or the change feed: every record after #N.",
	 "UNIT is the unit's UUID, credit code or name.\n"
	 "  --since N        every change record committed after sequence number N (0: all),\n"
	 "                   of any subject, in commit order; the text ends with the N to\n"
	 "                   give next time, so a consumer never misses nor repeats a record.\n"
	 "                   In a file the numbers are 1, 2, ... without a gap; on a\n"
	 "                   PostgreSQL server they are unique but neither gapless nor\n"
	 "                   increasing along the feed, and N must be 0 or a number the\n"
	 "                   feed gave (another is refused)\n"
	 "  --format FORMAT  text (default) or json: one JSON object per line (JSON Lines)\n"
	 "                   with seq, kind, subject, unit, effective, document,\n"
	 "                   document_number, recorded_at, recorded_by, office, note and\n"
	 "                   attrs [{name, before, after}], and nothing else\n"},
	{"check", cmd_check, "LEDGER [DATE]",
	 "The self-inspection: every rule over the whole ledger as of DATE (default today).", NULL},
	/* the reports of seed §13 and the organisation chart (cmd_report.c) */
	{"report", cmd_report,
	 "LEDGER table1|table2|table3|limits|unit|card|vacancies|registration|registration-units|chart [OPTIONS]",
	 "A report as CSV, XLSX or JSON (Tables 1-3, quota ledgers, unit ledger, card, vacancies), or the org chart.",
	 "  table1     机构编制基本情况表: per unit and category, at --date\n"
	 "  table2     机构编制变更记录: change records of --unit or a jurisdiction, --from/--to\n"
	 "  table3     实有人员花名册: people in post in --unit or a jurisdiction, at --date\n"
	 "  limits     限额台账: 总账, 分账1, 分账2 of a jurisdiction (--branch total|1|2: one)\n"
	 "  unit       单位机构编制台账 of --unit UNIT, up to --date\n"
	 "  card       人员编制管理卡 --card NUMBER\n"
	 "  vacancies  空编: every unit and category with vacancies, at --date\n"
	 "  registration        事业单位登记: 登记率 and 年检率 per jurisdiction, at --date\n"
	 "  registration-units  every public institution with what R12/R13 find, at --date\n"
	 "  chart      the organisation chart (dot or svg), -o FILE\n"
	 "  --date DATE          the day the report shows (default today)\n"
	 "  --from DATE --to DATE  table2's range (default: all)\n"
	 "  --jurisdiction CODE  a division code: it and every jurisdiction under it\n"
	 "                       (default: the ledger's one top-level jurisdiction)\n"
	 "  --unit UNIT          a unit's UUID, credit code or name\n"
	 "  --card NUMBER        a management card's number (card)\n"
	 "  --branch B           limits: total (总账), 1 (分账1) or 2 (分账2) alone\n"
	 "  --format FORMAT      csv (UTF-8 with BOM, default), xlsx, json; dot or svg (chart,\n"
	 "                       default svg); by default the extension of -o\n"
	 "  -o, --output FILE    write FILE (whole or not at all); without it CSV and JSON\n"
	 "                       go to stdout, XLSX and the chart need it\n"},
	/* another department's roster against Table 3 (cmd_reconcile.c) */
	{"reconcile", cmd_reconcile, "LEDGER ROSTER [--date DATE] [--jurisdiction CODE] [--format text|csv|json]",
	 "Every difference between a roster (organisation, HR, finance) and Table 3: the 吃空饷 check.",
	 "ROSTER is a CSV (UTF-8 with or without BOM, or GB18030), XLSX or XLS file whose\n"
	 "header row names 身份证号, 姓名, 单位名称 or 统一社会信用代码, and optionally\n"
	 "编制类别 (人员分类) and 发放状态 (是否发放), in any order.\n"
	 "  --date DATE          Table 3 at DATE (default today)\n"
	 "  --jurisdiction CODE  people in post missing from the roster are looked for in the\n"
	 "                       units of CODE and its sub-jurisdictions (default: all)\n"
	 "  --format FORMAT      text (default): ROSTER:LINE, kind, ID, name, unit, category,\n"
	 "                       document: detail, one line each, then the counts; csv: UTF-8\n"
	 "                       with BOM (Excel opens it), a header row in Chinese; json: one\n"
	 "                       object per line (JSON Lines)\n"
	 "Kinds: 在册未在编 (paid, not in post), 在编未在册 (in post, not on the roster or\n"
	 "unpaid), 单位不符, 类别不符, 姓名不符, 身份证号不符, 出编仍发放 (left, still paid),\n"
	 "重复 (one ID twice), 无法识别 (a row without an ID number).\n"
	 "Exit 0 when the roster agrees with the ledger, 4 when differences were found,\n"
	 "1 on an error (the roster's file, line and cause on stderr).\n"},
	{"rules", cmd_rules, "", "The rules table: code, severity, whether exceptable, name, seed clause.", NULL},
	{"param", cmd_param, "LEDGER NAME [DATE]", "A rule parameter in force at DATE (default today).", NULL},
	{"frozen", cmd_frozen, "LEDGER UNIT CATEGORY [DATE]", "The posts of a unit's category frozen at DATE.", NULL},
	{"plan", cmd_plan, "LEDGER UNIT YEAR", "A unit's hiring plan (用编计划) for YEAR.", NULL},
	/* the ledger changed on a document (cmd_ledger.c) */
	{"set-param", cmd_set_param, "LEDGER DOC NAME VALUE DATE",
	 "Set a rule parameter from DATE on (VALUE \"-\": back to the default).",
	 "DOC is the document's UUID or ISSUER:NUMBER.\n"},
	{"grant", cmd_grant, "LEDGER DOC RULE SUBJECT-UUID DATE",
	 "Grant a documented exception (政策性安置 and the like) to RULE for a subject.", NULL},
	{"freeze", cmd_freeze, "LEDGER DOC UNIT CATEGORY POSTS DATE", "Freeze POSTS of a unit's category from DATE.",
	 NULL},
	{"set-plan", cmd_set_plan, "LEDGER DOC UNIT YEAR POSTS", "Set a unit's hiring plan for YEAR.", NULL},
	{"set-credit-code", cmd_set_credit_code, "LEDGER DOC UNIT CODE DATE",
	 "Give a unit the unified social credit code (统一社会信用代码) CODE from DATE on.",
	 "DOC is the document's UUID or ISSUER:NUMBER (an establishment office's); UNIT the\n"
	 "unit's UUID, credit code or name; CODE 18 characters of GB 32100 (lower case is\n"
	 "taken as upper). A code another unit holds, or the unit's own, is refused (exit 1);\n"
	 "a wrong check character is refused by R10 and a date outside the unit's life by R7\n"
	 "(exit 3, nothing written). A registration stating another code is out of step\n"
	 "(R12) past registration.grace_days: record the 变更登记 with `registration`.\n"},
	/* the units' 机构编制管理证 (cmd_unitcert.c) */
	{"unitcert", cmd_unitcert,
	 "LEDGER issue DOC UNIT DATE [--number N] | LEDGER renew DOC CERT DATE [--number N]\n"
	 "       | LEDGER void DOC CERT DATE | LEDGER show UNIT [--date DATE]",
	 "Issue, renew (换发), void (作废) or show a unit's 机构编制管理证 (establishment management certificate).",
	 "DOC is the document's UUID or ISSUER:NUMBER (an establishment office's); UNIT a unit's\n"
	 "UUID, credit code or name; CERT a certificate's UUID or number.\n"
	 "  issue        a certificate for UNIT from DATE, valid for the rule parameter\n"
	 "               unitcert.validity_years (default 5) years\n"
	 "  renew        a new certificate from DATE replacing CERT (which ends that day)\n"
	 "  void         CERT is void from DATE on\n"
	 "  show         every certificate of UNIT with its state at --date (default today),\n"
	 "               and the one held then\n"
	 "  --number N   the certificate's number (default: made up, <division>-BZZ-<year>-NNNN)\n"
	 "  --date DATE  show: the day the states are given at\n"
	 "Rule R14 (seed §3): an entry, exit or transfer of a unit without a valid certificate\n"
	 "is refused (exit 3) or warned as the rule parameter unitcert.enforce says at its date:\n"
	 "off (default), warning or error; e.g. `bianzhi set-param LEDGER DOC unitcert.enforce\n"
	 "error 2014-01-01`. Table 1 and Table 2 (bianzhi report) show the certificate.\n"},
	/* backup and restore (cmd_feed.c) */
	{"backup", cmd_backup, "LEDGER DEST",
	 "A consistent copy of the ledger to the new file DEST, while others may go on writing.",
	 "DEST must not exist (a backup never overwrites); a failed backup leaves no file.\n"
	 "The copy is readable by its owner only, and opens as a ledger of its own.\n"
	 "A ledger on a PostgreSQL server (a postgresql:// URI) is refused (exit 1): pg_dump.\n"},
	{"restore", cmd_restore, "LEDGER BACKUP",
	 "Replace the whole contents of LEDGER with BACKUP: what was recorded since is gone.",
	 "It asks nothing. BACKUP must be a ledger (a backup, or any ledger file) this\n"
	 "library can open; otherwise nothing changes. The change feed goes back too:\n"
	 "consumers that read past the restored last record must read afresh.\n"
	 "Files only: a postgresql:// URI on either side is refused (exit 1): pg_restore.\n"},
	/* the offices' sheets imported, opening balances (cmd_import.c) */
	{"import", cmd_import,
	 "LEDGER [--units FILE]... [--people FILE]... [--jurisdiction CODE]\n"
	 "       [--opening CUTOVER] [--document DOC] [--as-of DATE]",
	 "Import the unit and person sheets offices fill (CSV, XLSX, XLS), in one transaction.",
	 "  --units FILE         a unit sheet (机构名称, 机构性质, 机构级别, 编制数, 领导职数, 成立时间 …)\n"
	 "  --people FILE        a person sheet (单位名称, 姓名, 身份证号, 编制类别, 进入时间 …)\n"
	 "  --jurisdiction CODE  where the units are (division code)\n"
	 "  --opening CUTOVER    an opening (建账): entries dated on or before CUTOVER, no usage\n"
	 "                       slips needed; rests on --document (an establishment office's)\n"
	 "  --document DOC       the document the changes rest on (UUID or ISSUER:NUMBER)\n"
	 "  --as-of DATE         the date of the figures of units without 成立时间\n"
	 "Unit sheets go first. A refused row is printed as FILE:LINE: COLUMN: reason and\n"
	 "nothing is written; the rules are checked at commit as for any change.\n"},
	/* whole ledgers exported and imported, counties consolidated at the city (cmd_exchange.c) */
	{"export", cmd_export, "LEDGER FILE [--jurisdiction CODE]",
	 "Export the ledger (or one jurisdiction's part) to FILE, one portable file (docs/exchange.md).",
	 "  --jurisdiction CODE  the jurisdiction and everything under it: its units, their records,\n"
	 "                       the people placed there, the documents and jurisdictions they cite\n"
	 "FILE must not exist (an export never overwrites); a failed export leaves no file.\n"
	 "Every record keeps its UUID, every change record its origin (ledger and number), every\n"
	 "transaction its identity; the offices of the jurisdictions exported and the units'\n"
	 "机构编制管理证 go with them. Format version 3 (a reader of an older version refuses it).\n"},
	{"import-ledger", cmd_import_ledger, "LEDGER FILE... [--create] [--dry-run] [--no-check]",
	 "Import exported ledgers (a county's, say) into LEDGER: what is new is added, the rest skipped.",
	 "  --create    make LEDGER (a new consolidation ledger) if it does not exist\n"
	 "  --dry-run   read, match and look for conflicts; write nothing\n"
	 "  --no-check  skip the full check that otherwise runs after each import\n"
	 "Each FILE is one transaction, all or nothing. Records the ledger has already are\n"
	 "skipped, so importing a county's newer export adds only what is new; jurisdictions,\n"
	 "documents, persons, cards and slips are matched by division code, (issuer, number),\n"
	 "ID number, card and slip number, offices by name. Imported transactions keep their\n"
	 "identity (bz_txn_committed answers for them here too). Files of versions 1 and 2 are\n"
	 "read as before. A conflict (the same document number with another\n"
	 "date, the same ID number with another name …) is printed as FILE:LINE: KIND IDENTITY:\n"
	 "FIELD: …, nothing of that file is written and the exit status is 3.\n"},
	{"copy", cmd_copy, "SRC DST",
	 "Copy a whole ledger to another backend (a file to a postgresql:// URI, or back).",
	 "SRC and DST are each a ledger file or a postgresql://…?schema=NAME URI. DST must be\n"
	 "new: a file that does not exist, or a schema that does not exist or holds a ledger\n"
	 "with no change record (a copy never merges). SRC is only read.\n"
	 "The copy is an export of SRC imported into DST (docs/exchange.md): every record keeps\n"
	 "its UUID, every change record its origin (SRC's identity and number) and every\n"
	 "transaction its identity; DST is a new ledger with an identity of its own, fed from\n"
	 "SRC (README \"Moving a ledger between backends\"). The archive goes with it: the\n"
	 "categories and filings as change records, each attached file's bytes streamed\n"
	 "from SRC under the same file UUID. Then DST's chain is verified, every file on\n"
	 "DST hashed again, and its full check must find what SRC's finds; otherwise the\n"
	 "exit status is 1.\n"
	 "A DST file left unfinished is removed; a URI's password is never printed.\n"},
	/* the files behind the documents, archives (cmd_archive.c) */
	{"attach", cmd_attach, "LEDGER DOCUMENT FILE... [--name NAME] [--category CODE [--year YEAR]]",
	 "Attach files (a signed scan, a draft) to a registered document, all of them or none.",
	 "DOCUMENT is the document's UUID or ISSUER:NUMBER (陇南市机构编制委员会:陇编发〔2012〕31号).\n"
	 "  --name NAME      the name to keep the file under (one FILE only; default: its own)\n"
	 "  --category CODE  file the document in the archive under CODE (bianzhi archive LEDGER\n"
	 "                   --categories lists them); --year YEAR with it (default: the document's)\n"
	 "Files are stored by their SHA-256, once however often attached; the hash is written\n"
	 "in the change record. A missing or unreadable FILE writes nothing.\n"},
	{"files", cmd_files, "LEDGER DOCUMENT [--output DIR] [--format text|json]",
	 "The files attached to a document: name, size, SHA-256, the record that attached each.",
	 "  --output DIR     also write every file into DIR (never over an existing file; a file\n"
	 "                   whose bytes no longer give its recorded SHA-256 is refused)\n"
	 "  --format FORMAT  text (default) or json: one JSON object per file (JSON Lines)\n"},
	{"archive", cmd_archive,
	 "LEDGER [--unit U] [--jurisdiction CODE] [--category CODE] [--year YEAR] -o DIR|FILE.zip"
	 " | LEDGER --categories | --verify DIR|FILE.zip",
	 "Export an archive (电子档案) of documents with their files and an index, or verify one.",
	 "  --unit U            the documents a unit's changes rest on (UUID, credit code or name)\n"
	 "  --jurisdiction CODE the documents issued there or resting changes of its units\n"
	 "  --category CODE     filed under an archive category; --year YEAR filed (or dated) then\n"
	 "  -o, --output PATH   a folder (must not exist) or, ending in .zip, a zip file\n"
	 "  --categories        list the archive categories (独立档案, seed §21)\n"
	 "  --verify PATH       check an exported archive against its index.csv: every file\n"
	 "                      there with its size and SHA-256, nothing else; exit 3 if not\n"
	 "Every selector given must hold; none: every document with a file. One folder per\n"
	 "document (\"DATE 文号 title\"), index.csv and index.json list 文号, title, date,\n"
	 "issuer, category, year, file, size, SHA-256 and the change records citing it.\n"},
	/* after a failure (cmd_reliability.c) */
	{"committed", cmd_committed, "LEDGER TXN-UUID",
	 "Whether the transaction TXN-UUID committed: exit 0 if it did, 4 if not.",
	 "TXN-UUID is the transaction's identity (bz_txn_uuid, Transaction.uuid), kept before its\n"
	 "commit. A commit that failed with an I/O error may still have reached the disk: ask\n"
	 "this before doing the change again.\n"},
	/* 事业单位法人登记 (cmd_registration.c) */
	{"registration", cmd_registration, "LEDGER found|change|deregister|certificate|report|show|compare ARGS...",
	 "Public-institution legal-person registration: record it on a document, show it, compare an annual report.",
	 "  found DOC UNIT DATE DECISION --address A --legal-rep R --scope S --funds YUAN\n"
	 "        [--name N] [--sponsor UNIT] [--funding 1-4] [--credit-code C]\n"
	 "                       设立登记; name, sponsor, funding and credit code default to the\n"
	 "                       ledger's on DATE (R12 refuses any other)\n"
	 "  change DOC UNIT FIELD VALUE DATE DECISION\n"
	 "                       变更登记 of name, address, legal_rep, scope, funds, sponsor\n"
	 "                       (a unit's UUID), funding (1-4) or credit_code\n"
	 "  deregister DOC UNIT DATE DECISION REASON   注销登记 (the unit must have ceased: R12)\n"
	 "  certificate DOC UNIT issue|renew|reissue NUMBER DATE\n"
	 "                       事业单位法人证书: 核发, 换发, 补领 (the old one void); valid for\n"
	 "                       the rule parameter registration.cert_years (5)\n"
	 "  report DOC UNIT YEAR FILED STAFF ESTABLISHMENT FUNDS\n"
	 "                       年度报告; R13 refuses figures other than the ledger's at YEAR-12-31\n"
	 "  show UNIT [--date DATE]   the registration and its certificate at DATE\n"
	 "  compare UNIT YEAR    the annual report beside the ledger's figures\n"
	 "DOC (the registering office's approval) and DECISION (the unit's or its sponsor's)\n"
	 "are documents of the ledger: UUID or ISSUER:NUMBER. UNIT: UUID, credit code or name.\n"
	 "Exit 0 done, 3 refused by the rules (violations printed, nothing written), 4 when\n"
	 "compare finds the report and the ledger differ, 1 on an error, 2 on a bad command line.\n"
	 "The rates and the institutions out of step: bianzhi report LEDGER registration|registration-units.\n"},
	/* tamper evidence (cmd_verify.c) */
	{"head", cmd_head, "LEDGER",
	 "The head of the change records' hash chain: SEQ HASH, to print and sign off.",
	 "Every change record carries a SHA-256 chaining it to the one before (its content,\n"
	 "facts, who and when). Keep the line this prints (on paper, or sent to the city):\n"
	 "`bianzhi verify LEDGER --head HASH --seq SEQ` later proves the ledger unchanged since.\n"},
	{"verify", cmd_verify, "LEDGER [--head HASH --seq N]",
	 "Walk the hash chain and recompute the counters: exit 0 intact, 3 tampering found.",
	 "  --head HASH --seq N  also prove the ledger unchanged since that head (`bianzhi head`)\n"
	 "Each change record altered, inserted or deleted behind the library is printed with its\n"
	 "position (actual N) and what differs. Every counter's whole timeline is recomputed\n"
	 "from the records: one whose stored breakpoints (past, present or future-dated) no\n"
	 "record explains is printed once as 账实不符 with its key, the first day it differs,\n"
	 "the records' figure (allowed) and the stored one (actual).\n"},
	/* who may change what (cmd_office.c) */
	{"office", cmd_office,
	 "add LEDGER NAME JURISDICTION KIND [--document DOC] | list LEDGER [JURISDICTION] | powers LEDGER [DATE]",
	 "The offices of the ledger (编办, 组织部, 人社, 财政) and what each kind may change (R15).",
	 "  add     register an office: its exact NAME, the division code of its JURISDICTION,\n"
	 "          KIND establishment (编办), organisation (组织部), hr (人社) or finance (财政);\n"
	 "          prints its UUID. The first office is registered acting as itself\n"
	 "          (BIANZHI_OFFICE=NAME) and must be an establishment office; then an\n"
	 "          establishment office registers those of its jurisdiction and below it\n"
	 "  list    the offices (of JURISDICTION): UUID, division code, kind, name, registered\n"
	 "  powers  which kind of office may make which kind of change at DATE (default today)\n"
	 "Once a ledger has offices, every command that writes acts for $BIANZHI_OFFICE, which\n"
	 "must be the exact name of a registered office; a change outside its powers or its\n"
	 "jurisdiction is refused under R15 (exit 3), naming the office. A ledger without\n"
	 "offices takes any name, as before. The powers are rule parameters: change one with\n"
	 "`bianzhi set-param LEDGER DOC power.KIND.POWER 1|0 DATE` on a city establishment\n"
	 "office's document (R6), acting for an establishment office.\n"},
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

const cli_command *cli_find(const char *name)
{
	for (size_t i = 0; name && i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static int help(void)
{
	printf("usage: %s COMMAND [OPTIONS] ARGS...\n"
	       "       %s COMMAND --help\n"
	       "       %s --help | --version\n\n"
	       "A command-line look into a libbianzhi ledger (机构编制实名制台账), and changes to it.\n\n"
	       "Commands:\n",
	       cli_prog, cli_prog, cli_prog);
	for (size_t i = 0; i < NCOMMANDS; i++)
		printf("  %-13s %s\n", commands[i].name, commands[i].summary);
	printf("\nA LEDGER is a file (made by `bianzhi create`), or a ledger in a schema of a\n"
	       "PostgreSQL server: postgresql://[USER[:PASSWORD]@]HOST[:PORT]/DB?schema=NAME\n"
	       "(libpq's parameters as well: host=/run/postgresql for a socket, sslmode=…; a\n"
	       "password is better kept in ~/.pgpass or $PGPASSWORD; one given in the URI is\n"
	       "never printed). Backup and restore are for files (on a server: pg_dump).\n"
	       "\nA UNIT is named by its UUID, unified social credit code or name; a DOC by its UUID\n"
	       "or ISSUER:NUMBER. Changes are recorded as $BIANZHI_USER / $BIANZHI_OFFICE; once the\n"
	       "ledger has offices (`bianzhi office`), $BIANZHI_OFFICE must name one of them.\n"
	       "$BIANZHI_BUSY_TIMEOUT: milliseconds to wait for another writer's lock (default 5000).\n"
	       "$BIANZHI_FAIL_ALLOC=N (N+: and every later one): a testing hook — the library's Nth\n"
	       "allocation after the ledger is opened fails (bz_debug_fail_alloc), to see how a\n"
	       "command and its scripts cope with out of memory.\n"
	       "$BIANZHI_XLS_HELPER: the program that reads XLS files for the library, in a process\n"
	       "of its own (default: LIBEXECDIR/bianzhi/bianzhi-xls, installed with the library).\n\n"
	       "Exit status:\n"
	       "  0  done\n"
	       "  1  an error (the message on stderr names the file or argument and the cause)\n"
	       "  2  usage: a bad command line\n"
	       "  3  the rules refused a change (its violations printed), `check` found errors,\n"
	       "     or `verify` found tampering\n"
	       "  4  `reconcile` found differences\n");
	return CLI_OK;
}

int main(int argc, char **argv)
{
	const cli_command *cmd;

	cli_progress_start();
	if (argc < 2)
		return cli_usage(NULL, "no command");
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0)
		return argc > 2 && strcmp(argv[1], "help") == 0 ? (cli_help(argv[2]) == CLI_OK ? CLI_OK
				: cli_usage(NULL, "no command %s", argv[2])) : help();
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("bianzhi (libbianzhi) %s\n", bz_version());
		return CLI_OK;
	}
	if (!(cmd = cli_find(argv[1])))
		return cli_usage(NULL, "no command %s", argv[1]);
	optind = 1;
	return cmd->run(argc - 1, argv + 1);
}
