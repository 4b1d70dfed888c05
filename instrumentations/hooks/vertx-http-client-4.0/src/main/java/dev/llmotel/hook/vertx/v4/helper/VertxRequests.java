package dev.llmotel.hook.vertx.v4.helper;

import dev.llmotel.exchange.ExchangeRequest;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.RequestOptions;
import java.net.URI;

/** What the exchange learns of a Vert.x request before it is sent: method, target, path, query and headers. */
final class VertxRequests {
  private VertxRequests() {}

  /** A request object about to write its head. */
  static ExchangeRequest describe(HttpClientRequest request) {
    final MultiMap headers = request.headers();
    String uri = request.getURI();
    // a request through an HTTP proxy carries the absolute URI itself
    URI target = URI.create(isAbsolute(uri) ? uri : request.absoluteURI());
    return new ExchangeRequest(request.getMethod().name(), target.getScheme(), target.getHost(), target.getPort(),
        target.getRawPath(), target.getRawQuery(), headers::get);
  }

  /** The options of a call that got no request object (its connection failed). */
  static ExchangeRequest describe(RequestOptions options) {
    String uri = options.getURI() == null ? "/" : options.getURI();
    Boolean ssl = options.isSsl();
    String scheme = ssl != null && ssl ? "https" : "http";
    String host = options.getHost() == null ? "localhost" : options.getHost();
    Integer port = options.getPort();
    URI target = URI.create(isAbsolute(uri) ? uri : scheme + "://" + hostForUri(host) + uri);
    final MultiMap headers = options.getHeaders();
    return new ExchangeRequest(options.getMethod().name(), target.getScheme(), target.getHost(),
        isAbsolute(uri) ? target.getPort() : (port == null ? -1 : port), target.getRawPath(), target.getRawQuery(),
        headers == null ? null : headers::get);
  }

  private static boolean isAbsolute(String uri) {
    return uri.startsWith("http://") || uri.startsWith("https://");
  }

  private static String hostForUri(String host) {
    return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
  }
}
