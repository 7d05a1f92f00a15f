/*
 * rules_structure.c: the rules of a unit's structure and its people, read
 * from the subjects touched —
 *   R2 领导职数: leaders in post ≤ quota, per post, at every state;
 *   R3 内设机构: sub-units ≤ approved, each ranked below its unit;
 *   R5 一人一编: a person's placements never overlap;
 *   R7 演变过程无间断: nothing of a unit after its end.
 */
#include "rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* R2: leaders in post ≤ quota, per post, at every state from touch->from on */
int bz_check_r2(bz_rule_ctx *cx, const bz_touch *touch)
{
	bz_ledger *l = cx->l;
	const char *s = touch->id;
	char kp[BZ_KEY_MAX], kd[BZ_KEY_MAX];
	char *unit = NULL, *name = NULL;
	bool is_sub = false;
	bz_dates ds = {0};
	int rc = bz_leader_subject_unit(l, s, &unit, &is_sub);
	if (rc != BZ_OK)
		goto done;
	bz_key_leaders(kp, s, BZ_POST_PRINCIPAL);
	bz_key_leaders(kd, s, BZ_POST_DEPUTY);
	const char *keys[4] = {kp, kd, NULL, NULL};
	/* the three quota facts are always written together: one timeline stands for them */
	if ((rc = bz_check_dates(l, &ds, keys, s, "quota:principal", touch->from, cx->until)) != BZ_OK)
		goto done;
	bool seen[2] = {false, false};
	for (size_t i = 0; i < ds.n && !(seen[0] && seen[1]); i++) {
		const char *e = ds.d[i];
		for (int post = 0; post < 2; post++) {
			int64_t quota = 0, in_post = 0;
			if ((rc = bz_fact_int_at(l, &quota, s, post ? "quota:deputy" : "quota:principal", e, 0)) != BZ_OK ||
			    (rc = bz_tl_at(l, &in_post, post ? kd : kp, e)) != BZ_OK)
				goto done;
			if (seen[post] || in_post <= quota)
				continue;
			bz__free(name);
			name = NULL;
			if ((rc = bz_leader_subject_name(l, s, is_sub, e, &name)) != BZ_OK)
				goto done;
			const char *label = name ? name : s;
			rc = bz_raise(cx, BZ_VIO(.rule = BZ_RULE_R2, .severity = BZ_SEVERITY_ERROR, .subject = s, .subject_name = label, .category = post ? "deputy" : "principal", .allowed = quota, .actual = in_post, .date = e, .document = touch->doc),
						"R2 领导职数: %s has %lld %s leader(s) in post against a quota of %lld on %s", label,
						(long long)in_post, post ? "deputy (副职)" : "principal (正职)", (long long)quota, e);
			if (rc != BZ_OK)
				goto done;
			seen[post] = true;
		}
	}
done:
	bz__free(ds.d);
	bz__free(unit);
	bz__free(name);
	return rc;
}

