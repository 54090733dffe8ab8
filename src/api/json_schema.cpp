#include "api/json_schema.hpp"

#include <regex>

namespace switchboard::api {

const char* to_string(JsonType t) {
  switch (t) {
    case JsonType::kString:
      return "string";
    case JsonType::kInteger:
      return "integer";
    case JsonType::kBoolean:
      return "boolean";
  }
  return "string";
}

namespace {

bool has_type(const nlohmann::json& v, JsonType t) {
  switch (t) {
    case JsonType::kString:
      return v.is_string();
    case JsonType::kInteger:
      return v.is_number_integer();
    case JsonType::kBoolean:
      return v.is_boolean();
  }
  return false;
}

std::optional<std::string> check_field(const FieldSpec& f, const nlohmann::json& v) {
  if (!has_type(v, f.type)) return std::string("expected ") + to_string(f.type);
  if (f.type == JsonType::kString) {
    const auto& s = v.get_ref<const std::string&>();
    if (s.size() > f.max_length) {
      return "longer than " + std::to_string(f.max_length) + " characters";
    }
    if (!f.pattern.empty() && !std::regex_match(s, std::regex(f.pattern))) {
      return "does not match " + f.pattern;
    }
  }
  if (f.type == JsonType::kInteger) {
    const auto n = v.get<std::int64_t>();
    if (n < f.minimum || n > f.maximum) {
      return "out of range [" + std::to_string(f.minimum) + ", " + std::to_string(f.maximum) + "]";
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<ValidationError> validate(const ObjectSchema& schema, const nlohmann::json& body) {
  if (!body.is_object()) return ValidationError{"", "expected a JSON object"};
  for (const auto& [key, value] : body.items()) {
    const FieldSpec* spec = nullptr;
    for (const auto& f : schema.fields) {
      if (f.name == key) spec = &f;
    }
    if (!spec) return ValidationError{key, "unknown field"};
    if (auto why = check_field(*spec, value)) return ValidationError{key, *why};
  }
  for (const auto& f : schema.fields) {
    if (f.required && !body.contains(f.name)) return ValidationError{f.name, "required"};
  }
  return std::nullopt;
}

nlohmann::json to_json_schema(const ObjectSchema& schema) {
  nlohmann::json props = nlohmann::json::object();
  nlohmann::json required = nlohmann::json::array();
  for (const auto& f : schema.fields) {
    nlohmann::json p = {{"type", to_string(f.type)}};
    if (f.type == JsonType::kString) {
      p["maxLength"] = f.max_length;
      if (!f.pattern.empty()) p["pattern"] = f.pattern;
    }
    if (f.type == JsonType::kInteger) {
      if (f.minimum != INT64_MIN) p["minimum"] = f.minimum;
      if (f.maximum != INT64_MAX) p["maximum"] = f.maximum;
    }
    if (!f.description.empty()) p["description"] = f.description;
    props[f.name] = std::move(p);
    if (f.required) required.push_back(f.name);
  }
  nlohmann::json s = {{"type", "object"}, {"properties", props}, {"additionalProperties", false}};
  if (!required.empty()) s["required"] = required;
  return s;
}

}  // namespace switchboard::api
