#include "tests/integration/notification/test_sinks.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace dermaflow::notification::testing {
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string Base64Decode(const std::string& in) {
  std::string clean;
  for (char c : in) {
    if (!std::isspace(static_cast<unsigned char>(c))) clean.push_back(c);
  }
  std::string out(clean.size(), '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(clean.data()),
                          static_cast<int>(clean.size()));
  if (n < 0) return "";
  size_t pad = 0;
  while (pad < clean.size() && clean[clean.size() - 1 - pad] == '=') ++pad;
  out.resize(n - pad);
  return out;
}

// Splits "Name: value" header lines; folded lines (CRLF + space) are joined.
std::map<std::string, std::string> ParseHeaders(const std::string& block) {
  std::map<std::string, std::string> headers;
  size_t start = 0;
  while (start < block.size()) {
    size_t end = block.find("\r\n", start);
    while (end != std::string::npos && end + 2 < block.size() &&
           (block[end + 2] == ' ' || block[end + 2] == '\t')) {
      end = block.find("\r\n", end + 2);
    }
    if (end == std::string::npos) end = block.size();
    std::string line = block.substr(start, end - start);
    for (size_t fold; (fold = line.find("\r\n")) != std::string::npos;) line.erase(fold, 2);
    const size_t colon = line.find(':');
    if (colon != std::string::npos) {
      std::string value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      headers[Lower(line.substr(0, colon))] = value;
    }
    start = end + 2;
  }
  return headers;
}

// RFC 2047 "=?UTF-8?B?...?=" words (as the SMTP channel writes them),
// whitespace between adjacent words dropped; other text kept.
std::string DecodeEncodedWords(const std::string& value) {
  std::string out;
  size_t pos = 0;
  bool last_was_word = false;
  while (pos < value.size()) {
    const size_t start = value.find("=?UTF-8?B?", pos);
    if (start == std::string::npos) {
      out += value.substr(pos);
      break;
    }
    const std::string between = value.substr(pos, start - pos);
    if (!(last_was_word && between.find_first_not_of(" \t") == std::string::npos)) out += between;
    const size_t end = value.find("?=", start + 10);
    if (end == std::string::npos) {
      out += value.substr(start);
      break;
    }
    out += Base64Decode(value.substr(start + 10, end - start - 10));
    pos = end + 2;
    last_was_word = true;
  }
  return out;
}

}  // namespace

LoopbackServer::LoopbackServer() {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      ::listen(listen_fd_, 64) != 0) {
    throw std::runtime_error("test sink: cannot listen on loopback");
  }
  socklen_t len = sizeof(addr);
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
}

LoopbackServer::~LoopbackServer() = default;

void LoopbackServer::Start() {
  acceptor_ = std::thread([this] {
    while (!stopping_) {
      int fd = ::accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) {
        if (stopping_) return;
        continue;
      }
      std::lock_guard<std::mutex> lock(conn_mu_);
      fds_.push_back(fd);
      connections_.emplace_back([this, fd] { Serve(fd); });
    }
  });
}

void LoopbackServer::StopServing() {
  stopping_ = true;
  ::shutdown(listen_fd_, SHUT_RDWR);
  ::close(listen_fd_);
  if (acceptor_.joinable()) acceptor_.join();
  std::lock_guard<std::mutex> lock(conn_mu_);
  for (int fd : fds_) ::shutdown(fd, SHUT_RDWR);
  for (std::thread& t : connections_) t.join();
  for (int fd : fds_) ::close(fd);
}

bool LoopbackServer::ReadLine(int fd, std::string& buffer, std::string* line) {
  while (true) {
    const size_t end = buffer.find("\r\n");
    if (end != std::string::npos) {
      *line = buffer.substr(0, end);
      buffer.erase(0, end + 2);
      return true;
    }
    char chunk[4096];
    const ssize_t n = ::read(fd, chunk, sizeof(chunk));
    if (n <= 0) return false;
    buffer.append(chunk, n);
  }
}

bool LoopbackServer::ReadExactly(int fd, std::string& buffer, size_t n, std::string* out) {
  while (buffer.size() < n) {
    char chunk[4096];
    const ssize_t got = ::read(fd, chunk, sizeof(chunk));
    if (got <= 0) return false;
    buffer.append(chunk, got);
  }
  *out = buffer.substr(0, n);
  buffer.erase(0, n);
  return true;
}

void LoopbackServer::WriteAll(int fd, const std::string& data) {
  size_t sent = 0;
  while (sent < data.size()) {
    const ssize_t n = ::write(fd, data.data() + sent, data.size() - sent);
    if (n <= 0) return;
    sent += n;
  }
}

