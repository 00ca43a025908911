#include "io/tls.hpp"

#include <boost/asio/ssl/context.hpp>

namespace parley::io {
namespace ssl = boost::asio::ssl;

base::Result<std::shared_ptr<ssl::context>> make_tls_server_context(const std::string& cert_file,
                                                                     const std::string& key_file) {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
  boost::system::error_code ec;
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                       ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use,
                   ec);
  if (ec) return base::Status::internal("tls options: " + ec.message());
  ctx->use_certificate_chain_file(cert_file, ec);
  if (ec) return base::Status::bad_request("tls certificate " + cert_file + ": " + ec.message());
  ctx->use_private_key_file(key_file, ssl::context::pem, ec);
  if (ec) return base::Status::bad_request("tls key " + key_file + ": " + ec.message());
  return ctx;
}

}  // namespace parley::io
