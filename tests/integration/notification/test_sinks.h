// Test support for the notification integration tests: real delivery sinks
// on loopback that the service talks to over its real protocols.
//
//   SmtpSink smtp;                       // smtp://127.0.0.1:<port>
//   HttpSink gateway;                    // http://127.0.0.1:<port>/sms
//   gateway.set_status(500);             // make the "SMS gateway" fail
//   ASSERT_TRUE(smtp.WaitForCount(1, std::chrono::seconds(5)));
//
// Each accepts connections on its own thread and serves each connection on
// another (curl keeps connections alive); both stop in their destructors.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace dermaflow::notification::testing {

// A listening loopback socket with an accept thread; subclasses serve one
// connection per call of Serve (on its own thread).
class LoopbackServer {
 public:
  LoopbackServer();
  virtual ~LoopbackServer();
  int port() const { return port_; }

 protected:
  void Start();
  void StopServing();
  virtual void Serve(int fd) = 0;
  // Reads one CRLF-terminated line (without CRLF); false on EOF.
  static bool ReadLine(int fd, std::string& buffer, std::string* line);
  static bool ReadExactly(int fd, std::string& buffer, size_t n, std::string* out);
  static void WriteAll(int fd, const std::string& data);

  std::mutex mu_;
  std::condition_variable cv_;

 private:
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread acceptor_;
  std::mutex conn_mu_;
  std::vector<std::thread> connections_;
  std::vector<int> fds_;
};

struct Mail {
  std::string mail_from;
  std::vector<std::string> rcpt_to;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string subject;                         // decoded
  std::string body;                            // decoded
};

// A minimal SMTP server: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT.
class SmtpSink : public LoopbackServer {
 public:
  SmtpSink() { Start(); }
  ~SmtpSink() override { StopServing(); }
  std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port()); }
  // The next `count` messages are kept but answered 451 after their data, as
  // when a server took a message and the answer got lost: the sender retries.
  void FailAfterData(int count) { fail_after_data_ = count; }
  std::vector<Mail> mails();
  bool WaitForCount(size_t n, std::chrono::milliseconds timeout);

 protected:
  void Serve(int fd) override;

 private:
  std::vector<Mail> mails_;
  std::atomic<int> fail_after_data_{0};
};

struct HttpRequest {
  std::string method;
  std::string path;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::chrono::steady_clock::time_point received;
};

// A minimal HTTP/1.1 server answering every request with a settable status.
class HttpSink : public LoopbackServer {
 public:
  HttpSink() { Start(); }
  ~HttpSink() override { StopServing(); }
  std::string url(const std::string& path = "/sms") const {
    return "http://127.0.0.1:" + std::to_string(port()) + path;
  }
  void set_status(int status) { status_ = status; }
  // Answers each request this long after reading it (a slow provider).
  void set_delay(std::chrono::milliseconds delay) { delay_ms_ = static_cast<int>(delay.count()); }
  std::vector<HttpRequest> requests();
  size_t count();
  bool WaitForCount(size_t n, std::chrono::milliseconds timeout);

 protected:
  void Serve(int fd) override;

 private:
  std::atomic<int> status_{200};
  std::atomic<int> delay_ms_{0};
  std::vector<HttpRequest> requests_;
};

// Lower-case hex HMAC-SHA256, computed independently of the service's code.
std::string HmacSha256HexForTest(const std::string& key, const std::string& data);

// The value of a JSON string field in a flat JSON object (test use only).
std::string JsonField(const std::string& json, const std::string& name);

}  // namespace dermaflow::notification::testing
