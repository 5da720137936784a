#include "store/internal/snapshot_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "core/log.h"

namespace liandong::store::internal {

namespace fs = std::filesystem;

namespace {

constexpr const char* kMagic = "LIANDONG-SNAPSHOT";

std::string errno_text() { return std::strerror(errno); }

core::Status io_error(const std::string& what, const std::string& path) {
  return core::unavailable("snapshot " + what + " " + path + " failed: " + errno_text());
}

std::string file_name(uint64_t seq) {
  std::string digits = std::to_string(seq);
  return std::string(20 - std::min<size_t>(20, digits.size()), '0') + digits + ".snap";
}

// The seq a snapshot file's name holds, or nullopt for any other name.
std::optional<uint64_t> seq_of(const std::string& name) {
  if (name.size() != 25 || !name.ends_with(".snap")) return std::nullopt;
  uint64_t seq = 0;
  for (size_t i = 0; i < 20; ++i) {
    if (name[i] < '0' || name[i] > '9') return std::nullopt;
    seq = seq * 10 + static_cast<uint64_t>(name[i] - '0');
  }
  return seq;
}

// The snapshot files' seqs, newest first.
core::Result<std::vector<uint64_t>> list(const std::string& dir) {
  std::vector<uint64_t> seqs;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (auto seq = seq_of(it->path().filename().string())) seqs.push_back(*seq);
  if (ec) return core::unavailable("snapshot folder " + dir + " cannot be read: " + ec.message());
  std::sort(seqs.rbegin(), seqs.rend());
  return seqs;
}

bool write_all(int fd, const char* p, size_t n) {
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    p += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

// Reads a whole snapshot file; nullopt with *why set when it is not one.
std::optional<engine::Snapshot> read_file(const std::string& path, std::string* why) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *why = "cannot be opened";
    return std::nullopt;
  }
  std::string header;
  if (!std::getline(in, header) || header.size() > 256) {
    *why = "has no header line";
    return std::nullopt;
  }
  std::istringstream h(header);
  std::string magic, hash;
  int version = 0;
  uint64_t seq = 0, bytes = 0;
  if (!(h >> magic >> version >> seq >> hash >> bytes) || magic != kMagic || version != 1) {
    *why = "has a header that is not a Liandong snapshot's";
    return std::nullopt;
  }
  std::error_code ec;
  auto size = fs::file_size(path, ec);
  if (ec || size != header.size() + 1 + bytes) {
    *why = "is " + std::to_string(size) + " bytes, not the header's " + std::to_string(header.size() + 1 + bytes);
    return std::nullopt;
  }
  engine::Snapshot s{seq, hash, std::string(bytes, '\0')};
  if (!in.read(s.body.data(), static_cast<std::streamsize>(bytes))) {
    *why = "cannot be read to its end";
    return std::nullopt;
  }
  return s;
}

core::Status sync_dir(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return io_error("opening folder", dir);
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return io_error("syncing folder", dir);
  return core::Status::ok();
}

}  // namespace

core::Result<SnapshotFiles> SnapshotFiles::open(std::string dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return core::unavailable("snapshot folder " + dir + " cannot be created: " + ec.message());
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->path().filename().string().starts_with(".tmp-")) fs::remove(it->path(), ec);
  if (ec) return core::unavailable("snapshot folder " + dir + " cannot be read: " + ec.message());
  return SnapshotFiles(std::move(dir));
}

core::Status SnapshotFiles::save(const engine::Snapshot& s, size_t keep) {
  std::string final_path = dir_ + "/" + file_name(s.seq);
  std::string tmp = dir_ + "/.tmp-" + std::to_string(s.seq);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return io_error("creating", tmp);
  auto fail = [&](const std::string& what) {
    core::Status st = io_error(what, tmp);
    ::close(fd);
    ::unlink(tmp.c_str());
    return st;
  };
  std::string header = std::string(kMagic) + " 1 " + std::to_string(s.seq) + " " + s.hash + " " +
                       std::to_string(s.body.size()) + "\n";
  if (!write_all(fd, header.data(), header.size())) return fail("writing");
  off_t off = static_cast<off_t>(header.size()), prev_off = 0, prev_len = 0;
  for (size_t at = 0; at < s.body.size(); at += kChunk) {
    size_t n = std::min(kChunk, s.body.size() - at);
    if (!write_all(fd, s.body.data() + at, n)) return fail("writing");
    // Start this chunk's writeback, then wait for the one before: the disk's queue holds at most
    // two chunks of this file at any time. (An error here shows again at fdatasync.)
    (void)::sync_file_range(fd, off, static_cast<off_t>(n), SYNC_FILE_RANGE_WRITE);
    if (prev_len > 0)
      (void)::sync_file_range(fd, prev_off, prev_len,
                              SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER);
    prev_off = off;
    prev_len = static_cast<off_t>(n);
    off += static_cast<off_t>(n);
  }
  if (::fdatasync(fd) != 0) return fail("syncing");
  if (::close(fd) != 0) {
    ::unlink(tmp.c_str());
    return io_error("closing", tmp);
  }
  if (::rename(tmp.c_str(), final_path.c_str()) != 0) {
    core::Status st = io_error("renaming", tmp);
    ::unlink(tmp.c_str());
    return st;
  }
  LD_RETURN_IF_ERROR(sync_dir(dir_));
  auto seqs = list(dir_);
  if (!seqs) return seqs.status();
  for (size_t i = keep; i < seqs->size(); ++i) {
    std::error_code ec;
    fs::remove(dir_ + "/" + file_name((*seqs)[i]), ec);  // a file left over is removed next time
  }
  return core::Status::ok();
}

core::Result<std::optional<engine::Snapshot>> SnapshotFiles::latest() const {
  auto seqs = list(dir_);
  if (!seqs) return seqs.status();
  for (uint64_t seq : *seqs) {
    std::string path = dir_ + "/" + file_name(seq), why;
    if (auto s = read_file(path, &why)) {
      if (s->seq == seq) return s;
      why = "holds seq " + std::to_string(s->seq) + ", not the " + std::to_string(seq) + " of its name";
    }
    if (!fs::exists(path)) continue;  // removed by a save meanwhile
    core::log::warn("snapshot file skipped", {{"file", path}, {"why", why}});
  }
  return std::optional<engine::Snapshot>();
}

}  // namespace liandong::store::internal
