package dev.llmotel.hook.apachehttpclient.v5.helper;

import dev.llmotel.bootstrap.CallHook;
import dev.llmotel.exchange.Exchange;
import dev.llmotel.exchange.Exchanges;
import dev.llmotel.exchange.ResponseTap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.message.BasicHeader;

/**
 * The per-loader half of the classic hook (it needs HttpCore 5's types). On enter, for a request a dialect recognises:
 * adds the trace context header unless the application set one, and tees the request entity as the client writes it
 * (the client copies the request, entity reference and headers included, before its retries and redirects). On exit:
 * gives the application's request back its own entity and headers, reports the response and swaps its entity for one
 * that tees every byte the application reads and whose {@code close()} ends the exchange if reading did not; or
 * reports the failure. The response object itself is the client's: {@code CloseableHttpResponse.close()} closes the
 * entity, so closing it unread is seen too.
 */
public final class ClassicExecuteHook implements CallHook {
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
    final ClassicHttpRequest request;
    final boolean[] inside;
    HttpEntity originalEntity;
    boolean entitySwapped;
    List<Header> added;

    Scope(Exchange exchange, ClassicHttpRequest request, boolean[] inside) {
      this.exchange = exchange;
      this.request = request;
      this.inside = inside;
    }
  }

  @Override
  public Object enter(Object self, Object[] args) {
    try {
      if (!(args[1] instanceof ClassicHttpRequest)) return null;
      boolean[] inside = INSIDE.get();
      if (inside[0]) return null;
      ClassicHttpRequest request = (ClassicHttpRequest) args[1];
      HttpHost target = args[0] instanceof HttpHost ? (HttpHost) args[0] : null;
      Exchange exchange = Exchanges.begin(Requests.describe(target, request));
      if (exchange == null) return null;
      Scope scope = new Scope(exchange, request, inside);
      inside[0] = true;
      try {
        for (Map.Entry<String, String> h : exchange.propagationHeaders().entrySet()) {
          if (request.containsHeader(h.getKey())) continue;
          Header header = new BasicHeader(h.getKey(), h.getValue());
          request.addHeader(header);
          if (scope.added == null) scope.added = new ArrayList<Header>(1);
          scope.added.add(header);
        }
        HttpEntity entity = request.getEntity();
        if (entity != null) {
          scope.originalEntity = entity;
          request.setEntity(new TeeRequestEntity(entity, exchange));
          scope.entitySwapped = true;
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
    if (!(result instanceof ClassicHttpResponse)) {
      exchange.responseWithoutBody();
      return;
    }
    ClassicHttpResponse response = (ClassicHttpResponse) result;
    try {
      exchange.response(response.getCode(), Requests.headers(response));
      HttpEntity entity = response.getEntity();
      if (entity == null) {
        exchange.responseWithoutBody();
        return;
      }
      response.setEntity(new TeeResponseEntity(entity, new ResponseTap(exchange, entity.getContentLength())));
    } catch (Throwable t) {
      exchange.responseWithoutBody();
    }
  }

  private static void restore(Scope scope) {
    try {
      if (scope.entitySwapped) scope.request.setEntity(scope.originalEntity);
      if (scope.added != null) {
        for (Header h : scope.added) scope.request.removeHeader(h);
      }
    } catch (Throwable ignored) {
      // the request object is the application's; the call itself is over
    }
  }
}
