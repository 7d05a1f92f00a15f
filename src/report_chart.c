/*
 * report_chart.c: the organisation chart of a jurisdiction at a date, as
 * Graphviz DOT written here and SVG laid out in the process by libgvc.
 */
#include "report_int.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

/* a DOT string literal's contents: quotes and backslashes escaped, line breaks as \n */
static void dot_text(bz_buf *b, const char *s)
{
	for (; s && *s; s++) {
		if (*s == '"' || *s == '\\')
			bz_buf_put(b, "\\", 1);
		if (*s == '\n')
			bz_buf_puts(b, "\\n");
		else if (*s != '\r')
			bz_buf_put(b, s, 1);
	}
}

/* one unit's box (and its sub-units) inside its jurisdiction's cluster */
static int chart_unit(bz_buf *b, bz_ledger *l, const bz_unit *u, const char *date)
{
	bz_basic_table *t = NULL;
	int rc = bz_basic_table_get(&t, l, bz_unit_uuid(u), date);
	if (rc != BZ_OK)
		return rc;
	int64_t est = 0, staff = 0, over = 0;
	for (size_t r = 0; r < bz_basic_table_rows(t); r++) {
		est += bz_basic_table_establishment(t, r);
		staff += bz_basic_table_staff(t, r);
		over += bz_basic_table_over(t, r);
	}
	bz_buf_printf(b, "    \"u%s\" [label=\"", bz_unit_uuid(u));
	dot_text(b, bz_unit_name(u));
	bz_buf_printf(b, "\\n%s · %s\\n编制 %lld / 实有 %lld", bz_nature_name(bz_unit_nature(u)),
		      bz_rank_name(bz_unit_rank(u)), (long long)est, (long long)staff);
	if (over > 0)
		bz_buf_printf(b, "\\n超编 %lld\", color=red, fontcolor=red, penwidth=2];\n", (long long)over);
	else
		bz_buf_puts(b, "\"];\n");
	bz_basic_table_free(t);

	bz_subunit_iter *it = NULL;
	if ((rc = bz_subunit_list(&it, l, bz_unit_uuid(u), date)) != BZ_OK)
		return rc;
	bz_subunit *su = NULL;
	while ((rc = bz_subunit_iter_next(&su, it)) == BZ_OK) {
		bz_buf_printf(b, "    \"s%s\" [label=\"", bz_subunit_uuid(su));
		dot_text(b, bz_subunit_name(su));
		bz_buf_printf(b, "\", shape=box, style=dashed, fontsize=9];\n    \"u%s\" -> \"s%s\" [style=dashed, arrowhead=none];\n",
			      bz_unit_uuid(u), bz_subunit_uuid(su));
		bz_subunit_free(su);
	}
	bz_subunit_iter_free(it);
	return rc == BZ_ITEROVER ? BZ_OK : rc;
}

/* the chart's DOT text into b */
static int chart_dot(bz_buf *b, bz_ledger *l, const char *code, const char *date)
{
	bz_scope_unit *units = NULL;
	size_t n = 0;
	int rc = bz_scope_units(l, code, date, &units, &n);
	if (rc != BZ_OK)
		return rc;
	bz_unit **alive = bz__calloc(n ? n : 1, sizeof *alive);
	if (!alive) {
		bz__free(units);
		return bz_fail(l, BZ_ENOMEM, "out of memory");
	}
	bz_jurisdiction *top = NULL;
	if ((rc = bz_jurisdiction_lookup(&top, l, code)) != BZ_OK)
		goto done;
	bz_buf_puts(b, "digraph \"org\" {\n  graph [charset=\"UTF-8\", rankdir=TB, labelloc=t, fontsize=18, "
		       "fontname=\"Noto Sans CJK SC,WenQuanYi Zen Hei,sans-serif\", label=\"");
	dot_text(b, bz_jurisdiction_name(top));
	bz_buf_printf(b, " 机构编制组织图 (%s)\"];\n", date);
	bz_buf_puts(b, "  node [shape=box, style=rounded, fontsize=11, fontname=\"Noto Sans CJK SC,WenQuanYi Zen Hei,sans-serif\"];\n"
		       "  edge [arrowsize=0.6];\n");
	/* a cluster per jurisdiction: the units come ordered by division code */
	const char *open = NULL;
	for (size_t i = 0; i < n && rc == BZ_OK; i++) {
		bz_unit *u = NULL;
		if ((rc = bz_unit_lookup(&u, l, units[i].id, date)) == BZ_ENOTFOUND) {
			rc = BZ_OK;
			continue;
		}
		if (rc != BZ_OK)
			break;
		if (bz_unit_status(u) != BZ_UNIT_ACTIVE) {
			bz_unit_free(u);
			continue;
		}
		alive[i] = u;
		if (!open || strcmp(open, units[i].code) != 0) {
			if (open)
				bz_buf_puts(b, "  }\n");
			bz_jurisdiction *j = NULL;
			if ((rc = bz_jurisdiction_lookup(&j, l, units[i].code)) != BZ_OK)
				break;
			bz_buf_printf(b, "  subgraph \"cluster_%s\" {\n    label=\"", units[i].code);
			dot_text(b, bz_jurisdiction_name(j));
			bz_buf_printf(b, " (%s)\"; style=rounded; color=gray50;\n", units[i].code);
			bz_jurisdiction_free(j);
			open = units[i].code;
		}
		rc = chart_unit(b, l, u, date);
	}
	if (open)
		bz_buf_puts(b, "  }\n");
	/* supervising unit → unit, when both are on the chart */
	for (size_t i = 0; i < n && rc == BZ_OK; i++) {
		const char *parent = alive[i] ? bz_unit_parent(alive[i]) : NULL;
		if (!parent)
			continue;
		for (size_t k = 0; k < n; k++)
			if (alive[k] && !strcmp(bz_unit_uuid(alive[k]), parent)) {
				bz_buf_printf(b, "  \"u%s\" -> \"u%s\";\n", parent, bz_unit_uuid(alive[i]));
				break;
			}
	}
	bz_buf_puts(b, "}\n");
	if (rc == BZ_OK && b->oom)
		rc = bz_fail(l, BZ_ENOMEM, "out of memory");
done:
	for (size_t i = 0; i < n; i++)
		bz_unit_free(alive[i]);
	bz__free(alive);
	bz__free(units);
	bz_jurisdiction_free(top);
	return rc;
}

