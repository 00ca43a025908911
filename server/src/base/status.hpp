// Status and Result<T>: Parley's one error lane for API, config and storage
// code. The packet path never uses these to signal per-packet problems: it
// drops and counts (docs/architecture.md, "Error policy").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace parley::base {

// The codes mirror the GraphQL `extensions.code` values of the API contract,
// so the one boundary that turns errors into responses (api/) maps 1:1.
enum class Code : std::uint8_t {
  Ok,
  BadRequest,        // input is malformed or violates a documented rule
  Unauthenticated,   // missing, forged or expired credentials
  Forbidden,         // authenticated but not allowed
  NotFound,          // absent, or present but invisible to the caller
  Conflict,          // state does not allow the operation (e.g. email taken)
  RateLimited,       // slow down; retry_after_s says for how long
  LimitExceeded,     // a configured size/count limit was hit
  Unavailable,       // shutting down or a dependency is down; safe to retry
  Internal,          // a bug or an unexpected failure; logged, never leaked
};

std::string_view code_name(Code code);  // "BAD_REQUEST", "NOT_FOUND", ...

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status ok() { return {}; }
  static Status bad_request(std::string m) { return {Code::BadRequest, std::move(m)}; }
  static Status unauthenticated(std::string m) { return {Code::Unauthenticated, std::move(m)}; }
  static Status forbidden(std::string m) { return {Code::Forbidden, std::move(m)}; }
  static Status not_found(std::string m) { return {Code::NotFound, std::move(m)}; }
  static Status conflict(std::string m) { return {Code::Conflict, std::move(m)}; }
  static Status rate_limited(std::string m, std::int64_t retry_after_s) {
    Status s{Code::RateLimited, std::move(m)};
    s.retry_after_s_ = retry_after_s;
    return s;
  }
  static Status limit_exceeded(std::string m) { return {Code::LimitExceeded, std::move(m)}; }
  static Status unavailable(std::string m) { return {Code::Unavailable, std::move(m)}; }
  static Status internal(std::string m) { return {Code::Internal, std::move(m)}; }

  bool is_ok() const { return code_ == Code::Ok; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // For RateLimited: seconds the caller should wait before retrying.
  std::optional<std::int64_t> retry_after_s() const { return retry_after_s_; }
  // Optional name of the offending input field ("email", "password", ...).
  const std::string& field() const { return field_; }
  Status&& with_field(std::string f) && {
    field_ = std::move(f);
    return std::move(*this);
  }

  std::string to_string() const;  // "NOT_FOUND: no such user"

 private:
  Code code_ = Code::Ok;
  std::string message_;
  std::string field_;
  std::optional<std::int64_t> retry_after_s_;
};

// Result<T>: a T or a non-ok Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}                  // NOLINT(google-explicit-constructor)
  Result(Status status) : v_(std::move(status)) {}           // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  // The error; Status::ok() when holding a value.
  Status status() const { return ok() ? Status::ok() : std::get<1>(v_); }
  const Status& error() const { return std::get<1>(v_); }
  Status&& take_error() && { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace parley::base

#define PARLEY_CONCAT_INNER(a, b) a##b
#define PARLEY_CONCAT(a, b) PARLEY_CONCAT_INNER(a, b)

// Return the Status from the enclosing function if `expr` (a Status) failed.
#define PARLEY_RETURN_IF_ERROR(expr)                 \
  do {                                               \
    ::parley::base::Status _st = (expr);             \
    if (!_st.is_ok()) return _st;                    \
  } while (0)

// `lhs = value of expr (a Result<T>)`, or return its error.
#define PARLEY_ASSIGN_OR_RETURN(lhs, expr)                                  \
  auto PARLEY_CONCAT(_res_, __LINE__) = (expr);                             \
  if (!PARLEY_CONCAT(_res_, __LINE__).ok())                                 \
    return std::move(PARLEY_CONCAT(_res_, __LINE__)).take_error();          \
  lhs = std::move(PARLEY_CONCAT(_res_, __LINE__)).value()

// Coroutine flavours of the two above.
#define PARLEY_CO_RETURN_IF_ERROR(expr)              \
  do {                                               \
    ::parley::base::Status _st = (expr);             \
    if (!_st.is_ok()) co_return _st;                 \
  } while (0)

#define PARLEY_CO_ASSIGN_OR_RETURN(lhs, expr)                               \
  auto PARLEY_CONCAT(_res_, __LINE__) = (expr);                             \
  if (!PARLEY_CONCAT(_res_, __LINE__).ok())                                 \
    co_return std::move(PARLEY_CONCAT(_res_, __LINE__)).take_error();       \
  lhs = std::move(PARLEY_CONCAT(_res_, __LINE__)).value()
