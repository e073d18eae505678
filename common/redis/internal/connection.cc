#include "common/redis/internal/connection.h"

#include <hiredis/hiredis.h>
#include <poll.h>
#include <signal.h>

#include <cerrno>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "common/redis/internal/node_error.h"
#include "common/status/macros.h"

namespace dermaflow::common::redis_internal {
namespace {

struct ReplyDeleter {
  void operator()(void* reply) const { freeReplyObject(reply); }
};

absl::Status Unavailable(absl::string_view endpoint, absl::string_view what) {
  return absl::UnavailableError(absl::StrCat("redis ", endpoint, ": ", what));
}

// hiredis 0.14 writes with write(2), not send(MSG_NOSIGNAL): writing to a
// connection Redis has just reset raises SIGPIPE, whose default action would
// kill the whole service. Only the default is replaced, never a handler the
// program installed itself.
void IgnoreSigpipeOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction current {};
    if (sigaction(SIGPIPE, nullptr, &current) == 0 && current.sa_handler == SIG_DFL) {
      signal(SIGPIPE, SIG_IGN);
    }
  });
}

}  // namespace

Connection::Connection(redisContext* context, std::string endpoint, absl::Duration timeout)
    : context_(context), endpoint_(std::move(endpoint)), socket_timeout_(timeout) {}

Connection::~Connection() { redisFree(context_); }

absl::StatusOr<std::unique_ptr<Connection>> Connection::Open(const RedisOptions& options) {
  IgnoreSigpipeOnce();
  std::string endpoint = RedisEndpoint(options);
  redisContext* context = redisConnectWithTimeout(options.host.c_str(), options.port,
                                                  absl::ToTimeval(options.connect_timeout));
  if (context == nullptr) return Unavailable(endpoint, "cannot allocate a connection");
  if (context->err != 0) {
    std::string error = absl::StrCat("connect failed: ", context->errstr);
    redisFree(context);
    return Unavailable(endpoint, error);
  }
  // Until the first Execute sets the command timeout, AUTH and SELECT get
  // the connect timeout: they are part of connecting.
  if (redisSetTimeout(context, absl::ToTimeval(options.connect_timeout)) != REDIS_OK) {
    redisFree(context);
    return Unavailable(endpoint, "cannot set socket timeout");
  }
  // Keepalive notices peers that vanished without a FIN (a crashed host).
  redisEnableKeepAlive(context);
  auto connection = std::unique_ptr<Connection>(
      new Connection(context, std::move(endpoint), options.connect_timeout));

  std::vector<std::vector<std::string>> setup;
  if (!options.password.empty()) {
    if (options.username.empty()) {
      setup.push_back({"AUTH", options.password});
    } else {
      setup.push_back({"AUTH", options.username, options.password});
    }
  }
  if (options.db != 0) setup.push_back({"SELECT", absl::StrCat(options.db)});
  if (!setup.empty()) {
    DF_ASSIGN_OR_RETURN(std::vector<RedisReply> replies,
                        connection->Execute(setup, options.connect_timeout));
    for (size_t i = 0; i < replies.size(); ++i) {
      if (replies[i].is_error()) {
        return Unavailable(connection->endpoint_,
                           absl::StrCat(setup[i][0], " refused: ", replies[i].str()));
      }
    }
  }
  return connection;
}

absl::Status Connection::Fail(absl::string_view what, absl::Duration timeout) {
  broken_ = true;
  // hiredis reports a socket timeout as EAGAIN; say "timed out" so the
  // message is useful in logs.
  bool timed_out = context_->err == REDIS_ERR_IO && (errno == EAGAIN || errno == EWOULDBLOCK);
  if (metrics_ != nullptr) metrics_->OnNodeError(node_, timed_out ? "timeout" : "io");
  if (timed_out) {
    return Unavailable(endpoint_,
                       absl::StrCat(what, " timed out after ", absl::FormatDuration(timeout)));
  }
  return Unavailable(endpoint_, absl::StrCat(what, " failed: ", context_->errstr));
}