/* R3 at every state from touch->from: count ≤ approved; each sub-unit below its unit's rank */
int bz_check_r3(bz_rule_ctx *cx, const bz_touch *touch)
{
	bz_ledger *l = cx->l;
	const char *unit = touch->id;
	char key[BZ_KEY_MAX];
	char *uname = NULL, *sname = NULL;
	bz_dates ds = {0};
	bz_st *subs = NULL;
	bz_key_subunits(key, unit);
	const char *keys[4] = {key, NULL, NULL, NULL};
	int rc = bz_check_dates(l, &ds, keys, unit, "subunits:approved", touch->from, cx->until);
	if (rc != BZ_OK)
		goto done;
	for (size_t i = 0; i < ds.n; i++) {
		int64_t n = 0, approved = 0;
		if ((rc = bz_tl_at(l, &n, key, ds.d[i])) != BZ_OK ||
		    (rc = bz_fact_int_at(l, &approved, unit, "subunits:approved", ds.d[i], 0)) != BZ_OK)
			goto done;
		if (n > approved) {
			if ((rc = bz_unit_name_at(l, unit, ds.d[i], &uname)) != BZ_OK)
				goto done;
			rc = bz_raise(cx, BZ_VIO(.rule = BZ_RULE_R3, .severity = BZ_SEVERITY_ERROR, .subject = unit, .subject_name = uname, .allowed = approved, .actual = n, .date = ds.d[i], .document = touch->doc),
						"R3 内设机构: %s has %lld sub-units (内设机构) against %lld approved on %s", uname,
						(long long)n, (long long)approved, ds.d[i]);
			goto ranks; /* once per unit */
		}
	}
ranks:
	if (rc != BZ_OK)
		goto done;
	/* ranks: the unit's own sub-units, at the dates their ranks or the unit's rank change */
	rc = bz_store_prepare(l->store, &subs, "SELECT id, founded FROM subunit WHERE unit=?1 ORDER BY founded, id");
	if (rc != SQLITE_OK) {
		rc = bz_sqlfail(l, rc);
		goto done;
	}
	rc = BZ_OK;
	bz_bind_text(subs, 1, unit);
	int step;
	while ((step = bz_step(subs)) == SQLITE_ROW) {
		const char *sub = (const char *)bz_st_column_text(subs, 0);
		const char *founded = (const char *)bz_st_column_text(subs, 1);
		const char *from = strcmp(founded, touch->from) > 0 ? founded : touch->from;
		char end[BZ_DATE_LEN + 1];
		bool ended = false;
		if ((rc = bz_subunit_end_at(l, sub, end, &ended)) != BZ_OK)
			goto done;
		ds.n = 0;
		const char *none[4] = {NULL, NULL, NULL, NULL};
		if ((rc = bz_check_dates(l, &ds, none, sub, "rank", from, cx->until)) != BZ_OK)
			goto done;
		bz_dates du = {0};
		rc = bz_check_dates(l, &du, none, unit, "rank", from, cx->until);
		for (size_t i = 0; rc == BZ_OK && i < du.n; i++) {
			size_t j = 0;
			while (j < ds.n && strcmp(ds.d[j], du.d[i]) != 0)
				j++;
			if (j == ds.n) {
				/* merge by appending; order does not matter for a per-date check */
				if (ds.n == ds.cap) {
					size_t cap = ds.cap ? ds.cap * 2 : 16;
					void *nd = bz__realloc(ds.d, cap * sizeof *ds.d);
					if (!nd) {
						rc = bz_fail(l, BZ_ENOMEM, "out of memory");
						break;
					}
					ds.d = nd;
					ds.cap = cap;
				}
				memcpy(ds.d[ds.n++], du.d[i], BZ_DATE_LEN + 1);
			}
		}
		bz__free(du.d);
		if (rc != BZ_OK)
			goto done;
		for (size_t i = 0; i < ds.n; i++) {
			const char *e = ds.d[i];
			if (ended && strcmp(e, end) >= 0)
				continue;
			int64_t sr = 0, ur = 0;
			if ((rc = bz_fact_int_at(l, &sr, sub, "rank", e, 0)) != BZ_OK ||
			    (rc = bz_fact_int_at(l, &ur, unit, "rank", e, 0)) != BZ_OK)
				goto done;
			if (ur == BZ_RANK_NONE || sr < ur)
				continue;
			bz__free(sname);
			sname = NULL;
			if ((rc = bz_fact_at(l, &sname, sub, "name", e)) != BZ_OK)
				goto done;
			bz__free(uname);
			uname = NULL;
			if ((rc = bz_unit_name_at(l, unit, e, &uname)) != BZ_OK)
				goto done;
			rc = bz_raise(cx, BZ_VIO(.rule = BZ_RULE_R3, .severity = BZ_SEVERITY_ERROR, .subject = sub, .subject_name = sname, .allowed = ur - 1, .actual = sr, .date = e, .document = touch->doc),
						"R3 内设机构: sub-unit %s of %s is ranked %s, not below its unit's %s, on %s",
						sname ? sname : sub, uname, bz_rank_name((int)sr), bz_rank_name((int)ur), e);
			if (rc != BZ_OK)
				goto done;
			break;
		}
	}
	if (step != SQLITE_DONE) /* a failed read is an error, not the end of the sub-units */
		rc = bz_sqlfail(l, step);
done:
	bz_st_finalize(subs);
	bz__free(ds.d);
	bz__free(uname);
	bz__free(sname);
	return rc;
}

