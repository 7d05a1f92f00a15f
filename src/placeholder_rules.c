/*
 * placeholder_rules.c: checkers of areas not yet written. Each moves to its
 * area's source file when that area lands; none of them checks anything.
 */
#include "internal.h"

int bz_rule_person(bz_check_ctx *cx, const bz_touch *touch) { (void)cx; (void)touch; return BZ_OK; }