absl::Status Connection::UseTimeout(absl::Duration timeout) {
  if (broken_) return Unavailable(endpoint_, "connection is broken");
  if (timeout != socket_timeout_) {
    if (redisSetTimeout(context_, absl::ToTimeval(timeout)) != REDIS_OK) {
      return Fail("setting the socket timeout", timeout);
    }
    socket_timeout_ = timeout;
  }
  return absl::OkStatus();
}

absl::Status Connection::Append(const std::vector<std::string>& command, absl::Duration timeout) {
  argv_.clear();
  argv_len_.clear();
  for (const std::string& arg : command) {
    argv_.push_back(arg.data());
    argv_len_.push_back(arg.size());
  }
  // Appending only buffers; the first redisGetReply (or Send) writes
  // everything, so a pipeline costs one round trip.
  if (redisAppendCommandArgv(context_, static_cast<int>(argv_.size()), argv_.data(),
                             argv_len_.data()) != REDIS_OK) {
    return Fail("buffering a command", timeout);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<RedisReply>> Connection::Execute(
    const std::vector<std::vector<std::string>>& commands, absl::Duration timeout) {
  DF_RETURN_IF_ERROR(UseTimeout(timeout));
  for (const std::vector<std::string>& command : commands) {
    DF_RETURN_IF_ERROR(Append(command, timeout));
  }
  return Receive(commands.size(), timeout);
}

absl::Status Connection::Send(const std::vector<const std::vector<std::string>*>& commands,
                              absl::Duration timeout) {
  DF_RETURN_IF_ERROR(UseTimeout(timeout));
  for (const std::vector<std::string>* command : commands) {
    DF_RETURN_IF_ERROR(Append(*command, timeout));
  }
  // The socket blocks (with the timeout), so each call writes what it can
  // and the loop ends when the buffer is empty.
  int done = 0;
  while (done == 0) {
    errno = 0;
    if (redisBufferWrite(context_, &done) != REDIS_OK) return Fail("sending", timeout);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<RedisReply>> Connection::Receive(size_t count, absl::Duration timeout) {
  if (broken_) return Unavailable(endpoint_, "connection is broken");
  std::vector<RedisReply> replies;
  replies.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    void* raw = nullptr;
    errno = 0;
    if (redisGetReply(context_, &raw) != REDIS_OK || raw == nullptr) {
      return Fail("command", timeout);
    }
    std::unique_ptr<void, ReplyDeleter> owned(raw);
    replies.push_back(RedisReply::FromHiredis(*static_cast<redisReply*>(raw)));
    if (metrics_ != nullptr && replies.back().is_error()) {
      const std::string_view kind = NodeErrorKindOfReply(replies.back());
      if (!kind.empty()) metrics_->OnNodeError(node_, kind);
    }
  }
  return replies;
}

absl::StatusOr<std::optional<RedisReply>> Connection::ReadPushed(absl::Duration wait) {
  if (broken_) return Unavailable(endpoint_, "connection is broken");
  void* raw = nullptr;
  // A message may already sit in hiredis's buffer, read with an earlier one.
  if (redisGetReplyFromReader(context_, &raw) != REDIS_OK) return Fail("reading a message", wait);
  if (raw == nullptr) {
    pollfd fd{.fd = context_->fd, .events = POLLIN, .revents = 0};
    const int ready = poll(&fd, 1, static_cast<int>(absl::ToInt64Milliseconds(wait)));
    if (ready == 0 || (ready < 0 && errno == EINTR)) return std::nullopt;
    if (ready < 0 || redisBufferRead(context_) != REDIS_OK ||
        redisGetReplyFromReader(context_, &raw) != REDIS_OK) {
      return Fail("reading a message", wait);
    }
    if (raw == nullptr) return std::nullopt;
  }
  std::unique_ptr<void, ReplyDeleter> owned(raw);
  return RedisReply::FromHiredis(*static_cast<redisReply*>(raw));
}

bool Connection::LooksAlive() const {
  if (broken_ || context_->err != 0) return false;
  pollfd fd{.fd = context_->fd, .events = POLLIN, .revents = 0};
  // Readable while idle means EOF, a reset, or bytes nobody asked for; in
  // every case the connection cannot be used for a new command.
  return poll(&fd, 1, 0) == 0;
}

}  // namespace dermaflow::common::redis_internal