/* Graphviz keeps global state (its error handler, plugin tables): one chart at a time */
static pthread_mutex_t gv_lock = PTHREAD_MUTEX_INITIALIZER;
/* Graphviz's messages, caught instead of printed (a library never prints) */
static char gv_msg[256];
static int gv_catch(char *msg)
{
	if (!gv_msg[0] && msg) {
		snprintf(gv_msg, sizeof gv_msg, "%s", msg);
		size_t n = strlen(gv_msg);
		while (n && (gv_msg[n - 1] == '\n' || gv_msg[n - 1] == ' '))
			gv_msg[--n] = '\0';
	}
	return 0;
}

static int chart_svg(bz_ledger *l, const char *dot, const char *path)
{
	char err[BZ_ERRMSG_MAX];
	char *tmp = NULL;
	int rc = bz_file_temp(path, &tmp, err, sizeof err);
	if (rc != BZ_OK)
		return bz_fail(l, rc, "%s", err);
	pthread_mutex_lock(&gv_lock);
	gv_msg[0] = '\0';
	agusererrf was = agseterrf(gv_catch);
	agerrlevel_t level = agseterr(AGERR); /* warnings (a missing font) are not failures */
	GVC_t *gvc = gvContext();
	Agraph_t *g = gvc ? agmemread(dot) : NULL;
	const char *failed = !gvc ? "Graphviz could not start" : !g ? "Graphviz could not read the chart" : NULL;
	if (!failed && gvLayout(gvc, g, "dot") != 0)
		failed = "Graphviz could not lay the chart out";
	else if (!failed) {
		if (gvRenderFilename(gvc, g, "svg", tmp) != 0)
			failed = "Graphviz could not render SVG";
		gvFreeLayout(gvc, g);
	}
	if (g)
		agclose(g);
	if (gvc)
		gvFreeContext(gvc);
	agseterr(level);
	agseterrf(was);
	if (failed) {
		rc = bz_fail(l, BZ_EIO, "cannot write %s: %s%s%s", path, failed, gv_msg[0] ? ": " : "", gv_msg);
		pthread_mutex_unlock(&gv_lock);
		unlink(tmp);
		bz__free(tmp);
		return rc;
	}
	pthread_mutex_unlock(&gv_lock);
	if (rename(tmp, path) != 0) {
		rc = bz_fail(l, BZ_EIO, "cannot write %s: %s", path, strerror(errno));
		unlink(tmp);
	}
	bz__free(tmp);
	return rc;
}

BZ_EXTERN int bz_org_chart_write(bz_ledger *ledger, const char *jurisdiction_code, const char *date,
				 const char *path, int format)
{
	if (!ledger)
		return BZ_EINVAL;
	char d[BZ_DATE_LEN + 1];
	if (!date) {
		bz_today(ledger, d);
	} else if (bz_date_ok(date)) {
		memcpy(d, date, BZ_DATE_LEN + 1);
	} else {
		return bz_fail(ledger, BZ_EINVAL, "not a valid date: %s (expected YYYY-MM-DD)", date);
	}
	if (!bz_text_ok(jurisdiction_code))
		return bz_fail(ledger, BZ_EINVAL, "a jurisdiction's 6-digit division code is required");
	if (!path || !*path)
		return bz_fail(ledger, BZ_EINVAL, "no file name to write the chart to");
	if (format != BZ_CHART_DOT && format != BZ_CHART_SVG)
		return bz_fail(ledger, BZ_EINVAL, "unknown chart format %d: expected BZ_CHART_DOT or BZ_CHART_SVG", format);
	bz_buf b = {0};
	int rc = chart_dot(&b, ledger, jurisdiction_code, d);
	if (rc == BZ_OK) {
		if (format == BZ_CHART_DOT) {
			char err[BZ_ERRMSG_MAX];
			if ((rc = bz_file_replace(path, b.p, b.n, err, sizeof err)) != BZ_OK)
				rc = bz_fail(ledger, rc, "%s", err);
		} else {
			rc = chart_svg(ledger, b.p, path);
		}
	}
	bz__free(b.p);
	return rc == BZ_OK ? bz_ok(ledger) : rc;
}
