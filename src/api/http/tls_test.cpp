// HTTPS and WSS with a certificate the test makes itself (OpenSSL's C API, no command line).
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <boost/asio/ssl.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "api/http/internal/test_client.h"
#include "api/http/router.h"
#include "api/http/server.h"
#include "api/http/stream_hub.h"

namespace liandong::api::http {
namespace {

namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace net = boost::asio;
using nlohmann::json;
using tcp = net::ip::tcp;

struct KeyAndCert {
  std::string key_pem, cert_pem;
};

std::string to_pem(int (*write)(BIO*, void*), void* object) {
  BIO* bio = BIO_new(BIO_s_mem());
  write(bio, object);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<size_t>(n));
  BIO_free(bio);
  return out;
}

// A self-signed P-256 certificate for 127.0.0.1 and localhost, valid for a day.
KeyAndCert make_self_signed() {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), -60);
  X509_gmtime_adj(X509_getm_notAfter(cert), 24 * 3600);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("liandong test"), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  for (auto [nid, value] : {std::pair{NID_subject_alt_name, "IP:127.0.0.1, DNS:localhost"},
                            std::pair{NID_basic_constraints, "critical, CA:TRUE"},
                            std::pair{NID_key_usage, "critical, digitalSignature, keyCertSign"}}) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
  }
  X509_sign(cert, key, EVP_sha256());
  KeyAndCert out;
  out.key_pem = to_pem(
      [](BIO* b, void* k) {
        return PEM_write_bio_PrivateKey(b, static_cast<EVP_PKEY*>(k), nullptr, nullptr, 0, nullptr, nullptr);
      },
      key);
  out.cert_pem = to_pem([](BIO* b, void* c) { return PEM_write_bio_X509(b, static_cast<X509*>(c)); }, cert);
  X509_free(cert);
  EVP_PKEY_free(key);
  return out;
}

ssl::context client_context(const std::string& trusted_pem) {
  ssl::context ctx(ssl::context::tls_client);
  ctx.add_certificate_authority(net::buffer(trusted_pem));
  ctx.set_verify_mode(ssl::verify_peer);
  return ctx;
}

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("liandong_tls_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    pair_ = make_self_signed();
    write("cert.pem", pair_.cert_pem);
    write("key.pem", pair_.key_pem);
    router_.add("GET", "/api/v1/ping", [](Request& req, Responder r) {
      r(json_response(200, {{"pong", true}, {"remote", req.remote}}));
    });
  }
  void TearDown() override {
    if (server_) server_->stop(std::chrono::seconds(1));
    server_.reset();
    hub_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::string write(const std::string& name, const std::string& text) {
    auto p = dir_ / name;
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }
  ServerOptions tls_options() {
    ServerOptions o;
    o.tls_cert_file = (dir_ / "cert.pem").string();
    o.tls_key_file = (dir_ / "key.pem").string();
    return o;
  }
  void start(ServerOptions o) {
    hub_ = std::make_unique<StreamHub>(
        StreamOptions{}, [](uint64_t, size_t) { return core::Result<std::vector<engine::Event>>(std::vector<engine::Event>{}); },
        registry_);
    server_ = std::make_unique<Server>(o, router_, hub_.get(), registry_);
    auto s = server_->start();
    ASSERT_TRUE(s.is_ok()) << s.to_string();
  }
  core::Status start_status(ServerOptions o) {
    Server s(o, router_, nullptr, registry_);
    return s.start();
  }
  tcp::endpoint endpoint() const { return {net::ip::make_address("127.0.0.1"), server_->port()}; }

  // One HTTPS GET over a verified connection.
  testing::HttpResponse https_get(const std::string& target) {
    net::io_context ioc;
    auto ctx = client_context(pair_.cert_pem);
    beast::ssl_stream<beast::tcp_stream> stream(ioc, ctx);
    stream.set_verify_callback(ssl::host_name_verification("127.0.0.1"));
    beast::get_lowest_layer(stream).connect(endpoint());
    stream.handshake(ssl::stream_base::client);
    beast::http::request<beast::http::empty_body> req{beast::http::verb::get, target, 11};
    req.set(beast::http::field::host, "127.0.0.1");
    beast::http::write(stream, req);
    beast::flat_buffer buffer;
    testing::HttpResponse res;
    beast::http::read(stream, buffer, res);
    beast::error_code ec;
    stream.shutdown(ec);
    return res;
  }

  std::filesystem::path dir_;
  KeyAndCert pair_;
  metrics::Registry registry_;
  Router router_;
  std::unique_ptr<StreamHub> hub_;
  std::unique_ptr<Server> server_;
};

TEST_F(TlsTest, HttpsRequestWithVerifiedCertificate) {
  start(tls_options());
  auto r = https_get("/api/v1/ping");
  EXPECT_EQ(r.result_int(), 200);
  EXPECT_EQ(json::parse(r.body())["pong"], true);
  EXPECT_EQ(r["Strict-Transport-Security"], "max-age=31536000");
  EXPECT_EQ(r["X-Frame-Options"], "DENY");
  EXPECT_EQ(https_get("/api/v1/nothing").result_int(), 404);
}

