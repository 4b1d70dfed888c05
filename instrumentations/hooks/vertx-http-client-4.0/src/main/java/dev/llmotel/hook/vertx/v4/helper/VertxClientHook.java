package dev.llmotel.hook.vertx.v4.helper;

import dev.llmotel.bootstrap.CallHook;
import dev.llmotel.exchange.Exchange;
import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.Exchanges;
import io.netty.buffer.ByteBuf;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The per-loader half of the hook (it uses Vert.x's own types), one instance per application class loader. Each
 * advice reports one event; an LLM call's {@link CallState} is found by its request object (a response through its
 * {@code request()}) in a map whose keys are weak, so a call the application forgets costs nothing for good.
 * Every method only copies bytes and records state: nothing blocks, nothing throws back into Vert.x.
 */
public final class VertxClientHook implements CallHook {
  private final Map<Object, CallState> calls = new WeakHashMap<Object, CallState>();
  /** Calls still open: while none is, events of other requests skip the map. */
  private volatile int open;

  @Override
  public Object enter(Object self, Object[] args) {
    try {
      String event = (String) args[0];
      if ("write".equals(event)) {
        write((HttpClientRequest) self, args[1], (Boolean) args[2], (Boolean) args[3]);
      } else if ("chunk".equals(event)) {
        CallState call = call(((HttpClientResponse) self).request());
        if (call != null) call.chunk((Buffer) args[1]);
      } else if ("end".equals(event)) {
        HttpClientRequest request = ((HttpClientResponse) self).request();
        CallState call = call(request);
        if (call != null && call.end()) forget(request);
      } else if ("response".equals(event)) {
        CallState call = call(self);
        if (call != null) call.response((HttpClientResponse) args[1]);
      } else if ("fail".equals(event)) {
        CallState call = call(self);
        if (call != null && call.fail((Throwable) args[1], (Boolean) args[2])) forget(self);
      } else if ("reset".equals(event)) {
        CallState call = call(self);
        if (call != null && call.reset()) forget(self);
      } else if ("requested".equals(event)) {
        requested((RequestOptions) args[1], (Future<?>) args[2]);
      } else if ("closing".equals(event)) {
        closing(self);
      }
    } catch (Throwable ignored) {
      // observing never breaks the call
    }
    return null;
  }

  @Override
  public void exit(Object token, Object result, Throwable thrown) {
    // every event is reported on enter
  }

  /**
   * The first write of a request begins its exchange (before the head is written); every write is teed. The bytes
   * are a Netty {@code ByteBuf} (4.5, 5.0), a Vert.x {@code Buffer} (5.1, 5.2), or null (the head alone).
   */
  private void write(HttpClientRequest request, Object body, boolean end, boolean first) {
    CallState call;
    if (first) {
      if (call(request) != null) return; // already begun (a write raced past the head flag)
      Exchange exchange = Exchanges.begin(VertxRequests.describe(request));
      if (exchange == null) return;
      call = new CallState(exchange, request.connection());
      synchronized (calls) {
        calls.put(request, call);
        open = calls.size();
      }
      propagate(exchange, request.headers());
    } else {
      call = call(request);
      if (call == null) return;
    }
    if (body instanceof Buffer) call.requestBytes((Buffer) body, end);
    else call.requestBytes((ByteBuf) body, end);
  }

  /** A call that never got a request object (no connection): reported as a failed exchange, once. */
  private static void requested(final RequestOptions options, Future<?> future) {
    future.onComplete(result -> {
      if (!result.failed()) return;
      try {
        Exchange exchange = Exchanges.begin(VertxRequests.describe(options));
        if (exchange != null) exchange.failed(result.cause());
      } catch (Throwable ignored) {
        // the application's failure goes on unchanged
      }
    });
  }

  /** A connection is closing: calls still open on it end as abandoned when their stream fails. */
  private void closing(Object connection) {
    if (open == 0) return;
    synchronized (calls) {
      for (CallState call : calls.values()) {
        if (call.connection() == connection) call.connectionClosing();
      }
    }
  }

  private CallState call(Object request) {
    if (open == 0 || request == null) return null;
    synchronized (calls) {
      return calls.get(request);
    }
  }

  private void forget(Object request) {
    if (request == null) return;
    synchronized (calls) {
      calls.remove(request);
      open = calls.size();
    }
  }

  /** Headers the exchange wants on the request (the trace context), unless the application set them itself. */
  static void propagate(Exchange exchange, MultiMap headers) {
    for (Map.Entry<String, String> h : exchange.propagationHeaders().entrySet()) {
      if (!headers.contains(h.getKey())) headers.add(h.getKey(), h.getValue());
    }
  }
}
