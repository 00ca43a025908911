// WebSockets as seen by application code (the graphql-ws transport). No Beast here.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "base/executor.hpp"
#include "http/message.hpp"

namespace parley::http {

// One open WebSocket. All methods are thread-safe: calls from other threads
// are posted to the socket's loop and run in call order. After the socket has
// closed, sends and close() are ignored.
class WebSocket {
 public:
  virtual ~WebSocket() = default;
  virtual void send_text(std::string text) = 0;
  // Sends prefix + *shared + suffix as ONE text message without copying
  // *shared (scatter/gather write), so one serialised event can go to
  // thousands of sockets.
  virtual void send_shared(std::string prefix, std::shared_ptr<const std::string> shared, std::string suffix) = 0;
  // Sends a close frame after the messages already queued.
  virtual void close(std::uint16_t code, std::string reason) = 0;
  virtual base::Executor& executor() = 0;  // the socket's loop
  virtual const std::string& client_ip() const = 0;
  virtual const std::string& subprotocol() const = 0;
};

// Per-connection application logic. Called on the socket's loop thread,
// never concurrently.
class WebSocketHandler {
 public:
  virtual ~WebSocketHandler() = default;
  // Text messages only; a binary frame closes the socket with 1003 instead.
  virtual void on_message(std::string_view text) = 0;
  // Exactly once, with the close code (peer's, ours, 1009 for an oversized
  // message, 1006 when the connection dropped); then sends are ignored.
  virtual void on_close(std::uint16_t code) = 0;
};

// Called on the socket's loop after the handshake. May return nullptr to
// close the socket at once (1011).
using WebSocketFactory =
    std::function<std::unique_ptr<WebSocketHandler>(std::shared_ptr<WebSocket>, const Request&)>;

}  // namespace parley::http
