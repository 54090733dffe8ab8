#include "api/auth.hpp"

#include "api/auth_crypto.hpp"
#include "store/api_token_repository.hpp"
#include "store/user_repository.hpp"

namespace switchboard::api {

namespace http = boost::beast::http;

std::int64_t LoginLimiter::locked_for(const std::string& key, Clock::time_point now) {
  auto it = entries_.find(key);
  if (it == entries_.end() || it->second.locked_until <= now) return 0;
  return std::chrono::duration_cast<std::chrono::seconds>(it->second.locked_until - now).count() +
         1;
}

bool LoginLimiter::record_failure(const std::string& key, Clock::time_point now) {
  auto& e = entries_[key];
  if (e.failures == 0 || now - e.first > policy_.window) {
    e.failures = 0;
    e.first = now;
  }
  if (++e.failures >= policy_.max_failures) {
    e.locked_until = now + policy_.lockout;
    e.failures = 0;
    return true;
  }
  return false;
}

void LoginLimiter::reset(const std::string& key) {
  entries_.erase(key);
}

std::string SessionStore::create(Principal principal, Clock::time_point expires) {
  std::string token = random_token();
  std::lock_guard lock(mutex_);
  const auto now = Clock::now();
  for (auto it = by_hash_.begin(); it != by_hash_.end();) {  // prune the expired
    it = it->second.expires <= now ? by_hash_.erase(it) : std::next(it);
  }
  by_hash_[sha256_hex(token)] = Entry{std::move(principal), expires};
  return token;
}

std::optional<Principal> SessionStore::find(std::string_view token, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  auto it = by_hash_.find(sha256_hex(token));
  if (it == by_hash_.end() || it->second.expires <= now) return std::nullopt;
  return it->second.principal;
}

void SessionStore::remove(std::string_view token) {
  std::lock_guard lock(mutex_);
  by_hash_.erase(sha256_hex(token));
}

std::string credential_of(const Request& req) {
  const std::string_view auth = sv(req[http::field::authorization]);
  constexpr std::string_view kBearer = "Bearer ";
  if (auth.size() > kBearer.size() && auth.substr(0, kBearer.size()) == kBearer) {
    return std::string(auth.substr(kBearer.size()));
  }
  const std::string_view cookies = sv(req[http::field::cookie]);
  const std::string key = std::string(Authenticator::kCookie) + "=";
  size_t pos = 0;
  while (pos < cookies.size()) {
    while (pos < cookies.size() && (cookies[pos] == ' ' || cookies[pos] == ';')) ++pos;
    size_t end = cookies.find(';', pos);
    if (end == std::string_view::npos) end = cookies.size();
    std::string_view c = cookies.substr(pos, end - pos);
    if (c.substr(0, key.size()) == key) return std::string(c.substr(key.size()));
    pos = end;
  }
  return "";
}

std::optional<Principal> Authenticator::from_token(const std::string& token) {
  if (token.size() > 128) return std::nullopt;
  if (auto p = sessions_.find(token, Clock::now())) return p;
  store::ApiTokenRepository repo(db_);
  // The lookup is by SHA-256: equal hashes are the comparison, and the
  // database never sees the token itself.
  auto t = repo.find_by_hash(sha256_hex(token));
  if (!t) return std::nullopt;
  auto role = role_from(t->role);
  if (!role) return std::nullopt;
  return Principal{"token:" + t->name, *role, t->extension};
}

std::optional<Principal> Authenticator::identify(const Request& req) {
  const std::string token = credential_of(req);
  if (token.empty()) return std::nullopt;
  auto p = from_token(token);
  if (!p) {
    std::lock_guard lock(mutex_);
    ++stats_.rejected_credentials;
  }
  return p;
}

LoginResult Authenticator::login(const std::string& extension, const std::string& password,
                                 const std::string& source_ip) {
  const auto now = Clock::now();
  const std::string ip_key = "ip:" + source_ip, account_key = "ext:" + extension;
  LoginResult result;
  {
    std::lock_guard lock(mutex_);
    const auto wait =
        std::max(limiter_.locked_for(ip_key, now), limiter_.locked_for(account_key, now));
    if (wait > 0) {
      ++stats_.login_failures;
      result.outcome = LoginOutcome::kLockedOut;
      result.retry_after = wait;
      return result;
    }
  }
  store::UserRepository users(db_);
  auto user = users.find_by_extension(extension);
  // Verify against a dummy hash when the user is unknown: same cost, so the
  // timing does not tell which extensions have accounts.
  static const std::string kDummy = hash_password("not a password", 100000);
  const bool ok = verify_password(password, user ? user->password_hash : kDummy) && user &&
                  user->enabled && role_from(user->role).has_value();
  std::lock_guard lock(mutex_);
  if (!ok) {
    ++stats_.login_failures;
    const bool a = limiter_.record_failure(ip_key, now);
    const bool b = limiter_.record_failure(account_key, now);
    if (a || b) ++stats_.lockouts;
    return result;
  }
  limiter_.reset(ip_key);
  limiter_.reset(account_key);
  ++stats_.login_ok;
  result.outcome = LoginOutcome::kOk;
  result.principal = Principal{user->username, *role_from(user->role), user->extension};
  result.token = sessions_.create(result.principal, now + policy_.session_ttl);
  return result;
}

void Authenticator::logout(const Request& req) {
  const std::string token = credential_of(req);
  if (!token.empty()) sessions_.remove(token);
}

AuthStats Authenticator::stats() {
  std::lock_guard lock(mutex_);
  return stats_;
}

}  // namespace switchboard::api
