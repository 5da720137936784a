#include "routing/internal/section_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>

#include "routing/internal/checksum.h"

namespace liandong::routing::internal {
namespace {

constexpr uint64_t kHeaderSize = 16;
constexpr uint64_t kEntrySize = kSectionNameSize + 16;
constexpr uint64_t kChunk = 8 << 20;  // read and hash in pieces that stay in cache

uint64_t align8(uint64_t x) { return (x + 7) & ~uint64_t(7); }

std::string os_error(const std::string& what, const std::string& path) {
  return what + " " + path + ": " + std::strerror(errno);
}

template <typename T>
T load(const unsigned char* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// Buffered writes that also feed the checksum; remembers the first error.
class Writer {
 public:
  Writer(int fd, const std::string& path) : fd_(fd), path_(path) { buffer_.reserve(kBuffer); }
  void write(const void* data, uint64_t size) {
    sum_.update(data, size);
    offset_ += size;
    if (buffer_.size() + size > kBuffer) flush();
    if (size >= kBuffer) {
      write_out(static_cast<const char*>(data), size);
    } else {
      const char* p = static_cast<const char*>(data);
      buffer_.insert(buffer_.end(), p, p + size);
    }
  }
  void pad_to(uint64_t offset) {
    static const char kZeros[8] = {};
    while (offset_ < offset) write(kZeros, std::min<uint64_t>(8, offset - offset_));
  }
  void finish() {
    const uint64_t digest = sum_.digest();
    write(&digest, 8);
    flush();
  }
  const core::Status& status() const { return status_; }

 private:
  static constexpr size_t kBuffer = 1 << 20;
  void flush() {
    write_out(buffer_.data(), buffer_.size());
    buffer_.clear();
  }
  void write_out(const char* p, uint64_t size) {
    while (size > 0 && status_.is_ok()) {
      const ssize_t n = ::write(fd_, p, std::min<uint64_t>(size, 1 << 30));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        status_ = core::unavailable(os_error("cannot write", path_));
        return;
      }
      p += n;
      size -= uint64_t(n);
    }
  }
  int fd_;
  const std::string& path_;
  std::vector<char> buffer_;
  Checksum64 sum_;
  uint64_t offset_ = 0;
  core::Status status_;
};

std::string directory_of(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

// Closes the descriptor on every way out.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

struct Entry {
  std::string name;
  uint64_t offset, size;
};

class Reader {
 public:
  Reader(const std::string& path, const SectionFileFormat& format, int fd, uint64_t size)
      : path_(path), format_(format), fd_(fd), size_(size) {}

  core::Status read(const SectionSink& sink) {
    unsigned char header[kHeaderSize];
    if (size_ < kHeaderSize) return not_this_format();
    LD_RETURN_IF_ERROR(read_exactly(header, kHeaderSize));
    if (std::memcmp(header, format_.magic, sizeof format_.magic) != 0) return not_this_format();
    const uint32_t version = load<uint32_t>(header + 8);
    if (version != format_.version) {
      return core::invalid(path_ + " has format version " + std::to_string(version) +
                           "; this program reads version " + std::to_string(format_.version));
    }
    const uint64_t count = load<uint32_t>(header + 12);
    const uint64_t table_end = kHeaderSize + kEntrySize * count;
    if (size_ < table_end + 8) {
      return whole_file_verdict(path_ + ": the section table runs past the end", table_end + 8);
    }
    std::vector<unsigned char> table(table_end - kHeaderSize);
    LD_RETURN_IF_ERROR(read_exactly(table.data(), table.size()));
    Checksum64 sum;
    sum.update(header, kHeaderSize);
    sum.update(table.data(), table.size());

    // The table, in file order, checked before any of it is followed.
    std::vector<Entry> entries;
    uint64_t needed = align8(table_end) + 8;
    for (uint64_t i = 0; i < count; ++i) {
      const unsigned char* e = table.data() + kEntrySize * i;
      const char* name = reinterpret_cast<const char*>(e);
      entries.push_back({std::string(name, strnlen(name, kSectionNameSize)),
                         load<uint64_t>(e + kSectionNameSize),
                         load<uint64_t>(e + kSectionNameSize + 8)});
      const Entry& s = entries.back();
      if (s.offset <= size_ && s.size <= size_)
        needed = std::max(needed, align8(s.offset + s.size) + 8);
    }
    std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
      return a.offset != b.offset ? a.offset < b.offset : a.size < b.size;
    });
    const uint64_t body_end = size_ - 8;
    uint64_t end = table_end;
    std::set<std::string> names;
    for (const Entry& s : entries) {
      if (s.offset % 8 != 0 || s.offset < end || s.offset > body_end ||
          s.size > body_end - s.offset) {
        return whole_file_verdict(
            path_ + ": section \"" + s.name + "\" overlaps another or lies outside the file's body",
            needed);
      }
      if (!names.insert(s.name).second) {
        return whole_file_verdict(path_ + ": section \"" + s.name + "\" appears twice", needed);
      }
      end = s.offset + s.size;
    }

    // The bytes, each into its place, in file order.
    uint64_t pos = table_end;
    for (const Entry& s : entries) {
      LD_RETURN_IF_ERROR(skip(sum, s.offset - pos));
      void* into = sink(s.name, s.size);
      if (into == nullptr) {
        LD_RETURN_IF_ERROR(skip(sum, s.size));
      } else {
        LD_RETURN_IF_ERROR(read_hashed(sum, static_cast<unsigned char*>(into), s.size));
      }
      pos = s.offset + s.size;
    }
    LD_RETURN_IF_ERROR(skip(sum, body_end - pos));
    unsigned char stored[8];
    LD_RETURN_IF_ERROR(read_exactly(stored, 8));
    if (sum.digest() != load<uint64_t>(stored)) return damaged(needed);
    return core::Status::ok();
  }

