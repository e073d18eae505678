#include "services/protocol/domain/localized_text.h"

#include "absl/strings/ascii.h"

namespace dermaflow::protocol {
namespace {

bool SameTag(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (absl::ascii_tolower(a[i]) != absl::ascii_tolower(b[i])) return false;
  }
  return true;
}

const v1::Translation* FindTag(const v1::LocalizedText& text, std::string_view tag) {
  for (const auto& t : text.translations()) {
    if (SameTag(t.locale(), tag)) return &t;
  }
  return nullptr;
}

}  // namespace

std::string LanguageOf(std::string_view locale) {
  std::string language(locale.substr(0, locale.find_first_of("-_")));
  absl::AsciiStrToLower(&language);
  return language;
}

const v1::Translation* PickTranslation(const v1::LocalizedText& text, std::string_view locale) {
  if (text.translations().empty()) return nullptr;
  if (const auto* t = FindTag(text, locale)) return t;
  if (const auto* t = FindTag(text, LanguageOf(locale))) return t;
  if (const auto* t = FindTag(text, "en")) return t;
  return &text.translations(0);
}

std::string Localize(const v1::LocalizedText& text, std::string_view locale) {
  const v1::Translation* t = PickTranslation(text, locale);
  return t == nullptr ? std::string() : t->text();
}

v1::LocalizedText MakeText(
    std::initializer_list<std::pair<std::string_view, std::string_view>> texts) {
  v1::LocalizedText result;
  for (const auto& [locale, text] : texts) {
    auto* t = result.add_translations();
    t->set_locale(std::string(locale));
    t->set_text(std::string(text));
  }
  return result;
}

}  // namespace dermaflow::protocol
