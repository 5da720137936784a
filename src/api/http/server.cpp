#include "api/http/server.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <thread>

#include "api/http/internal/http_session.h"
#include "api/http/stream_hub.h"
#include "core/log.h"
#include "core/thread_name.h"

namespace liandong::api::http {

namespace net = boost::asio;
using tcp = net::ip::tcp;

struct Server::Impl {
  Impl(ServerOptions o, Router& router, StreamHub* hub, metrics::Registry& registry)
      : core(std::make_shared<internal::ServerCore>(std::move(o), router, hub, registry)) {}

  void do_accept() {
    acceptor.async_accept(net::make_strand(ioc), [this](boost::system::error_code ec, tcp::socket socket) {
      if (ec) {
        if (ec == net::error::operation_aborted || !acceptor.is_open()) return;
        core::log::warn("accept failed", {{"error", ec.message()}});
      } else if (!core->stopping.load()) {
        admit(std::move(socket));
      }
      if (!core->stopping.load()) do_accept();
    });
  }

  // Applies the per-address connection limit, then starts an HTTP session on the socket.
  void admit(tcp::socket socket) {
    boost::system::error_code ec;
    auto ep = socket.remote_endpoint(ec);
    if (ec) return;  // already gone
    socket.set_option(tcp::no_delay(true), ec);
    internal::Peer peer;
    peer.host = ep.address().to_string();
    auto port = std::to_string(ep.port());
    peer.remote = ep.address().is_v6() ? "[" + peer.host + "]:" + port : peer.host + ":" + port;
    peer.exempt = core->options.allow_addresses.contains(peer.host);
    if (!peer.exempt && core->options.connections_per_address > 0) {
      peer.slot = core->acquire_slot(peer.host);
      if (!peer.slot) {
        core->refused(internal::Refusal::kConnections, peer.host);
        socket.close(ec);
        return;
      }
    }
    if (core->tls)
      start_session<internal::TlsStream>(std::move(socket), std::move(peer));
    else
      start_session<internal::PlainStream>(std::move(socket), std::move(peer));
  }

  template <class Stream>
  void start_session(tcp::socket socket, internal::Peer peer) {
    auto session = std::make_shared<internal::HttpSession<Stream>>(std::move(socket), core, std::move(peer));
    core->add_session(session.get(), session);
    session->run();
  }

  std::shared_ptr<internal::ServerCore> core;
  // Declared after `core` so that it is destroyed first: queued handlers release their sessions
  // while the registry they leave is still there.
  net::io_context ioc;
  tcp::acceptor acceptor{ioc};
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work;
  std::vector<std::thread> threads;
  uint16_t port = 0;
  bool started = false, stopped = false;
};

Server::Server(ServerOptions options, Router& router, StreamHub* hub, metrics::Registry& registry)
    : impl_(std::make_unique<Impl>(std::move(options), router, hub, registry)) {}

Server::~Server() { stop(std::chrono::milliseconds(0)); }

core::Status Server::start() {
  auto& im = *impl_;
  if (im.started) return core::internal_error("server already started");
  const auto& o = im.core->options;
  boost::system::error_code ec;
  auto address = net::ip::make_address(o.host, ec);
  if (ec) return core::invalid("bad listen address '" + o.host + "': " + ec.message(), "host");
  LD_RETURN_IF_ERROR(im.core->set_up_tls());
  tcp::endpoint ep(address, o.port);
  auto fail = [&](const char* what) {
    boost::system::error_code ignored;
    im.acceptor.close(ignored);
    return core::unavailable(std::string(what) + " " + o.host + ":" + std::to_string(o.port) + ": " +
                             ec.message());
  };
  if (im.acceptor.open(ep.protocol(), ec)) return fail("cannot open");
  if (im.acceptor.set_option(net::socket_base::reuse_address(true), ec)) return fail("cannot set up");
  if (im.acceptor.bind(ep, ec)) return fail("cannot bind");
  if (im.acceptor.listen(net::socket_base::max_listen_connections, ec)) return fail("cannot listen on");
  im.port = im.acceptor.local_endpoint(ec).port();
  im.core->metrics = std::make_unique<internal::RequestMetrics>(im.core->registry, im.core->router);
  im.started = true;
  im.work.emplace(im.ioc.get_executor());
  im.do_accept();
  int n = std::max(1, o.threads);
  for (int i = 0; i < n; ++i) im.threads.emplace_back([&im] {
      core::name_this_thread("ld-http");
      im.ioc.run();
    });
  return core::Status::ok();
}

uint16_t Server::port() const { return impl_->port; }

void Server::stop(std::chrono::milliseconds grace) {
  auto& im = *impl_;
  if (!im.started || im.stopped) return;
  im.stopped = true;
  auto& core = *im.core;
  core.stopping.store(true);
  net::post(im.acceptor.get_executor(), [&im] {
    boost::system::error_code ec;
    im.acceptor.close(ec);
  });
  if (core.hub) core.hub->close_all();
  for (auto& s : core.sessions_snapshot()) s->begin_stop();
  {
    std::unique_lock lock(core.sessions_mu);
    core.sessions_cv.wait_for(lock, grace, [&] { return core.sessions.empty(); });
  }
  for (auto& s : core.sessions_snapshot()) s->force_close();
  {
    // Force-closed sockets finish their operations at once; give them a moment to unwind.
    std::unique_lock lock(core.sessions_mu);
    core.sessions_cv.wait_for(lock, std::chrono::milliseconds(500), [&] { return core.sessions.empty(); });
  }
  {
    std::lock_guard lock(core.lifeline->mu);
    core.lifeline->alive = false;
  }
  im.work.reset();
  im.ioc.stop();
  for (auto& t : im.threads) t.join();
  im.threads.clear();
}

}  // namespace liandong::api::http
