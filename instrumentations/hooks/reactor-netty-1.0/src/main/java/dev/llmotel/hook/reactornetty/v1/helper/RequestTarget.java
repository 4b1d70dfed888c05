package dev.llmotel.hook.reactornetty.v1.helper;

import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.HeaderLookup;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.function.Supplier;
import reactor.netty.http.client.HttpClientConfig;

/**
 * What a request is, from the configuration {@code MonoHttpConnect} sends it with: the method, and the URI as
 * Reactor Netty resolves it (an absolute URI; or a path after the {@code baseUrl}; or a path to the configured
 * host and port). No {@code java.net.URI} parsing: a URI Reactor Netty accepts is split by hand, never rejected.
 */
final class RequestTarget {
  private RequestTarget() {}

  /** @return the request, or null for a websocket or a request whose target cannot be told */
  static ExchangeRequest describe(HttpClientConfig config, Headers headers) {
    if (config.websocketClientSpec() != null) return null;
    HttpMethod method = config.method();
    if (method == null) return null;
    String uri = config.uri();
    if (uri == null || uri.isEmpty()) uri = "/";
    String base = config.baseUrl();
    if (base != null && uri.charAt(0) == '/') {
      uri = base.endsWith("/") ? base.substring(0, base.length() - 1) + uri : base + uri;
    }
    String scheme;
    String rest;
    int schemeEnd = uri.indexOf("://");
    int firstSlash = uri.indexOf('/');
    if (schemeEnd > 0 && (firstSlash < 0 || schemeEnd < firstSlash)) {
      scheme = uri.substring(0, schemeEnd).toLowerCase(java.util.Locale.ROOT);
      rest = uri.substring(schemeEnd + 3);
    } else {
      scheme = config.isSecure() ? "https" : "http";
      rest = uri;
    }
    if (scheme.startsWith("ws")) return null;

    String host;
    int port = -1;
    String pathAndQuery;
    if (rest.startsWith("/")) {
      // a path only: the host and port the client was configured with
      InetSocketAddress address = configuredAddress(config, headers);
      if (address == null) return null;
      host = address.getHostString();
      port = address.getPort() == 0 ? -1 : address.getPort(); // 0: a Host header without a port
      pathAndQuery = rest;
    } else {
      int authorityEnd = indexOfAny(rest, "/?#");
      String authority = authorityEnd < 0 ? rest : rest.substring(0, authorityEnd);
      pathAndQuery = authorityEnd < 0 ? "/" : rest.substring(authorityEnd);
      int at = authority.lastIndexOf('@');
      if (at >= 0) authority = authority.substring(at + 1);
      int[] authorityPort = {-1};
      host = hostOf(authority, authorityPort);
      port = authorityPort[0];
      if (host.isEmpty()) return null;
    }
    int fragment = pathAndQuery.indexOf('#');
    if (fragment >= 0) pathAndQuery = pathAndQuery.substring(0, fragment);
    int question = pathAndQuery.indexOf('?');
    String path = question >= 0 ? pathAndQuery.substring(0, question) : pathAndQuery;
    String query = question >= 0 ? pathAndQuery.substring(question + 1) : null;
    if (path.isEmpty()) path = "/";
    return new ExchangeRequest(method.name(), scheme, host, port, path, query, headers);
  }

  /**
   * The address Reactor Netty's own supplier gives ({@code host(..)}/{@code port(..)}: it only builds an unresolved
   * address). A supplier of the application's ({@code remoteAddress(() -> balancer.next())}) is never called, since
   * Reactor Netty calls it itself when it connects and a second call could pick another backend or resolve a name on
   * an event loop: then the {@code Host} header the application configured names the server, or, without one, the
   * request is not traced.
   */
  static InetSocketAddress configuredAddress(HttpClientConfig config, HeaderLookup headers) {
    Supplier<? extends SocketAddress> supplier = config.remoteAddress();
    if (supplier == null) return null;
    if (!supplier.getClass().getName().startsWith("reactor.netty.")) return fromHostHeader(headers);
    SocketAddress address = supplier.get();
    return address instanceof InetSocketAddress ? (InetSocketAddress) address : null;
  }

  /** The Host header's host and port ({@link #hostOf}), unresolved (port 0 when it names none); null without one. */
  static InetSocketAddress fromHostHeader(HeaderLookup headers) {
    String value = headers == null ? null : headers.get("Host");
    if (value == null || value.trim().isEmpty()) return null;
    int[] port = {-1};
    String host = hostOf(value.trim(), port);
    if (host.isEmpty() || port[0] > 65535) return null;
    return InetSocketAddress.createUnresolved(host, Math.max(port[0], 0));
  }

  /**
   * The host of {@code host[:port]} or {@code [v6][:port]} (no user information); the port goes to {@code port[0]},
   * left as it is when there is none or it is no number.
   */
  private static String hostOf(String authority, int[] port) {
    int colon;
    String host;
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      host = close > 0 ? authority.substring(1, close) : authority;
      colon = close > 0 ? authority.indexOf(':', close) : -1;
    } else {
      colon = authority.lastIndexOf(':');
      host = colon >= 0 ? authority.substring(0, colon) : authority;
    }
    if (colon >= 0 && colon + 1 < authority.length()) {
      try {
        port[0] = Integer.parseInt(authority.substring(colon + 1));
      } catch (NumberFormatException e) {
        // no port
      }
    }
    return host;
  }

  private static int indexOfAny(String s, String chars) {
    for (int i = 0; i < s.length(); i++) {
      if (chars.indexOf(s.charAt(i)) >= 0) return i;
    }
    return -1;
  }

  /**
   * The request's headers, case-insensitively: those configured on the client until the request is written, then
   * a copy of the headers it was written with (the application's, before the trace context header is added; Spring's
   * connector, for one, sets its headers only as it writes).
   */
  static final class Headers implements HeaderLookup {
    private final HttpHeaders configured;
    private volatile HttpHeaders sent;

    Headers(HttpHeaders configured) {
      this.configured = configured;
    }

    /** Keeps a copy of the first written request's headers. */
    void sent(HttpHeaders headers) {
      if (sent == null) sent = new DefaultHttpHeaders().set(headers);
    }

    @Override
    public String get(String name) {
      try {
        HttpHeaders h = sent;
        if (h == null) h = configured;
        return h == null ? null : h.get(name);
      } catch (Throwable t) {
        return null;
      }
    }
  }
}
