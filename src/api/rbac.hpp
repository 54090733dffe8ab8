// Roles and the one permission matrix of the API. A user sees and controls
// only their own extension — its calls, presence, voicemail, the queues it
// answers (handlers narrow by Principal::scope()); an operator sees all
// calls, presence, mailboxes and queues and may hang calls up; only an admin
// changes configuration and extensions or reads the audit log.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace switchboard::api {

enum class Role { kUser, kOperator, kAdmin };

enum class Permission {
  kPublic,  ///< no authentication (health, login, the OpenAPI document)
  kStatusRead,
  kExtensionsRead,
  kExtensionsWrite,
  kRegistrationsRead,
  kCallsRead,
  kCallsControl,
  kCallsOriginate,  ///< click-to-dial; users from their own extension only
  kCallsRecord,     ///< start/stop recording; users only calls of their own extension
  kCallsTransfer,   ///< blind transfer, park; users only calls of their own extension
  kVoicemailAdmin,  ///< PIN lockouts
  kCdrRead,
  kStatsRead,
  kConfigRead,
  kAuditRead,
  kMetricsRead,
  kEventsRead,
  kPresenceRead,
  kPresenceWrite,
  kVoicemailRead,
  kVoicemailWrite,
  kQueuesRead,
};

const char* to_string(Role r);
std::optional<Role> role_from(std::string_view text);
const char* to_string(Permission p);

/// The matrix.
bool allowed(Role role, Permission permission);

/// Who is asking.
struct Principal {
  std::string actor;  ///< audit name: "token:<name>", a username
  Role role = Role::kUser;
  std::optional<std::string> extension;  ///< a user's own extension

  /// The extension a request is confined to: a user's own (or "" when the
  /// user has none: nothing is visible), nullopt for operators and admins.
  std::optional<std::string> scope() const;
};

}  // namespace switchboard::api