/* ---- R5: one person, one post ---------------------------------------- */

static int raise_r5(bz_rule_ctx *cx, const char *person, const char *date, const char *unit, const char *cat,
		    const char *doc)
{
	char *pname = NULL, *uname = NULL;
	int rc = bz_person_name_of(cx->l, person, &pname, NULL);
	if (rc == BZ_OK)
		rc = bz_unit_name_at(cx->l, unit, date, &uname);
	if (rc == BZ_OK)
		rc = bz_raise(cx, BZ_VIO(.rule = BZ_RULE_R5, .severity = BZ_SEVERITY_ERROR, .subject = person,
					 .subject_name = pname, .category = cat, .allowed = 1, .actual = 2, .date = date,
					 .document = doc),
			      "R5 一人一编: %s would hold two posts on %s (entering %s while still on establishment elsewhere)",
			      pname, date, uname ? uname : "?");
	bz__free(pname);
	bz__free(uname);
	return rc;
}

int bz_check_r5(bz_rule_ctx *cx, const bz_touch *touch)
{
	bz_ledger *l = cx->l;
	/* every pair of the person's placements whose periods overlap */
	static const char sql[] =
		"SELECT a.id, b.id, b.entry, b.unit, b.category FROM placement a"
		" LEFT JOIN placement_exit ax ON ax.placement=a.id"
		" JOIN placement b ON b.person=a.person AND b.id<>a.id AND (b.entry>a.entry OR (b.entry=a.entry AND b.rowid>a.rowid))"
		" WHERE a.person=?1 AND b.entry<COALESCE(ax.date,'9999-12-31') AND b.entry<=?2"
		" AND COALESCE(ax.date,'9999-12-31')>?3 LIMIT 1";
	bz_st *st = bz_stmt(l, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, touch->id);
	bz_bind_text(st, 2, cx->until ? cx->until : "9999-12-31");
	bz_bind_text(st, 3, touch->from);
	int rc = bz_step(st);
	if (rc != SQLITE_ROW) {
		bz_st_reset(st);
		return rc == SQLITE_DONE ? BZ_OK : bz_sqlfail(l, rc);
	}
	char date[BZ_DATE_LEN + 1], unit[BZ_UUID_LEN + 1], cat[32];
	snprintf(date, sizeof date, "%s", (const char *)bz_st_column_text(st, 2));
	snprintf(unit, sizeof unit, "%s", (const char *)bz_st_column_text(st, 3));
	snprintf(cat, sizeof cat, "%s", (const char *)bz_st_column_text(st, 4));
	bz_st_reset(st);
	return raise_r5(cx, touch->id, date, unit, cat, touch->doc);
}

/*
 * R5 over the whole ledger (the self-inspection): one query for every
 * person's first overlapping placement, instead of one query per person.
 * Only a person with two placements or more can hold two at once: those
 * are listed first from placement_person alone (index-only, no row read),
 * and only their placements are joined — most persons have one, and the
 * join of each with its person's other placements was most of R5's time
 * (issue 10). The IN list is walked in person order and each person's
 * placements in the index's (entry, rowid) order.
 * The first is picked by a window (by entry, then record order), not by
 * SQLite's bare columns beside min(): PostgreSQL has no bare columns, and
 * a tie then has one answer on both backends.
 */
