// What the API reads of parked calls (GET /api/v1/parked). The parking
// feature implements it and the application hands it to the API with
// ApiService::set_parked_calls(); until then the API has no source and lists
// no parked calls. Called on the core thread only.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "store/time.hpp"

namespace switchboard::api {

struct ParkedCall {
  std::string slot;       ///< the number a phone dials to retrieve it ("71")
  std::string call_id;    ///< the parked call's (caller) Call-ID
  std::string parked;     ///< who is waiting in the slot (the extension or caller id)
  std::string parked_by;  ///< the extension that parked it
  store::Timestamp since{};
  std::optional<store::Timestamp> timeout_at;  ///< when it rings back, if ever
};

class ParkedCallsView {
 public:
  virtual ~ParkedCallsView() = default;
  /// Every occupied slot, in slot order.
  virtual std::vector<ParkedCall> parked_calls() const = 0;
};

}  // namespace switchboard::api
