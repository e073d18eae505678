// ListReminders on Redis: with a patient, the patient's index read whole
// and sorted; without, the state sets merged in (due, id) order (queue,
// retry and done scanned by score; in-flight and dead letters, scored by
// other times, loaded whole), at most 5 000 candidates per page.
//
//   DF_ASSIGN_OR_RETURN(ReminderPage page,
//                       ListStoredReminders(redis, storage, org, filter, 50, after));
#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "common/redis/redis_client.h"
#include "services/notification/store/list_cursor.h"
#include "services/notification/store/record_storage.h"
#include "services/notification/store/reminder_filter.h"
#include "services/notification/store/reminder_queue.h"

namespace dermaflow::notification {

absl::StatusOr<ReminderPage> ListStoredReminders(common::RedisClient& redis, RecordStorage& storage,
                                                 const std::string& org,
                                                 const ReminderFilter& filter, int page_size,
                                                 const std::optional<ListCursor>& after);

}  // namespace dermaflow::notification