int bz_all_r5(bz_rule_ctx *cx)
{
	static const char sql[] =
		"SELECT person, entry, unit, category, doc FROM (SELECT a.person, b.entry, b.unit, b.category, e.doc,"
		" row_number() OVER (PARTITION BY a.person ORDER BY b.entry, b.rowid, a.rowid) AS k FROM placement a"
		" LEFT JOIN placement_exit ax ON ax.placement=a.id"
		" JOIN placement b ON b.person=a.person AND b.id<>a.id AND (b.entry>a.entry OR (b.entry=a.entry AND b.rowid>a.rowid))"
		" LEFT JOIN event e ON e.id=b.event"
		" WHERE a.person IN (SELECT person FROM placement GROUP BY person HAVING count(*)>1)"
		" AND b.entry<COALESCE(ax.date,'9999-12-31') AND b.entry<=?1) AS first WHERE k=1 ORDER BY person";
	bz_st *st = bz_stmt(cx->l, sql);
	if (!st)
		return bz_stmt_err();
	bz_bind_text(st, 1, cx->until ? cx->until : "9999-12-31");
	struct o { char person[BZ_UUID_LEN + 1], date[BZ_DATE_LEN + 1], unit[BZ_UUID_LEN + 1], cat[32], doc[BZ_UUID_LEN + 1]; } *os = NULL;
	size_t n = 0, cap = 0;
	int rc, code = BZ_OK;
	while ((rc = bz_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 16;
			struct o *no = bz__realloc(os, nc * sizeof *os);
			if (!no) {
				code = bz_fail(cx->l, BZ_ENOMEM, "out of memory");
				break;
			}
			os = no;
			cap = nc;
		}
		const char *cols[5];
		for (int c = 0; c < 5; c++)
			cols[c] = (const char *)bz_st_column_text(st, c);
		snprintf(os[n].person, sizeof os[n].person, "%s", cols[0] ? cols[0] : "");
		snprintf(os[n].date, sizeof os[n].date, "%s", cols[1] ? cols[1] : "");
		snprintf(os[n].unit, sizeof os[n].unit, "%s", cols[2] ? cols[2] : "");
		snprintf(os[n].cat, sizeof os[n].cat, "%s", cols[3] ? cols[3] : "");
		snprintf(os[n].doc, sizeof os[n].doc, "%s", cols[4] ? cols[4] : "");
		n++;
	}
	if (code == BZ_OK && rc != SQLITE_DONE)
		code = bz_sqlfail(cx->l, rc);
	bz_st_reset(st);
	for (size_t i = 0; code == BZ_OK && i < n; i++)
		code = raise_r5(cx, os[i].person, os[i].date, os[i].unit, os[i].cat, os[i].doc[0] ? os[i].doc : NULL);
	bz__free(os);
	return code;
}

/* ---- R7 at commit: nothing of the unit after its end ---------------------- */

