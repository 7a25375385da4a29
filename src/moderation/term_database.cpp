#include "moderation/term_database.hpp"

#include <hs.h>

namespace synthgate::moderation {

Result<std::unique_ptr<TermDatabase>> TermDatabase::compile(
    const std::vector<std::string>& literals) {
  std::unique_ptr<TermDatabase> db(new TermDatabase());
  if (literals.empty()) return db;
  std::vector<const char*> expressions;
  std::vector<std::size_t> lengths;
  std::vector<unsigned> flags(literals.size(), 0);
  std::vector<unsigned> ids;
  for (std::size_t i = 0; i < literals.size(); ++i) {
    expressions.push_back(literals[i].data());
    lengths.push_back(literals[i].size());
    ids.push_back(static_cast<unsigned>(i));
  }
  hs_compile_error_t* error = nullptr;
  const auto rc = hs_compile_lit_multi(expressions.data(), flags.data(), ids.data(), lengths.data(),
                                       static_cast<unsigned>(literals.size()), HS_MODE_STREAM,
                                       nullptr, &db->database_, &error);
  if (rc != HS_SUCCESS) {
    std::string message = error != nullptr ? error->message : "unknown error";
    const int which = error != nullptr ? error->expression : -1;
    hs_free_compile_error(error);
    if (which >= 0) {
      message += " (literal " + std::to_string(which) + ")";
    }
    return fail(ErrorCode::kInvalidArgument, "cannot compile terms: " + message);
  }
  db->lengths_ = std::move(lengths);
  return db;
}

TermDatabase::~TermDatabase() {
  hs_free_database(database_);
}

ScanScratch::~ScanScratch() {
  hs_free_scratch(scratch_);
}

Status ScanScratch::prepare(const TermDatabase& database) {
  if (database.empty()) return {};
  if (hs_alloc_scratch(database.handle(), &scratch_) != HS_SUCCESS) {
    return fail(ErrorCode::kResourceExhausted, "cannot allocate Hyperscan scratch space");
  }
  return {};
}

TermStream::TermStream(const TermDatabase& database) : database_(database) {
  if (!database.empty()) hs_open_stream(database.handle(), 0, &stream_);
}

TermStream::~TermStream() {
  if (stream_ != nullptr) hs_close_stream(stream_, nullptr, nullptr, nullptr);
}

namespace {

struct ScanContext {
  const TermDatabase* database;
  std::vector<TermHit>* hits;
};

int on_match(unsigned id, unsigned long long /*from*/, unsigned long long to, unsigned /*flags*/,
             void* context) {
  auto* ctx = static_cast<ScanContext*>(context);
  const auto end = static_cast<std::size_t>(to);
  ctx->hits->push_back({id, end - ctx->database->literal_length(id), end});
  return 0;
}

}  // namespace

Status TermStream::scan(std::string_view bytes, ScanScratch& scratch, std::vector<TermHit>& hits) {
  if (stream_ == nullptr || bytes.empty()) {
    offset_ += bytes.size();
    return {};
  }
  ScanContext ctx{&database_, &hits};
  const auto rc = hs_scan_stream(stream_, bytes.data(), static_cast<unsigned>(bytes.size()), 0,
                                 scratch.handle(), on_match, &ctx);
  offset_ += bytes.size();
  if (rc != HS_SUCCESS) return fail(ErrorCode::kInternal, "Hyperscan scan failed");
  return {};
}

}  // namespace synthgate::moderation
