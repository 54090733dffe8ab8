// Typed validation of JSON request bodies: each field has a type, may be
// required, may carry a pattern or bounds; unknown fields and wrong types are
// rejected with a reason. The same description becomes the request schema of
// the OpenAPI document, so the document and the checks cannot disagree.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace switchboard::api {

enum class JsonType { kString, kInteger, kBoolean };

struct FieldSpec {
  std::string name{};
  JsonType type = JsonType::kString;
  bool required = false;
  std::string pattern{};  ///< ECMAScript regex the whole string must match; empty: any
  std::size_t max_length = 256;
  std::int64_t minimum = INT64_MIN;
  std::int64_t maximum = INT64_MAX;
  std::string description{};
};

struct ObjectSchema {
  std::vector<FieldSpec> fields;
};

struct ValidationError {
  std::string field;  ///< "" for the body as a whole
  std::string reason;
};

/// nullopt when `body` is an object that satisfies `schema`.
std::optional<ValidationError> validate(const ObjectSchema& schema, const nlohmann::json& body);

/// The JSON Schema (OpenAPI 3.0 subset) of `schema`.
nlohmann::json to_json_schema(const ObjectSchema& schema);

const char* to_string(JsonType t);

}  // namespace switchboard::api
