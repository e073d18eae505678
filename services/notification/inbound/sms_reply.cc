#include "services/notification/inbound/sms_reply.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "services/notification/domain/webhook_signature.h"

namespace dermaflow::notification {
namespace {

std::string Hmac(const EVP_MD* md, std::string_view key, std::string_view data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(md, key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac, &length);
  return std::string(reinterpret_cast<const char*>(mac), length);
}

bool SameBytes(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

// The first word, upper case, without punctuation around it; German
// umlauts spelled out (BESTÄTIGEN -> BESTAETIGEN).
std::string FirstWord(std::string_view text) {
  std::string word;
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (absl::ascii_isalnum(c)) {
      word.push_back(absl::ascii_toupper(c));
    } else if (c == 0xC3 && i + 1 < text.size()) {  // UTF-8 Ä Ö Ü ä ö ü
      const auto next = static_cast<unsigned char>(text[i + 1]);
      if (next == 0x84 || next == 0xA4) word += "AE";
      if (next == 0x96 || next == 0xB6) word += "OE";
      if (next == 0x9C || next == 0xBC) word += "UE";
      ++i;
    } else if (!word.empty()) {
      break;
    }
  }
  return word;
}

// Whether `text` holds nothing but one word (and punctuation or spaces).
bool OnlyWord(std::string_view text) {
  bool in_word = false;
  int words = 0;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    const bool letter = absl::ascii_isalnum(u) || u >= 0x80;
    if (letter && !in_word) ++words;
    in_word = letter;
  }
  return words == 1;
}

}  // namespace

ReplyIntent IntentOf(std::string_view text) {
  static const std::set<std::string> kConfirm = {"JA", "J",           "YES",     "Y",   "OK",
                                                 "1",  "BESTAETIGEN", "CONFIRM", "OKAY"};
  // "No problem", "No worries", "C u tomorrow" must not cancel: these short
  // words cancel only as the whole answer; the unmistakable ones also
  // start a longer one ("Nein, leider nicht").
  static const std::set<std::string> kCancelWord = {"NEIN", "CANCEL", "ABSAGEN", "STORNO"};
  static const std::set<std::string> kCancelAlone = {"N", "NO", "C", "2"};
  const std::string word = FirstWord(text);
  if (kConfirm.contains(word)) return ReplyIntent::kConfirm;
  if (kCancelWord.contains(word)) return ReplyIntent::kCancel;
  if (kCancelAlone.contains(word) && OnlyWord(text)) return ReplyIntent::kCancel;
  return ReplyIntent::kNone;
}

std::string TwilioSignature(std::string_view auth_token, std::string_view url,
                            const std::map<std::string, std::string>& form) {
  std::string data(url);
  for (const auto& [name, value] : form) absl::StrAppend(&data, name, value);
  return absl::Base64Escape(Hmac(EVP_sha1(), auth_token, data));
}

bool TwilioSignatureValid(std::string_view auth_token, std::string_view url,
                          const std::map<std::string, std::string>& form,
                          std::string_view signature) {
  return !auth_token.empty() && SameBytes(TwilioSignature(auth_token, url, form), signature);
}

bool WebhookSignatureValid(std::string_view secret, std::string_view body,
                           std::string_view signature) {
  return !secret.empty() && SameBytes(WebhookSignature(secret, body), signature);
}

}  // namespace dermaflow::notification