static int r7_life(bz_rule_ctx *cx, const bz_touch *touch)
{
	bz_ledger *l = cx->l;
	char founded[BZ_DATE_LEN + 1], end[BZ_DATE_LEN + 1];
	char *name = NULL;
	bz_st *st = NULL;
	int rc, code = bz_unit_life(l, touch->id, founded, end);
	if (code != BZ_OK || !end[0] || (cx->until && strcmp(end, cx->until) > 0))
		return code;
	if ((code = bz_unit_name_at(l, touch->id, end, &name)) != BZ_OK)
		goto done;
	{
		/* change records of the unit dated after its end (on the end date
		 * itself a reorganisation may still cut and move what it had): those
		 * in event_unit, and the entries into a post by their placement
		 * (event_unit leaves them out, schema.c 14) */
		static const char sql[] =
			"SELECT count(*), min(effective) FROM (SELECT effective FROM event"
			" WHERE unit=?1 AND " BZ_KINDS_BY_UNIT " AND effective>?2 AND (?3 IS NULL OR effective<=?3)"
			" UNION ALL SELECT e.effective FROM placement p JOIN event e ON e.id=p.event"
			" AND e.unit=p.unit AND NOT e." BZ_KINDS_BY_UNIT
			" WHERE p.unit=?1 AND p.entry>?2 AND (?3 IS NULL OR p.entry<=?3)) AS x";
		bz_st *cs = bz_stmt(l, sql);
		if (!cs) {
			code = bz_stmt_err();
			goto done;
		}
		bz_bind_text(cs, 1, touch->id);
		bz_bind_text(cs, 2, end);
		bz_bind_text(cs, 3, cx->until);
		int rc = bz_step(cs);
		long long n = rc == SQLITE_ROW ? bz_st_column_int64(cs, 0) : 0;
		char first[BZ_DATE_LEN + 1] = "";
		if (n > 0) {
			const char *f = (const char *)bz_st_column_text(cs, 1);
			snprintf(first, sizeof first, "%s", f ? f : "");
		}
		bz_st_reset(cs);
		if (rc != SQLITE_ROW) {
			code = bz_sqlfail(l, rc);
			goto done;
		}
		if (n > 0 && (code = bz_raise(cx, BZ_VIO(.rule = BZ_RULE_R7, .severity = BZ_SEVERITY_ERROR, .subject = touch->id,
							 .subject_name = name, .allowed = 0, .actual = n, .date = first,
							 .document = touch->doc),
					      "R7 演变过程无间断: %s ceases on %s but has %lld change record(s) dated later, the first on %s",
					      name, end, n, first)) != BZ_OK)
			goto done;
	}
	/* people still in post after the end, per category: the staff counter at
	 * the end and its highest value later (every category of the code table,
	 * however many a ledger adds) */
	rc = bz_store_prepare(l->store, &st, "SELECT code FROM category ORDER BY code");
	if (rc != SQLITE_OK) {
		code = bz_sqlfail(l, rc);
		goto done;
	}
	static const char later_sql[] =
		"SELECT max(value) FROM tl WHERE counter=(SELECT id FROM counter WHERE key=?1) AND effective>?2"
		" AND (?3 IS NULL OR effective<=?3)";
	while (code == BZ_OK && (rc = bz_step(st)) == SQLITE_ROW) {
		const char *cat = (const char *)bz_st_column_text(st, 0);
		char key[BZ_KEY_MAX];
		int64_t at = 0, later = 0;
		bz_key_unit(key, touch->id, BZ_CNT_STAFF, cat);
		if ((code = bz_tl_at(l, &at, key, end)) != BZ_OK)
			break;
		bz_st *ls = bz_stmt(l, later_sql);
		if (!ls) {
			code = bz_stmt_err();
			break;
		}
		bz_bind_text(ls, 1, key);
		bz_bind_text(ls, 2, end);
		bz_bind_text(ls, 3, cx->until);
		int r = bz_step(ls);
		later = r == SQLITE_ROW ? bz_st_column_int64(ls, 0) : 0;
		bz_st_reset(ls);
		if (r != SQLITE_ROW) {
			code = bz_sqlfail(l, r);
			break;
		}
		int64_t n = at > later ? at : later;
		if (n > 0)
			code = bz_raise(cx, BZ_VIO(.rule = BZ_RULE_R7, .severity = BZ_SEVERITY_ERROR, .subject = touch->id,
						   .subject_name = name, .category = cat, .allowed = 0, .actual = n, .date = end,
						   .document = touch->doc),
					"R7 演变过程无间断: %s ceases on %s but %lld person(s) of category %s are still in post",
					name, end, (long long)n, cat);
	}
	if (code == BZ_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
		code = bz_sqlfail(l, rc);
done:
	bz_st_finalize(st);
	bz__free(name);
	return code;
}

/* R7 watches unit × category (a back-dated change, rules_establishment.c) and unit lives */
int bz_check_r7(bz_rule_ctx *cx, const bz_touch *touch)
{
	if (touch->kind == BZ_TOUCH_UNIT_CAT)
		return bz_check_r7_uc(cx, touch);
	if (touch->kind == BZ_TOUCH_UNIT_LIFE)
		return r7_life(cx, touch);
	return BZ_OK;
}
