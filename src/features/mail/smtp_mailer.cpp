#include "features/mail/smtp_mailer.hpp"

#include <curl/curl.h>
#include <fmt/format.h>

#include <cstring>
#include <memory>

#include "features/mail/mime_message.hpp"

namespace switchboard::features::mail {
namespace {

struct Upload {
  std::string_view data;
  std::size_t offset = 0;
};

std::size_t read_upload(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* u = static_cast<Upload*>(user);
  const std::size_t n = std::min(size * count, u->data.size() - u->offset);
  std::memcpy(buffer, u->data.data() + u->offset, n);
  u->offset += n;
  return n;
}

struct EasyDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct ListDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

// Retry decisions read the code; people read the text. curl's messages name
// the host and the SMTP reply but never the credentials.
ErrorCode code_of(CURLcode rc) {
  switch (rc) {
    case CURLE_LOGIN_DENIED:
    case CURLE_REMOTE_ACCESS_DENIED:
    case CURLE_USE_SSL_FAILED:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
      return ErrorCode::kFailedPrecondition;
    default:
      return ErrorCode::kUnavailable;
  }
}

}  // namespace

SmtpMailer::SmtpMailer(SmtpOptions options) : options_(std::move(options)) {
  // Reference-counted by libcurl and thread-safe since 7.84.
  curl_global_init(CURL_GLOBAL_DEFAULT);
}

SmtpMailer::~SmtpMailer() {
  curl_global_cleanup();
}

std::string SmtpMailer::url() const {
  const bool v6 = options_.host.find(':') != std::string::npos;
  return fmt::format("{}://{}{}{}:{}",
                     options_.security == SmtpSecurity::kImplicitTls ? "smtps" : "smtp",
                     v6 ? "[" : "", options_.host, v6 ? "]" : "", options_.port);
}

Status SmtpMailer::send(std::string_view from, std::string_view to, std::string_view message) {
  if (auto s = check_address(from); !s) return s;
  if (auto s = check_address(to); !s) return s;
  if (options_.host.empty() || options_.port <= 0 || options_.port > 65535) {
    return make_error(
        ErrorCode::kInvalidArgument,
        fmt::format("SMTP server {}:{} is not a host and port", options_.host, options_.port));
  }
  std::unique_ptr<CURL, EasyDeleter> curl(curl_easy_init());
  if (!curl) return make_error(ErrorCode::kInternal, "libcurl: cannot create a handle");
  CURL* c = curl.get();
  char error[CURL_ERROR_SIZE] = {0};
  const std::string u = url();
  const std::string mail_from = fmt::format("<{}>", from);
  std::unique_ptr<curl_slist, ListDeleter> rcpt(
      curl_slist_append(nullptr, fmt::format("<{}>", to).c_str()));
  Upload upload{message, 0};

  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // worker threads: no SIGALRM
  curl_easy_setopt(c, CURLOPT_URL, u.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout.count() * 1000));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(std::min<long>(options_.timeout.count(), 10) * 1000));
  if (options_.security == SmtpSecurity::kStartTls) {
    curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  }
  if (options_.security != SmtpSecurity::kNone) {
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, options_.verify_peer ? 1L : 0L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, options_.verify_peer ? 2L : 0L);
    if (!options_.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, options_.ca_file.c_str());
  }
  if (!options_.username.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, options_.username.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, options_.password.reveal().c_str());
  }
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
  curl_easy_setopt(c, CURLOPT_READFUNCTION, read_upload);
  curl_easy_setopt(c, CURLOPT_READDATA, &upload);

  const CURLcode rc = curl_easy_perform(c);
  if (rc == CURLE_OK) return {};
  long reply = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply);
  return make_error(code_of(rc), fmt::format("SMTP {} to {}: {}{}", u, to,
                                             error[0] ? error : curl_easy_strerror(rc),
                                             reply ? fmt::format(" (last reply {})", reply) : ""));
}

}  // namespace switchboard::features::mail
