// features/mail's MailService as a process, for the voicemail e-mail
// integration tests (tests/integration/test_voicemail_email.py) until the
// voicemail feature drives it inside switchboard. It uses the real pieces:
// a SQLite store with the built-in migrations, the libcurl mailer, asio
// timers on a core io_context and a two-thread worker pool.
//
//   mail_tool --db FILE [smtp/e-mail options] enqueue --mailbox 1001 --wav F --email A ...
//       a voicemail row and its outbox row in one transaction (the step the
//       voicemail feature takes when it accepts a message); prints its ids
//   mail_tool --db FILE [...] run [--timeout S] [--deposit ...] [--remind]
//       starts the service (pending rows are resumed), optionally deposits a
//       message through MailService::message_stored() and/or builds the
//       reminders; exits 0 once nothing is pending, 2 on timeout
//   mail_tool --db FILE status
//       the outbox rows as JSON lines
//
// The SMTP password comes from the environment (SB_SMTP_PASSWORD), never
// from the command line.
#include <CLI/CLI.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>

#include "common/log.hpp"
#include "common/timers.hpp"
#include "features/mail/mail_service.hpp"
#include "store/database.hpp"
#include "store/extension_repository.hpp"
#include "store/mail_outbox_repository.hpp"
#include "store/migrations.hpp"
#include "store/voicemail_repository.hpp"

namespace asio = boost::asio;
namespace mail = switchboard::features::mail;
namespace store = switchboard::store;
using switchboard::Result;
using switchboard::Status;

