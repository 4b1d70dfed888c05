package dev.llmotel.hook.apachehttpclient.v4.helper;

import dev.llmotel.bootstrap.CallHook;
import dev.llmotel.exchange.Exchange;
import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.Exchanges;
import dev.llmotel.exchange.ResponseTap;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.http.Header;
import org.apache.http.HttpEntity;
import org.apache.http.HttpEntityEnclosingRequest;
import org.apache.http.HttpHost;
import org.apache.http.HttpRequest;
import org.apache.http.HttpResponse;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpUriRequest;
import org.apache.http.message.BasicHeader;

/**
 * The per-loader half of the hook (it needs Apache's types). On enter, for a request a dialect recognises: adds the
 * trace context header unless the application set one, and tees the request entity as the client writes it. On
 * exit: reports the response and hands the application a response whose entity tees every byte it reads and whose
 * {@code close()} ends the exchange if reading did not; or reports the failure. The application's request is given
 * back its own entity and headers on exit, so a request object sent again is sent as the application built it.
 */
public final class ExecuteHook implements CallHook {
  /** {@code [0]} is true while this thread is inside an observed call: a nested client call only forwards. */
  private static final ThreadLocal<boolean[]> INSIDE = new ThreadLocal<boolean[]>() {
    @Override
    protected boolean[] initialValue() {
      return new boolean[1];
    }
  };

  /** What enter changed, to report and undo on exit. */
  static final class Scope {
    final Exchange exchange;
    final HttpRequest request;
    final boolean[] inside;
    HttpEntity originalEntity;
    List<Header> added;

    Scope(Exchange exchange, HttpRequest request, boolean[] inside) {
      this.exchange = exchange;
      this.request = request;
      this.inside = inside;
    }
  }

  @Override
  public Object enter(Object self, Object[] args) {
    try {
      if (!(args[1] instanceof HttpRequest)) return null;
      boolean[] inside = INSIDE.get();
      if (inside[0]) return null;
      HttpRequest request = (HttpRequest) args[1];
      Exchange exchange = Exchanges.begin(describe((HttpHost) args[0], request));
      if (exchange == null) return null;
      Scope scope = new Scope(exchange, request, inside);
      inside[0] = true;
      try {
        for (Map.Entry<String, String> h : exchange.propagationHeaders().entrySet()) {
          if (request.getFirstHeader(h.getKey()) != null) continue;
          Header header = new BasicHeader(h.getKey(), h.getValue());
          request.addHeader(header);
          if (scope.added == null) scope.added = new ArrayList<Header>(1);
          scope.added.add(header);
        }
        HttpEntity entity = request instanceof HttpEntityEnclosingRequest
            ? ((HttpEntityEnclosingRequest) request).getEntity() : null;
        if (entity != null) {
          scope.originalEntity = entity;
          ((HttpEntityEnclosingRequest) request).setEntity(new TeeRequestEntity(entity, exchange));
        } else {
          exchange.requestBodyEnd();
        }
      } catch (Throwable ignored) {
        // the request goes out as far as it was changed; the exchange still follows the call
      }
      return scope;
    } catch (Throwable t) {
      return null;
    }
  }

  @Override
  public void exit(Object token, Object result, Throwable thrown) {
    Scope scope = (Scope) token;
    scope.inside[0] = false;
    restore(scope);
    Exchange exchange = scope.exchange;
    if (thrown != null) {
      exchange.failed(thrown);
      return;
    }
    Object[] box = (Object[]) result;
    if (!(box[0] instanceof CloseableHttpResponse)) {
      exchange.responseWithoutBody();
      return;
    }
    CloseableHttpResponse response = (CloseableHttpResponse) box[0];
    try {
      exchange.response(response.getStatusLine().getStatusCode(), name -> header(response, name));
      HttpEntity entity = response.getEntity();
      if (entity == null) {
        exchange.responseWithoutBody();
        return;
      }
      ResponseTap tap = new ResponseTap(exchange, entity.getContentLength());
      response.setEntity(new TeeResponseEntity(entity, tap));
      box[0] = new ObservedResponse(response, tap);
    } catch (Throwable t) {
      exchange.responseWithoutBody();
    }
  }

  private static void restore(Scope scope) {
    try {
      if (scope.originalEntity != null) {
        ((HttpEntityEnclosingRequest) scope.request).setEntity(scope.originalEntity);
      }
      if (scope.added != null) {
        for (Header h : scope.added) scope.request.removeHeader(h);
      }
    } catch (Throwable ignored) {
      // the request object is the application's; the call itself is over
    }
  }

  private static String header(HttpResponse response, String name) {
    Header h = response.getFirstHeader(name);
    return h == null ? null : h.getValue();
  }

  static ExchangeRequest describe(HttpHost target, final HttpRequest request) {
    String method = request.getRequestLine().getMethod();
    URI uri = request instanceof HttpUriRequest ? ((HttpUriRequest) request).getURI()
        : URI.create(request.getRequestLine().getUri());
    String scheme = target != null ? target.getSchemeName() : uri.getScheme();
    String host = target != null ? target.getHostName() : uri.getHost();
    int port = target != null ? target.getPort() : uri.getPort();
    if (port < 0) port = "https".equalsIgnoreCase(scheme) ? 443 : 80;
    String path = uri.getRawPath();
    if (path == null || path.isEmpty()) path = "/";
    return new ExchangeRequest(method, scheme, host, port, path, uri.getRawQuery(), name -> {
      Header h = request.getFirstHeader(name);
      return h == null ? null : h.getValue();
    });
  }
}
