#pragma once

#include <httplib.h>

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "core/staged_file.hpp"

namespace synthgate::server {

// One file part of an upload, already on disk in the spool directory (removed with the form).
struct UploadedFile {
  std::string field;         // the form field's name
  std::string filename;      // as the client named it; never used as a path
  std::string content_type;  // as the client said; the bytes decide the type
  StagedFile file;
  std::size_t size = 0;
};

// A request body as the handlers see it: multipart/form-data with text fields and files
// (files stream to disk as they arrive), or any other body as one file named "body".
struct UploadedForm {
  std::map<std::string, std::string> fields;
  std::vector<UploadedFile> files;
  std::string body_type;  // the request's Content-Type, without parameters

  const UploadedFile* file(std::string_view field) const;
  std::optional<std::string> field(std::string_view name) const;
};

struct UploadLimits {
  std::size_t max_bytes = 0;                           // the whole body
  std::size_t max_field_bytes = std::size_t{1} << 20;  // each text field, in memory
  std::size_t max_files = 8;
};

// Reads the body through `reader`, counting bytes against `limits` (kPayloadTooLarge once
// over, with the body left unread). Bodies that are JSON or form text land in `fields["json"]`
// or the fields; everything else in files.
Result<UploadedForm> receive_upload(const httplib::Request& req,
                                    const httplib::ContentReader& reader,
                                    const UploadLimits& limits,
                                    const std::filesystem::path& spool_dir);

}  // namespace synthgate::server