TEST_F(TlsTest, KeepAliveOverTls) {
  start(tls_options());
  net::io_context ioc;
  auto ctx = client_context(pair_.cert_pem);
  beast::ssl_stream<beast::tcp_stream> stream(ioc, ctx);
  stream.set_verify_callback(ssl::host_name_verification("127.0.0.1"));
  beast::get_lowest_layer(stream).connect(endpoint());
  stream.handshake(ssl::stream_base::client);
  beast::flat_buffer buffer;
  for (int i = 0; i < 3; ++i) {
    beast::http::request<beast::http::empty_body> req{beast::http::verb::get, "/api/v1/ping", 11};
    req.set(beast::http::field::host, "127.0.0.1");
    beast::http::write(stream, req);
    testing::HttpResponse res;
    beast::http::read(stream, buffer, res);
    EXPECT_EQ(res.result_int(), 200) << i;
    EXPECT_TRUE(res.keep_alive());
  }
}

TEST_F(TlsTest, WssStreamCarriesFramesBothWays) {
  start(tls_options());
  net::io_context ioc;
  auto ctx = client_context(pair_.cert_pem);
  beast::websocket::stream<beast::ssl_stream<beast::tcp_stream>> ws(ioc, ctx);
  ws.next_layer().set_verify_callback(ssl::host_name_verification("127.0.0.1"));
  beast::get_lowest_layer(ws).connect(endpoint());
  ws.next_layer().handshake(ssl::stream_base::client);
  ws.handshake("127.0.0.1", "/api/v1/stream");
  ws.write(net::buffer(std::string("not json")));
  beast::flat_buffer buffer;
  ws.read(buffer);
  EXPECT_EQ(json::parse(beast::buffers_to_string(buffer.data()))["code"], "malformed_json");
  // The subscriber is connected (its frame was answered): a published event arrives.
  engine::Event e;
  e.seq = 1;
  e.origin = e.jurisdiction = "441200";
  e.type = "incident.opened";
  e.data = {{"n", 1}};
  hub_->publish(std::span<const engine::Event>(&e, 1));
  buffer.clear();
  ws.read(buffer);
  auto frame = json::parse(beast::buffers_to_string(buffer.data()));
  EXPECT_EQ(frame["type"], "event");
  EXPECT_EQ(frame["event"]["seq"], 1);
  ws.close(beast::websocket::close_code::normal);
}

TEST_F(TlsTest, PlainHttpOnTheTlsPortIsToldToUseHttps) {
  start(tls_options());
  testing::HttpClient plain(server_->port());
  auto r = plain.request(beast::http::verb::get, "/api/v1/ping");
  EXPECT_EQ(r.result_int(), 400);
  EXPECT_EQ(json::parse(r.body())["code"], "tls_required");
  EXPECT_FALSE(r.keep_alive());
  EXPECT_TRUE(plain.closed_by_server());
  EXPECT_EQ(https_get("/api/v1/ping").result_int(), 200);  // the server is none the worse
  EXPECT_NE(registry_.render().find("liandong_http_refused_total{reason=\"tls_handshake\"} 1"), std::string::npos);
}

TEST_F(TlsTest, ClientTrustingAnotherCertificateIsRefused) {
  start(tls_options());
  auto other = make_self_signed();
  net::io_context ioc;
  auto ctx = client_context(other.cert_pem);
  beast::ssl_stream<beast::tcp_stream> stream(ioc, ctx);
  beast::get_lowest_layer(stream).connect(endpoint());
  beast::error_code ec;
  stream.handshake(ssl::stream_base::client, ec);
  EXPECT_TRUE(ec);  // the test's verification is real
  EXPECT_EQ(https_get("/api/v1/ping").result_int(), 200);
}

TEST_F(TlsTest, BadCertificateFilesFailStartNamingTheFile) {
  auto expect_invalid = [&](ServerOptions o, const std::string& names) {
    auto s = start_status(o);
    EXPECT_EQ(s.code(), core::Code::kInvalidArgument) << s.to_string();
    EXPECT_NE(s.message().find(names), std::string::npos) << s.message();
  };
  auto o = tls_options();
  o.tls_cert_file = (dir_ / "missing.pem").string();
  expect_invalid(o, "missing.pem");
  o = tls_options();
  o.tls_key_file = (dir_ / "missing-key.pem").string();
  expect_invalid(o, "missing-key.pem");
  o = tls_options();
  o.tls_cert_file = write("garbage.pem", "not a certificate\n");
  expect_invalid(o, "garbage.pem");
  o = tls_options();
  o.tls_key_file = write("cert-as-key.pem", pair_.cert_pem);
  expect_invalid(o, "cert-as-key.pem");
  o = tls_options();
  o.tls_key_file = write("other-key.pem", make_self_signed().key_pem);
  expect_invalid(o, "does not match");
  o = tls_options();
  o.tls_key_file.clear();
  expect_invalid(o, "private key file");
  // Nothing was left listening: a good configuration still starts.
  start(tls_options());
  EXPECT_EQ(https_get("/api/v1/ping").result_int(), 200);
}

TEST_F(TlsTest, ErrorsNeverQuoteTheKey) {
  auto o = tls_options();
  o.tls_cert_file = write("key-as-cert.pem", pair_.key_pem);
  auto s = start_status(o);
  ASSERT_FALSE(s.is_ok());
  EXPECT_EQ(s.message().find("PRIVATE KEY"), std::string::npos) << s.message();
  EXPECT_EQ(s.message().find(pair_.key_pem.substr(30, 20)), std::string::npos);
}

}  // namespace
}  // namespace liandong::api::http
