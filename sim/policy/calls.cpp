#include "policy/calls.hpp"

namespace clusternet {

std::optional<int> call_with_deadline(const CallCalendar& calendar, Month month) {
  for (int call = 0; call < calendar.calls; ++call)
    if (call_deadline(calendar, call) == month) return call;
  return std::nullopt;
}

int calls_open(const CallCalendar& calendar, Month month) {
  int open = 0;
  for (int call = 0; call < calendar.calls; ++call)
    if (call_open_month(calendar, call) <= month && month < call_deadline(calendar, call)) ++open;
  return open;
}

}  // namespace clusternet
