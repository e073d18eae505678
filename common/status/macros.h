// DF_RETURN_IF_ERROR and DF_ASSIGN_OR_RETURN: Debian's Abseil (20220623) has
// neither, so they are defined once here.
//
//   DF_RETURN_IF_ERROR(store.Put(x));
//   DF_ASSIGN_OR_RETURN(Patient p, store.Get(org, id));
#pragma once

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define DF_STATUS_CONCAT_INNER(a, b) a##b
#define DF_STATUS_CONCAT(a, b) DF_STATUS_CONCAT_INNER(a, b)

// Not const, so that returning it moves.
#define DF_RETURN_IF_ERROR(expr)             \
  do {                                       \
    ::absl::Status df_status_ = (expr);      \
    if (!df_status_.ok()) return df_status_; \
  } while (0)

// `lhs` may declare a variable (`Patient p`) and `tmp` is a name declared
// here: neither can be put in parentheses.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define DF_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                             \
  if (!tmp.ok()) return std::move(tmp).status(); \
  lhs = std::move(*tmp)
// NOLINTEND(bugprone-macro-parentheses)

#define DF_ASSIGN_OR_RETURN(lhs, expr) \
  DF_ASSIGN_OR_RETURN_IMPL(DF_STATUS_CONCAT(df_statusor_, __LINE__), lhs, expr)
