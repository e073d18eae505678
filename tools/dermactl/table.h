// The shared human-readable output of dermactl: aligned tables for lists and
// "key: value" blocks for single resources. Widths count UTF-8 characters, so
// "Müller" lines up with "Miller".
//
//   Table t({"ID", "NAME"});
//   t.Row({p.id(), p.family_name()});
//   t.Print(ctx.out());
#pragma once

#include <iosfwd>
#include <string>
#include <utility>
#include <vector>

namespace dermaflow::dermactl {

class Table {
 public:
  explicit Table(std::vector<std::string> header) : header_(std::move(header)) {}
  void Row(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }
  size_t size() const { return rows_.size(); }
  // Prints the header and rows, or `empty_text` when there are no rows.
  void Print(std::ostream& out, const std::string& empty_text = "(none)") const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

// One resource as aligned "key: value" lines; empty values are left out.
class Fields {
 public:
  Fields& Add(std::string key, std::string value);
  void Print(std::ostream& out) const;

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

// "next page: --page-token=..." when a list has more.
void PrintNextPage(std::ostream& out, const std::string& token);

// Display width of UTF-8 text (code points; no East Asian wide forms here).
size_t DisplayWidth(const std::string& text);

}  // namespace dermaflow::dermactl
