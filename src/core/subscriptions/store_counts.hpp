// The message counts of a mailbox from the store (VoicemailRepository::counts:
// "new" folder = new, "saved" folder = old), read on the worker pool and
// answered on the core thread — the core thread never waits for the database.
#pragma once

#include <boost/asio/any_io_executor.hpp>

#include "core/subscriptions/message_summary.hpp"
#include "store/database.hpp"

namespace switchboard::core {

/// `db` must outlive every lookup (the application joins the worker pool
/// before closing the store).
MessageSummaryPackage::CountsLookup make_store_counts_lookup(store::Database& db,
                                                             boost::asio::any_io_executor workers,
                                                             boost::asio::any_io_executor core);

}  // namespace switchboard::core
