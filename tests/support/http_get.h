// Test support: a minimal HTTP/1.0 GET over loopback (for /metrics scrapes).
#pragma once

#include <string>
#include <vector>

namespace dermaflow::testing {

// Returns the response body, or an empty string when the request failed.
std::string HttpGet(int port, const std::string& path);

// The lines of GET /metrics (none when the scrape failed).
std::vector<std::string> ScrapeLines(int port);

}  // namespace dermaflow::testing
