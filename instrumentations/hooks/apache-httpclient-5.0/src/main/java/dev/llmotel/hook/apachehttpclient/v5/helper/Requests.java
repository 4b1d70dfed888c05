package dev.llmotel.hook.apachehttpclient.v5.helper;

import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.HeaderLookup;
import java.net.URI;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.MessageHeaders;
import org.apache.hc.core5.net.URIAuthority;

/** What the exchange is told about a request, from HttpCore 5's request line parts (classic and async alike). */
final class Requests {
  private Requests() {}

  /**
   * @param target the host the application named, or null (then the request's own scheme and authority)
   */
  static ExchangeRequest describe(HttpHost target, final HttpRequest request) {
    String scheme = target != null ? target.getSchemeName() : request.getScheme();
    String host;
    int port;
    if (target != null) {
      host = target.getHostName();
      port = target.getPort();
    } else {
      URIAuthority authority = request.getAuthority();
      host = authority != null ? authority.getHostName() : null;
      port = authority != null ? authority.getPort() : -1;
    }
    String path = request.getPath();
    if (path != null && path.indexOf("://") > 0) {
      // an absolute request URI (proxy form): the parts are in the URI itself
      try {
        URI uri = URI.create(path);
        if (scheme == null) scheme = uri.getScheme();
        if (host == null) {
          host = uri.getHost();
          port = uri.getPort();
        }
        path = uri.getRawPath() + (uri.getRawQuery() != null ? "?" + uri.getRawQuery() : "");
      } catch (RuntimeException ignored) {
        // described as it stands
      }
    }
    if (scheme == null) scheme = "http";
    String query = null;
    if (path == null) {
      path = "/";
    } else {
      int hash = path.indexOf('#');
      if (hash >= 0) path = path.substring(0, hash);
      int q = path.indexOf('?');
      if (q >= 0) {
        query = path.substring(q + 1);
        path = path.substring(0, q);
      }
    }
    return new ExchangeRequest(request.getMethod(), scheme, host, port, path, query, headers(request));
  }

  /** Header values by name, case-insensitive (HttpCore's header lookups are). */
  static HeaderLookup headers(final MessageHeaders message) {
    return new HeaderLookup() {
      @Override
      public String get(String name) {
        Header h = message.getFirstHeader(name);
        return h == null ? null : h.getValue();
      }
    };
  }
}
