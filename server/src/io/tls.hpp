// TLS server context from PEM files (certificate chain + private key).
#pragma once

#include <memory>
#include <string>

#include "base/status.hpp"

namespace boost::asio::ssl {
class context;
}

namespace parley::io {

// TLS 1.2+ server context. Errors (missing file, key mismatch) come back as
// BadRequest with OpenSSL's reason. The context is immutable after creation
// and may be shared by every loop thread.
base::Result<std::shared_ptr<boost::asio::ssl::context>> make_tls_server_context(const std::string& cert_file,
                                                                                  const std::string& key_file);

}  // namespace parley::io
