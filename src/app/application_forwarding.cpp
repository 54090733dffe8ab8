// Call forwarding (issue 7 §3): the service behind the router's forwarding
// hooks (feature codes, unconditional forwarding) and the B2BUA's policy on
// busy / no answer. The config's extensions[].forward are the defaults;
// what an extension sets itself with feature codes is kept in the store
// (call_forwarding) and read back at start-up.
#include <boost/asio/post.hpp>
#include <map>
#include <set>

#include "app/application.hpp"
#include "common/log.hpp"
#include "core/call/b2bua.hpp"
#include "features/forwarding/service.hpp"
#include "store/forwarding_repository.hpp"

namespace switchboard::app {

namespace fwd = features::forwarding;

bool Application::start_forwarding() {
  auto logger = log::get("forwarding");
  forwarding_ = std::make_unique<fwd::ForwardingService>(
      [this](std::string_view number) { return router_->classify(number); },
      [this](const fwd::UserRule& rule) {
        // Blocking store write on the worker pool; the table already has it.
        boost::asio::post(workers_, [this, rule] {
          store::ForwardingRepository repo(*db_);
          auto stored = repo.set(
              {rule.extension, fwd::to_string(rule.condition), rule.target, rule.extension});
          if (!stored) {
            boost::asio::post(core_, [e = stored.error()] {
              log::get("forwarding")->error("storing a forwarding rule: {}", e.message);
            });
          }
        });
      });
  apply_forwarding(*config_);
  // Start-up: the rules extensions set themselves, before any call.
  auto rows = store::ForwardingRepository(*db_).list();
  if (!rows) {
    logger->error("reading forwarding rules: {}", rows.error().message);
    return false;
  }
  std::vector<fwd::UserRule> rules;
  for (const auto& r : *rows) {
    if (auto c = fwd::condition_from(r.condition)) rules.push_back({r.extension, *c, r.target});
  }
  forwarding_->table().set_user_rules(rules);
  router_->add_hook("forwarding-codes",
                    [this](const core::RouteRequest& rq, core::RouteDecision& d) {
                      return forwarding_->route_feature_code(rq, d);
                    });
  router_->add_hook("forwarding", [this](const core::RouteRequest& rq, core::RouteDecision& d) {
    return forwarding_->route_always(rq, d);
  });
  b2bua_->set_app(core::TargetKind::kFeatureCode, forwarding_->app_factory());
  b2bua_->set_forwarding_policy(forwarding_.get());
  logger->info("call forwarding: {} rule(s) set by extensions, codes {}/{} {}/{} {}/{}",
               rules.size(), forwarding_->codes().set_always, forwarding_->codes().clear_always,
               forwarding_->codes().set_busy, forwarding_->codes().clear_busy,
               forwarding_->codes().set_no_answer, forwarding_->codes().clear_no_answer);
  return true;
}

void Application::apply_forwarding(const config::Config& cfg) {
  if (!forwarding_) return;
  std::map<std::string, fwd::Rules> defaults;
  std::set<std::string> outside;
  for (const auto& e : cfg.extensions) {
    if (e.allow_external) outside.insert(e.number);
    const auto& f = e.forward;
    if (f.always.empty() && f.busy.empty() && f.no_answer.empty() && f.no_answer_timeout == 0) {
      continue;
    }
    fwd::Rules r{f.always, f.busy, f.no_answer, std::nullopt};
    if (f.no_answer_timeout > 0) r.no_answer_timeout = std::chrono::seconds(f.no_answer_timeout);
    defaults.emplace(e.number, std::move(r));
  }
  for (const auto& e : api_extensions_) {
    if (e.enabled && e.allow_external) outside.insert(e.number);
  }
  forwarding_->table().set_defaults(std::move(defaults), std::move(outside));
  const auto& c = cfg.features.forwarding_codes;
  forwarding_->set_codes(
      {c.set_always, c.clear_always, c.set_busy, c.clear_busy, c.set_no_answer, c.clear_no_answer});
}

}  // namespace switchboard::app
