#include "core/subscriptions/store_counts.hpp"

#include <boost/asio/post.hpp>

#include "store/voicemail_repository.hpp"

namespace switchboard::core {

MessageSummaryPackage::CountsLookup make_store_counts_lookup(store::Database& db,
                                                             boost::asio::any_io_executor workers,
                                                             boost::asio::any_io_executor core) {
  return [&db, workers, core](const std::string& mailbox,
                              MessageSummaryPackage::CountsCallback done) {
    boost::asio::post(workers, [&db, core, mailbox, done = std::move(done)]() mutable {
      store::VoicemailRepository repo(db);
      auto c = repo.counts(mailbox);
      Result<MessageCounts> out =
          c.ok() ? Result<MessageCounts>(MessageCounts{c->new_messages, c->saved_messages})
                 : Result<MessageCounts>(c.error());
      boost::asio::post(
          core, [done = std::move(done), out = std::move(out)]() mutable { done(std::move(out)); });
    });
  };
}

}  // namespace switchboard::core
