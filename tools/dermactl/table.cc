#include "tools/dermactl/table.h"

#include <algorithm>
#include <ostream>

namespace dermaflow::dermactl {
namespace {

void Pad(std::ostream& out, const std::string& text, size_t width) {
  out << text;
  for (size_t w = DisplayWidth(text); w < width; ++w) out << ' ';
}

}  // namespace

size_t DisplayWidth(const std::string& text) {
  size_t width = 0;
  for (unsigned char c : text) width += (c & 0xC0) != 0x80;  // skip continuation bytes
  return width;
}

void Table::Print(std::ostream& out, const std::string& empty_text) const {
  if (rows_.empty()) {
    out << empty_text << "\n";
    return;
  }
  std::vector<size_t> widths(header_.size(), 0);
  for (size_t c = 0; c < header_.size(); ++c) widths[c] = DisplayWidth(header_[c]);
  for (const auto& row : rows_) {
    for (size_t c = 0; c < row.size() && c < widths.size(); ++c) {
      widths[c] = std::max(widths[c], DisplayWidth(row[c]));
    }
  }
  auto print_row = [&](const std::vector<std::string>& row) {
    for (size_t c = 0; c < widths.size(); ++c) {
      const std::string& cell = c < row.size() ? row[c] : std::string();
      if (c + 1 == widths.size()) {
        out << cell;  // no trailing blanks
      } else {
        Pad(out, cell, widths[c] + 2);
      }
    }
    out << "\n";
  };
  print_row(header_);
  for (const auto& row : rows_) print_row(row);
}

void PrintNextPage(std::ostream& out, const std::string& token) {
  if (!token.empty()) out << "next page: --page-token=" << token << "\n";
}

Fields& Fields::Add(std::string key, std::string value) {
  if (!value.empty()) fields_.emplace_back(std::move(key), std::move(value));
  return *this;
}

void Fields::Print(std::ostream& out) const {
  size_t width = 0;
  for (const auto& [key, value] : fields_) width = std::max(width, DisplayWidth(key));
  for (const auto& [key, value] : fields_) {
    Pad(out, key + ":", width + 2);
    // Continuation lines of multi-line values (message bodies) are indented.
    for (char c : value) {
      out << c;
      if (c == '\n') out << std::string(width + 2, ' ');
    }
    out << "\n";
  }
}

}  // namespace dermaflow::dermactl
