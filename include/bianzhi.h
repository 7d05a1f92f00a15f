/*
 * bianzhi.h: the umbrella header of libbianzhi. Include this one; it
 * includes every area header under bianzhi/.
 */
#ifndef BIANZHI_H
#define BIANZHI_H

#include "bianzhi/common.h"
#include "bianzhi/memory.h"
#include "bianzhi/ledger.h"
#include "bianzhi/txn.h"
#include "bianzhi/change.h"
#include "bianzhi/document.h"
#include "bianzhi/jurisdiction.h"
#include "bianzhi/unit.h"
#include "bianzhi/establishment.h"
#include "bianzhi/leadership.h"
#include "bianzhi/subunit.h"
#include "bianzhi/check.h"
#include "bianzhi/person.h"
#include "bianzhi/slip.h"
#include "bianzhi/placement.h"
#include "bianzhi/appointment.h"
#include "bianzhi/rules.h"
#include "bianzhi/reconcile.h"
#include "bianzhi/report.h"
#include "bianzhi/opening.h"
#include "bianzhi/import.h"
#include "bianzhi/exchange.h"
#include "bianzhi/archive.h"
#include "bianzhi/verify.h"
#include "bianzhi/office.h"
#include "bianzhi/registration.h"
#include "bianzhi/unitcert.h"

#endif
