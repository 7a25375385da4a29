#include "media/zip_archive.hpp"

#include <zip.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>

namespace synthgate::media {

namespace {
tl::unexpected<Error> damaged(const std::string& why) {
  return fail(ErrorCode::kInvalidArgument, "damaged zip archive: " + why);
}

struct ArchiveCloser {
  void operator()(zip_t* za) const { zip_discard(za); }
};
using Archive = std::unique_ptr<zip_t, ArchiveCloser>;

struct SourceFree {
  void operator()(zip_source_t* s) const { zip_source_free(s); }
};
using Source = std::unique_ptr<zip_source_t, SourceFree>;

struct FileCloser {
  void operator()(zip_file_t* f) const { zip_fclose(f); }
};

// Opens `file` (kept alive by the caller); `source` keeps the buffer source when the
// caller needs the rewritten bytes.
Result<Archive> open_archive(ByteView file, Source& source, int flags) {
  zip_error_t error;
  zip_error_init(&error);
  // A source that is written to frees its original buffer when the new archive replaces it
  // (libzip 1.7), so a writable archive gets a malloc'd copy that libzip owns.
  const bool writable = (flags & ZIP_RDONLY) == 0;
  void* copy = nullptr;
  if (writable) {
    copy = std::malloc(std::max<std::size_t>(file.size(), 1));
    if (copy == nullptr) return fail(ErrorCode::kInternal, "out of memory");
    if (!file.empty()) std::memcpy(copy, file.data(), file.size());
  }
  zip_source_t* raw = zip_source_buffer_create(writable ? copy : file.data(), file.size(),
                                               writable ? 1 : 0, &error);
  if (raw == nullptr) {
    std::free(copy);
    zip_error_fini(&error);
    return fail(ErrorCode::kInternal, "libzip could not make a buffer source");
  }
  zip_t* za = zip_open_from_source(raw, flags | ZIP_CHECKCONS, &error);
  if (za == nullptr) {
    std::string why = zip_error_strerror(&error);
    zip_error_fini(&error);
    zip_source_free(raw);
    return damaged(why);
  }
  zip_error_fini(&error);
  zip_source_keep(raw);
  source.reset(raw);
  return Archive(za);
}
}  // namespace

Result<std::vector<ZipEntry>> read_zip(ByteView file) {
  if (file.size() < 4 || file[0] != 'P' || file[1] != 'K') {
    return fail(ErrorCode::kInvalidArgument, "not a zip archive");
  }
  Source source;
  auto archive = open_archive(file, source, ZIP_RDONLY);
  if (!archive) return tl::unexpected(archive.error());
  zip_t* za = archive->get();
  const zip_int64_t count = zip_get_num_entries(za, 0);
  if (count < 0 || static_cast<std::size_t>(count) > kMaxZipEntries)
    return damaged("too many entries");
  std::vector<ZipEntry> entries;
  std::size_t total = 0;
  for (zip_uint64_t i = 0; i < static_cast<zip_uint64_t>(count); ++i) {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(za, i, 0, &st) != 0 || (st.valid & ZIP_STAT_NAME) == 0 ||
        (st.valid & ZIP_STAT_SIZE) == 0) {
      return damaged("unreadable entry " + std::to_string(i));
    }
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) != 0 && st.encryption_method != ZIP_EM_NONE) {
      return fail(ErrorCode::kUnsupportedMediaType, "encrypted zip entries are not supported");
    }
    if (st.size > kMaxZipUncompressed - total) return damaged("uncompressed size over the limit");
    total += static_cast<std::size_t>(st.size);
    ZipEntry entry{st.name, Bytes(static_cast<std::size_t>(st.size))};
    std::unique_ptr<zip_file_t, FileCloser> f(zip_fopen_index(za, i, 0));
    if (!f) return damaged(std::string("cannot open entry ") + st.name);
    std::size_t got = 0;
    while (got < entry.data.size()) {
      const zip_int64_t n = zip_fread(f.get(), entry.data.data() + got, entry.data.size() - got);
      if (n <= 0) return damaged(std::string("cannot read entry ") + st.name);
      got += static_cast<std::size_t>(n);
    }
    // Reading to the end makes libzip check the CRC.
    std::uint8_t extra = 0;
    if (zip_fread(f.get(), &extra, 1) != 0) return damaged(std::string("bad entry ") + st.name);
    entries.push_back(std::move(entry));
  }
  return entries;
}

Result<Bytes> rewrite_zip(ByteView file, const std::vector<ZipEntry>& replacements) {
  Source source;
  auto archive = open_archive(file, source, 0);
  if (!archive) return tl::unexpected(archive.error());
  zip_t* za = archive->get();
  // libzip stamps a replaced entry with the current time; keeping the old entry's time (or
  // the archive's first entry's, for a new part) makes a rewrite depend only on its input.
  time_t fallback_mtime = 315532800;  // 1980-01-01, the earliest DOS time
  zip_stat_t first{};
  if (zip_stat_index(za, 0, 0, &first) == 0 && (first.valid & ZIP_STAT_MTIME) != 0)
    fallback_mtime = first.mtime;
  for (const ZipEntry& r : replacements) {
    zip_stat_t old{};
    const bool existed = zip_stat(za, r.name.c_str(), ZIP_FL_ENC_GUESS, &old) == 0 &&
                         (old.valid & ZIP_STAT_MTIME) != 0;
    const time_t mtime = existed ? old.mtime : fallback_mtime;
    zip_source_t* data = zip_source_buffer(za, r.data.data(), r.data.size(), 0);
    if (data == nullptr) return fail(ErrorCode::kInternal, "libzip could not make a source");
    const zip_int64_t index =
        zip_file_add(za, r.name.c_str(), data, ZIP_FL_OVERWRITE | ZIP_FL_ENC_UTF_8);
    if (index < 0) {
      zip_source_free(data);
      return fail(ErrorCode::kInternal, std::string("libzip: ") + zip_strerror(za));
    }
    zip_set_file_compression(za, static_cast<zip_uint64_t>(index), ZIP_CM_DEFLATE, 0);
    if (zip_file_set_mtime(za, static_cast<zip_uint64_t>(index), mtime, 0) != 0)
      return fail(ErrorCode::kInternal, std::string("libzip: ") + zip_strerror(za));
  }
  if (zip_close(za) != 0)
    return fail(ErrorCode::kInternal, std::string("libzip: ") + zip_strerror(za));
  (void)archive->release();  // zip_close freed it
  zip_source_t* src = source.get();
  if (zip_source_open(src) != 0)
    return fail(ErrorCode::kInternal, "libzip: cannot reopen the archive");
  zip_source_seek(src, 0, SEEK_END);
  const zip_int64_t size = zip_source_tell(src);
  zip_source_seek(src, 0, SEEK_SET);
  if (size < 0) {
    zip_source_close(src);
    return fail(ErrorCode::kInternal, "libzip: cannot size the archive");
  }
  Bytes out(static_cast<std::size_t>(size));
  const zip_int64_t n = zip_source_read(src, out.data(), out.size());
  zip_source_close(src);
  if (n != size) return fail(ErrorCode::kInternal, "libzip: short read of the archive");
  return out;
}

}  // namespace synthgate::media
