#include "services/patient/domain/locales.h"

#include <algorithm>
#include <cctype>

namespace dermaflow::patient {

const std::vector<std::string_view>& SupportedLanguages() {
  // German for the clinics in Germany and Austria, English for everyone
  // else (DOMAIN.md: "German or English at least").
  static const auto* const kLanguages = new std::vector<std::string_view>{"de", "en"};
  return *kLanguages;
}

std::optional<std::string> CanonicalLocale(std::string_view tag) {
  const size_t dash = tag.find('-');
  std::string language(tag.substr(0, dash));
  std::transform(language.begin(), language.end(), language.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const auto& languages = SupportedLanguages();
  if (std::find(languages.begin(), languages.end(), language) == languages.end()) {
    return std::nullopt;
  }
  if (dash == std::string_view::npos) return language;
  std::string region(tag.substr(dash + 1));
  const bool letters =
      region.size() == 2 && std::all_of(region.begin(), region.end(),
                                        [](unsigned char c) { return std::isalpha(c) != 0; });
  const bool digits =
      region.size() == 3 && std::all_of(region.begin(), region.end(),
                                        [](unsigned char c) { return std::isdigit(c) != 0; });
  if (!letters && !digits) return std::nullopt;
  std::transform(region.begin(), region.end(), region.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return language + "-" + region;
}

}  // namespace dermaflow::patient
