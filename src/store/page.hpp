// One page of a filtered listing plus the size of the whole result, for the
// API's paginated endpoints.
#pragma once

#include <cstdint>
#include <vector>

namespace switchboard::store {

template <typename T>
struct Page {
  std::vector<T> items;
  std::int64_t total = 0;  ///< rows matching the filter, ignoring limit/offset
};

/// Page size bounds every listing accepts.
inline constexpr std::int64_t kMaxPageSize = 1000;

}  // namespace switchboard::store
