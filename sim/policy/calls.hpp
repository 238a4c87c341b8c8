#pragma once
// Call calendars: which call of an instrument opens, closes (deadline) or starts its projects in a
// given month. Pure functions of the calendar, so every process asks the same question the same way.
#include <optional>

#include "core/units.hpp"
#include "policy/instrument.hpp"
#include "policy/ledger.hpp"

namespace clusternet {

inline Month call_open_month(const CallCalendar& c, int call) { return c.open_month + call * c.call_interval_months; }
inline Month call_deadline(const CallCalendar& c, int call) { return call_open_month(c, call) + c.open_months; }
inline Month call_start_month(const CallCalendar& c, int call) { return call_deadline(c, call) + c.start_delay_months; }

// The call whose deadline falls in `month`, if any (calls are evaluated at their deadline).
std::optional<int> call_with_deadline(const CallCalendar& calendar, Month month);
// The budget of call `call` (evaluated at its deadline): what the ledger can still award, shared
// equally by this call and the calls still to come, so that an early call cannot spend what the
// calendar promises to later ones. Unspent money rolls over to the next call.
Cents call_budget(const Ledger& ledger, const CallCalendar& calendar, int call);
// Number of calls open (opened, deadline not yet passed) in `month`.
int calls_open(const CallCalendar& calendar, Month month);

}  // namespace clusternet
