#include "api/rbac.hpp"

namespace switchboard::api {

const char* to_string(Role r) {
  switch (r) {
    case Role::kUser:
      return "user";
    case Role::kOperator:
      return "operator";
    case Role::kAdmin:
      return "admin";
  }
  return "user";
}

std::optional<Role> role_from(std::string_view text) {
  if (text == "user") return Role::kUser;
  if (text == "operator") return Role::kOperator;
  if (text == "admin") return Role::kAdmin;
  return std::nullopt;
}

const char* to_string(Permission p) {
  switch (p) {
    case Permission::kPublic:
      return "public";
    case Permission::kStatusRead:
      return "status:read";
    case Permission::kExtensionsRead:
      return "extensions:read";
    case Permission::kExtensionsWrite:
      return "extensions:write";
    case Permission::kRegistrationsRead:
      return "registrations:read";
    case Permission::kCallsRead:
      return "calls:read";
    case Permission::kCallsControl:
      return "calls:control";
    case Permission::kCallsOriginate:
      return "calls:originate";
    case Permission::kCallsRecord:
      return "calls:record";
    case Permission::kCallsTransfer:
      return "calls:transfer";
    case Permission::kVoicemailAdmin:
      return "voicemail:admin";
    case Permission::kCdrRead:
      return "cdr:read";
    case Permission::kStatsRead:
      return "stats:read";
    case Permission::kConfigRead:
      return "config:read";
    case Permission::kAuditRead:
      return "audit:read";
    case Permission::kMetricsRead:
      return "metrics:read";
    case Permission::kEventsRead:
      return "events:read";
    case Permission::kPresenceRead:
      return "presence:read";
    case Permission::kPresenceWrite:
      return "presence:write";
    case Permission::kVoicemailRead:
      return "voicemail:read";
    case Permission::kVoicemailWrite:
      return "voicemail:write";
    case Permission::kQueuesRead:
      return "queues:read";
  }
  return "?";
}

bool allowed(Role role, Permission p) {
  switch (p) {
    case Permission::kPublic:
      return true;
    // Everyone, narrowed to their own extension for users.
    case Permission::kStatusRead:
    case Permission::kExtensionsRead:
    case Permission::kRegistrationsRead:
    case Permission::kCallsRead:
    case Permission::kCdrRead:
    case Permission::kEventsRead:
    case Permission::kPresenceRead:
    case Permission::kPresenceWrite:
    case Permission::kVoicemailRead:
    case Permission::kVoicemailWrite:
    case Permission::kQueuesRead:
    case Permission::kCallsOriginate:
    case Permission::kCallsRecord:
    case Permission::kCallsTransfer:
      return true;
    // Operators and admins.
    case Permission::kCallsControl:
    case Permission::kVoicemailAdmin:
    case Permission::kStatsRead:
    case Permission::kMetricsRead:
      return role == Role::kOperator || role == Role::kAdmin;
    // Admins only.
    case Permission::kExtensionsWrite:
    case Permission::kConfigRead:
    case Permission::kAuditRead:
      return role == Role::kAdmin;
  }
  return false;
}

std::optional<std::string> Principal::scope() const {
  if (role != Role::kUser) return std::nullopt;
  return extension.value_or("");
}

}  // namespace switchboard::api
