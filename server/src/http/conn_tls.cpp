// The tls instantiation of the connection classes (see server_conn.hpp).
#include "http/server_conn.hpp"

namespace parley::http {

void start_tls_connection(Server::Impl* impl, std::size_t loop, tcp::socket socket, std::string peer) {
  auto conn = std::make_shared<HttpConn<TlsStream>>(impl, loop, TlsStream(PlainStream(std::move(socket)), *impl->tls), std::move(peer));
  asio::co_spawn(impl->loops.context(loop), HttpConn<TlsStream>::run(conn), log_connection_failure);
}

}  // namespace parley::http