namespace {

struct Deposit {
  std::string mailbox = "1001";
  std::string caller_id = "1002";
  std::string caller_name;
  std::int64_t duration_ms = 0;
  std::string wav;
  std::string email;
};

Result<std::int64_t> insert_message(store::Database& db, const Deposit& d) {
  store::VoicemailMessage m;
  m.mailbox = d.mailbox;
  m.caller_id = d.caller_id;
  m.caller_name = d.caller_name;
  m.received_at = store::system_now();
  m.duration_ms = d.duration_ms;
  m.file_path = d.wav;
  return store::VoicemailRepository(db).insert(m);
}

int run_service(store::Database& db, const mail::MailServiceOptions& options, int timeout_s,
                const std::optional<Deposit>& deposit, bool remind) {
  asio::io_context core;
  asio::thread_pool workers(2);
  auto strand = asio::make_strand(workers);
  switchboard::AsioTimers timers(core);
  mail::MailService::Environment env;
  env.db = &db;
  env.timers = &timers;
  env.post_work = [&strand](std::function<void()> f) { asio::post(strand, std::move(f)); };
  env.post_core = [&core](std::function<void()> f) { asio::post(core, std::move(f)); };
  auto service = mail::MailService::create(env, options);
  if (!service) {
    std::cerr << "mail_tool: " << service.error().message << "\n";
    return 1;
  }
  auto& s = **service;
  s.start();
  if (deposit) {
    auto id = insert_message(db, *deposit);  // the voicemail feature stored it…
    if (!id) {
      std::cerr << "mail_tool: " << id.error().message << "\n";
      return 1;
    }
    auto m = store::VoicemailRepository(db).get(*id);
    s.message_stored(*m, deposit->email);  // …and hands it over
    std::cout << nlohmann::json{{"voicemail_id", *id}}.dump() << std::endl;
  }
  if (remind) s.send_reminders_now();

  // Done when nothing is pending; checked on the worker pool every 100 ms.
  int rc = 2;
  const auto deadline = switchboard::Clock::now() + std::chrono::seconds(timeout_s);
  std::function<void()> poll = [&] {
    timers.schedule(std::chrono::milliseconds(100), [&] {
      asio::post(strand, [&] {
        auto next = store::MailOutboxRepository(db).next_due();
        const bool idle = next.ok() && !next->has_value();
        asio::post(core, [&, idle] {
          if (idle) {
            rc = 0;
            core.stop();
          } else if (switchboard::Clock::now() > deadline) {
            core.stop();
          } else {
            poll();
          }
        });
      });
    });
  };
  poll();
  // Work done on the pool leaves the core loop empty for a while: keep it running.
  auto guard = asio::make_work_guard(core);
  core.run();
  s.stop();
  workers.join();
  std::cerr << "mail_tool: sent " << s.stats().sent << ", failed attempts " << s.stats().failed
            << ", cancelled " << s.stats().cancelled << "\n";
  return rc;
}

void print_status(store::Database& db) {
  auto rows = store::MailOutboxRepository(db).list(std::nullopt, 1000);
  if (!rows) {
    std::cerr << "mail_tool: " << rows.error().message << "\n";
    return;
  }
  for (const auto& e : *rows) {
    std::cout << nlohmann::json{{"id", e.id},
                                {"kind", store::to_string(e.kind)},
                                {"status", store::to_string(e.status)},
                                {"recipient", e.recipient},
                                {"mailbox", e.mailbox},
                                {"voicemail_id", e.voicemail_id},
                                {"attempts", e.attempts},
                                {"last_error", e.last_error}}
                     .dump()
              << "\n";
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"features/mail's MailService as a process (integration tests)"};
  std::string db_path;
  mail::MailServiceOptions o;
  std::string security = "starttls";
  int retry_initial_ms = 500, retry_max_ms = 2000, timeout_s = 30;
  app.add_option("--db", db_path, "SQLite file")->required();
  app.add_option("--smtp-host", o.smtp.host);
  app.add_option("--smtp-port", o.smtp.port);
  app.add_option("--security", security)->check(CLI::IsMember({"none", "starttls", "tls"}));
  app.add_option("--user", o.smtp.username);
  app.add_option("--ca-file", o.smtp.ca_file);
  app.add_option("--from", o.email.from_address);
  app.add_option("--from-name", o.email.from_name);
  app.add_option("--subject-template", o.email.subject_template);
  bool no_attachment = false;
  app.add_flag("--no-attachment", no_attachment);
  app.add_flag("--delete-after-email", o.email.delete_after_email);
  app.add_option("--retry-initial-ms", retry_initial_ms);
  app.add_option("--retry-max-ms", retry_max_ms);
  app.require_subcommand(1);

  Deposit enq;
  auto* enqueue = app.add_subcommand("enqueue", "a voicemail and its outbox row, one transaction");
  enqueue->add_option("--mailbox", enq.mailbox);
  enqueue->add_option("--caller-id", enq.caller_id);
  enqueue->add_option("--caller-name", enq.caller_name);
  enqueue->add_option("--duration-ms", enq.duration_ms);
  enqueue->add_option("--wav", enq.wav)->required();
  enqueue->add_option("--email", enq.email)->required();

  Deposit dep;
  bool remind = false;
  auto* run = app.add_subcommand("run", "send until nothing is pending");
  run->add_option("--timeout", timeout_s);
  run->add_option("--deposit-wav", dep.wav, "also deposit a message via message_stored()");
  run->add_option("--deposit-mailbox", dep.mailbox);
  run->add_option("--deposit-caller-id", dep.caller_id);
  run->add_option("--deposit-caller-name", dep.caller_name);
  run->add_option("--deposit-duration-ms", dep.duration_ms);
  run->add_option("--deposit-email", dep.email);
  run->add_flag("--remind", remind, "build the reminders now");
  std::vector<std::string> extension_emails;
  run->add_option("--extension-email", extension_emails, "NUMBER=ADDRESS: an extension's e-mail");
  auto* status = app.add_subcommand("status", "the outbox as JSON lines");
  CLI11_PARSE(app, argc, argv);

  switchboard::log::Settings logging;
  logging.level = "info";
  (void)switchboard::log::configure(logging);
  o.smtp.security = security == "none"  ? mail::SmtpSecurity::kNone
                    : security == "tls" ? mail::SmtpSecurity::kImplicitTls
                                        : mail::SmtpSecurity::kStartTls;
  if (const char* pw = std::getenv("SB_SMTP_PASSWORD")) o.smtp.password = switchboard::Secret(pw);
  o.smtp.timeout = std::chrono::seconds(10);
  o.email.include_attachment = !no_attachment;
  o.retry.initial = std::chrono::milliseconds(retry_initial_ms);
  o.retry.max = std::chrono::milliseconds(retry_max_ms);

  auto db = store::open_database({.url = "sqlite:" + db_path});
  if (!db) {
    std::cerr << "mail_tool: " << db.error().message << "\n";
    return 1;
  }
  if (auto m = store::migrate(**db); !m) {
    std::cerr << "mail_tool: " << m.error().message << "\n";
    return 1;
  }
  if (*enqueue) {
    std::int64_t vm = 0, row = 0;
    auto s = store::transaction(**db, [&]() -> Status {
      auto id = insert_message(**db, enq);
      if (!id) return id.error();
      vm = *id;
      auto m = store::VoicemailRepository(**db).get(vm);
      if (!m) return m.error();
      auto r = mail::MailService::enqueue_voicemail(**db, *m, enq.email);
      if (!r) return r.error();
      row = *r;
      return {};
    });
    if (!s) {
      std::cerr << "mail_tool: " << s.error().message << "\n";
      return 1;
    }
    std::cout << nlohmann::json{{"voicemail_id", vm}, {"outbox_id", row}}.dump() << std::endl;
    return 0;
  }
  if (*status) {
    print_status(**db);
    return 0;
  }
  for (const auto& pair : extension_emails) {
    const auto eq = pair.find('=');
    store::Extension e;
    e.number = pair.substr(0, eq);
    e.email = eq == std::string::npos ? "" : pair.substr(eq + 1);
    if (auto r = store::ExtensionRepository(**db).upsert(e); !r) {
      std::cerr << "mail_tool: " << r.error().message << "\n";
      return 1;
    }
  }
  std::optional<Deposit> deposit;
  if (!dep.wav.empty()) deposit = dep;
  return run_service(**db, o, timeout_s, deposit, remind);
}
