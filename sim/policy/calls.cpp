#include "policy/calls.hpp"

#include <algorithm>

namespace clusternet {

std::optional<int> call_with_deadline(const CallCalendar& calendar, Month month) {
  for (int call = 0; call < calendar.calls; ++call)
    if (call_deadline(calendar, call) == month) return call;
  return std::nullopt;
}

Cents call_budget(const Ledger& ledger, const CallCalendar& calendar, int call) {
  const int calls_left = calendar.calls - call;
  return ledger.available_for_awards() / std::max(1, calls_left);
}

int calls_open(const CallCalendar& calendar, Month month) {
  int open = 0;
  for (int call = 0; call < calendar.calls; ++call)
    if (call_open_month(calendar, call) <= month && month < call_deadline(calendar, call)) ++open;
  return open;
}

}  // namespace clusternet
