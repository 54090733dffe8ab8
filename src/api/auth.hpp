// Who is asking: a bearer token (an API token from the admin CLI or a login
// session's token) or the session cookie; logins by extension and password
// with a per-source and per-account lockout. API thread; the store is the
// thread-safe Database.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "api/http_types.hpp"
#include "api/rbac.hpp"
#include "store/database.hpp"

namespace switchboard::api {

using Clock = std::chrono::steady_clock;

struct LoginPolicy {
  int max_failures = 5;  ///< within window → lockout
  std::chrono::seconds window{300};
  std::chrono::seconds lockout{900};
  std::chrono::seconds session_ttl{8 * 3600};
};

/// Failure counts per key (a source IP, an account).
class LoginLimiter {
 public:
  explicit LoginLimiter(LoginPolicy policy) : policy_(policy) {}
  /// Seconds until `key` may try again; 0 when it may now.
  std::int64_t locked_for(const std::string& key, Clock::time_point now);
  /// True when this failure locked `key` out.
  bool record_failure(const std::string& key, Clock::time_point now);
  void reset(const std::string& key);

 private:
  struct Entry {
    int failures = 0;
    Clock::time_point first{};
    Clock::time_point locked_until{};
  };
  LoginPolicy policy_;
  std::map<std::string, Entry> entries_;
};

/// Login sessions by the SHA-256 of their token; in memory (a restart logs
/// everyone out).
class SessionStore {
 public:
  /// Returns the new session's token.
  std::string create(Principal principal, Clock::time_point expires);
  std::optional<Principal> find(std::string_view token, Clock::time_point now);
  void remove(std::string_view token);

 private:
  struct Entry {
    Principal principal;
    Clock::time_point expires;
  };
  std::mutex mutex_;
  std::map<std::string, Entry> by_hash_;  // guarded by mutex_
};

enum class LoginOutcome { kOk, kBadCredentials, kLockedOut };

struct LoginResult {
  LoginOutcome outcome = LoginOutcome::kBadCredentials;
  std::string token;             ///< kOk
  Principal principal;           ///< kOk
  std::int64_t retry_after = 0;  ///< kLockedOut
};

struct AuthStats {
  std::uint64_t login_ok = 0, login_failures = 0, lockouts = 0, rejected_credentials = 0;
};

class Authenticator {
 public:
  Authenticator(store::Database& db, LoginPolicy policy)
      : db_(db), policy_(policy), limiter_(policy) {}

  /// The principal of `req` (Authorization: Bearer, or the sb_session
  /// cookie); nullopt when it carries none or a bad one.
  std::optional<Principal> identify(const Request& req);
  LoginResult login(const std::string& extension, const std::string& password,
                    const std::string& source_ip);
  void logout(const Request& req);
  const LoginPolicy& policy() const { return policy_; }
  AuthStats stats();

  static constexpr const char* kCookie = "sb_session";

 private:
  std::optional<Principal> from_token(const std::string& token);

  store::Database& db_;
  LoginPolicy policy_;
  std::mutex mutex_;      // limiter_ and stats_
  LoginLimiter limiter_;  // guarded by mutex_
  AuthStats stats_;       // guarded by mutex_
  SessionStore sessions_;
};

/// The bearer token or session cookie of `req`, or "".
std::string credential_of(const Request& req);

}  // namespace switchboard::api