 private:
  core::Status not_this_format() const { return core::invalid(path_ + " is not " + format_.what); }

  core::Status damaged(uint64_t needed) const {
    std::string message = path_ + " is damaged (checksum mismatch)";
    if (needed > size_) {
      message += "; it is " + std::to_string(size_) + " bytes but its section table needs " +
                 std::to_string(needed) + ", so it was probably cut short";
    }
    return core::invalid(message);
  }

  // A table that cannot be followed: damage, unless the checksum vouches for the bytes (then the
  // writer was wrong, and `fault` says how).
  core::Status whole_file_verdict(const std::string& fault, uint64_t needed) {
    if (size_ < kHeaderSize + 8 || ::lseek(fd_, 0, SEEK_SET) != 0) return damaged(needed);
    Checksum64 sum;
    LD_RETURN_IF_ERROR(skip(sum, size_ - 8));
    unsigned char stored[8];
    LD_RETURN_IF_ERROR(read_exactly(stored, 8));
    if (sum.digest() != load<uint64_t>(stored)) return damaged(needed);
    return core::invalid(fault);
  }

  // Reads exactly `size` bytes; a file that ends early (it shrank while read) is damaged.
  core::Status read_exactly(unsigned char* into, uint64_t size) {
    while (size > 0) {
      const ssize_t n = ::read(fd_, into, std::min<uint64_t>(size, 1 << 30));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return core::unavailable(os_error("cannot read", path_));
      if (n == 0) return core::invalid(path_ + " is damaged (it ended while being read)");
      into += n;
      size -= uint64_t(n);
    }
    return core::Status::ok();
  }

  core::Status read_hashed(Checksum64& sum, unsigned char* into, uint64_t size) {
    for (uint64_t done = 0; done < size;) {
      const uint64_t n = std::min(kChunk, size - done);
      LD_RETURN_IF_ERROR(read_exactly(into + done, n));
      sum.update(into + done, n);
      done += n;
    }
    return core::Status::ok();
  }

  core::Status skip(Checksum64& sum, uint64_t size) {
    if (size == 0) return core::Status::ok();
    // Mostly padding of a few bytes; a chunk only for a skipped section.
    if (scratch_.size() < std::min(kChunk, size)) scratch_.resize(std::min(kChunk, size));
    for (uint64_t done = 0; done < size;) {
      const uint64_t n = std::min<uint64_t>(scratch_.size(), size - done);
      LD_RETURN_IF_ERROR(read_hashed(sum, scratch_.data(), n));
      done += n;
    }
    return core::Status::ok();
  }

  const std::string& path_;
  const SectionFileFormat& format_;
  int fd_;
  uint64_t size_;
  std::vector<unsigned char> scratch_;
};

}  // namespace

core::Status write_section_file(const std::string& path, const SectionFileFormat& format,
                                const std::vector<OutSection>& sections) {
  std::string head(format.magic, sizeof format.magic);
  const uint32_t count = uint32_t(sections.size());
  head.append(reinterpret_cast<const char*>(&format.version), 4);
  head.append(reinterpret_cast<const char*>(&count), 4);
  std::vector<uint64_t> offsets;
  uint64_t offset = align8(kHeaderSize + kEntrySize * count);
  for (const OutSection& s : sections) {
    char name[kSectionNameSize] = {};
    std::memcpy(name, s.name.data(), std::min(s.name.size(), kSectionNameSize));
    head.append(name, kSectionNameSize);
    head.append(reinterpret_cast<const char*>(&offset), 8);
    head.append(reinterpret_cast<const char*>(&s.size), 8);
    offsets.push_back(offset);
    offset = align8(offset + s.size);
  }
  const uint64_t body_end = offset;

  const std::string tmp = path + ".tmp-" + std::to_string(::getpid());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return core::unavailable(os_error("cannot create", tmp));
  Writer out(fd, tmp);
  out.write(head.data(), head.size());
  for (size_t i = 0; i < sections.size(); ++i) {
    out.pad_to(offsets[i]);
    out.write(sections[i].data, sections[i].size);
  }
  out.pad_to(body_end);
  out.finish();
  core::Status status = out.status();
  if (status.is_ok() && ::fsync(fd) != 0) status = core::unavailable(os_error("cannot sync", tmp));
  if (::close(fd) != 0 && status.is_ok()) status = core::unavailable(os_error("cannot write", tmp));
  if (status.is_ok() && ::rename(tmp.c_str(), path.c_str()) != 0) {
    status = core::unavailable(os_error("cannot rename " + tmp + " to", path));
  }
  if (!status.is_ok()) {
    ::unlink(tmp.c_str());
    return status;
  }
  // The rename itself is durable once the folder is synced.
  const int dir = ::open(directory_of(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return core::Status::ok();
}

core::Status read_section_file(const std::string& path, const SectionFileFormat& format,
                               const SectionSink& sink) {
  Fd file{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (file.fd < 0) {
    if (errno == ENOENT) return core::not_found(path + " does not exist");
    return core::unavailable(os_error("cannot open", path));
  }
  struct stat st;
  if (::fstat(file.fd, &st) != 0) return core::unavailable(os_error("cannot read", path));
  if (!S_ISREG(st.st_mode))
    return core::invalid(path + " is not " + format.what + " (not a regular file)");
  Reader reader(path, format, file.fd, uint64_t(st.st_size));
  return reader.read(sink);
}

}  // namespace liandong::routing::internal