void SmtpSink::Serve(int fd) {
  std::string buffer;
  std::string line;
  Mail mail;
  WriteAll(fd, "220 test-smtp ESMTP\r\n");
  while (ReadLine(fd, buffer, &line)) {
    const std::string verb = Lower(line.substr(0, 4));
    if (verb == "ehlo" || verb == "helo") {
      WriteAll(fd, "250 test-smtp\r\n");
    } else if (verb == "mail") {
      mail = Mail();
      mail.mail_from = line.substr(line.find(':') + 1);
      WriteAll(fd, "250 OK\r\n");
    } else if (verb == "rcpt") {
      mail.rcpt_to.push_back(line.substr(line.find(':') + 1));
      WriteAll(fd, "250 OK\r\n");
    } else if (verb == "data") {
      WriteAll(fd, "354 go ahead\r\n");
      std::string data;
      while (ReadLine(fd, buffer, &line) && line != ".") {
        if (!line.empty() && line[0] == '.') line.erase(0, 1);  // dot-stuffing
        data += line + "\r\n";
      }
      const size_t split = data.find("\r\n\r\n");
      mail.headers = ParseHeaders(data.substr(0, split));
      const std::string raw_body = split == std::string::npos ? "" : data.substr(split + 4);
      mail.body = Lower(mail.headers["content-transfer-encoding"]) == "base64"
                      ? Base64Decode(raw_body)
                      : raw_body;
      mail.subject = DecodeEncodedWords(mail.headers["subject"]);
      {
        std::lock_guard<std::mutex> lock(mu_);
        mails_.push_back(mail);
      }
      cv_.notify_all();
      if (fail_after_data_.fetch_sub(1) > 0) {
        WriteAll(fd, "451 try again later\r\n");
      } else {
        fail_after_data_ = 0;
        WriteAll(fd, "250 queued\r\n");
      }
    } else if (verb == "quit") {
      WriteAll(fd, "221 bye\r\n");
      return;
    } else {
      WriteAll(fd, "250 OK\r\n");  // RSET, NOOP
    }
  }
}

std::vector<Mail> SmtpSink::mails() {
  std::lock_guard<std::mutex> lock(mu_);
  return mails_;
}

bool SmtpSink::WaitForCount(size_t n, std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  return cv_.wait_for(lock, timeout, [&] { return mails_.size() >= n; });
}

void HttpSink::Serve(int fd) {
  std::string buffer;
  std::string line;
  while (ReadLine(fd, buffer, &line)) {
    HttpRequest request;
    const size_t sp1 = line.find(' ');
    const size_t sp2 = line.find(' ', sp1 + 1);
    request.method = line.substr(0, sp1);
    request.path = line.substr(sp1 + 1, sp2 - sp1 - 1);
    std::string header_block;
    while (ReadLine(fd, buffer, &line) && !line.empty()) header_block += line + "\r\n";
    request.headers = ParseHeaders(header_block);
    const size_t length =
        std::stoul(request.headers.count("content-length") ? request.headers["content-length"]
                                                           : std::string("0"));
    if (!ReadExactly(fd, buffer, length, &request.body)) return;
    request.received = std::chrono::steady_clock::now();
    const int status = status_;
    {
      std::lock_guard<std::mutex> lock(mu_);
      requests_.push_back(std::move(request));
    }
    cv_.notify_all();
    if (delay_ms_ > 0) std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms_));
    WriteAll(fd, "HTTP/1.1 " + std::to_string(status) + (status < 300 ? " OK" : " Error") +
                     "\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n");
  }
}

std::vector<HttpRequest> HttpSink::requests() {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_;
}

size_t HttpSink::count() {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_.size();
}

bool HttpSink::WaitForCount(size_t n, std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  return cv_.wait_for(lock, timeout, [&] { return requests_.size() >= n; });
}

std::string HmacSha256HexForTest(const std::string& key, const std::string& data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac, &length);
  std::string hex;
  char byte[3];
  for (unsigned int i = 0; i < length; ++i) {
    snprintf(byte, sizeof(byte), "%02x", mac[i]);
    hex += byte;
  }
  return hex;
}

std::string JsonField(const std::string& json, const std::string& name) {
  const std::string key = "\"" + name + "\":\"";
  size_t start = json.find(key);
  if (start == std::string::npos) return "";
  start += key.size();
  std::string out;
  for (size_t i = start; i < json.size() && json[i] != '"'; ++i) {
    if (json[i] == '\\' && i + 1 < json.size()) {
      ++i;
      out += json[i] == 'n' ? '\n' : json[i];
    } else {
      out += json[i];
    }
  }
  return out;
}

}  // namespace dermaflow::notification::testing
