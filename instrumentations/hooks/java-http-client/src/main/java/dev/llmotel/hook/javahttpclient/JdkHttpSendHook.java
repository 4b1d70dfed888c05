package dev.llmotel.hook.javahttpclient;

import dev.llmotel.bootstrap.CallHook;
import dev.llmotel.config.ExportThreads;
import dev.llmotel.exchange.Exchange;
import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.Exchanges;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * What {@link JdkHttpSendAdvice} calls around {@code HttpClientImpl.sendAsync}. A request no dialect recognises is
 * left exactly as it was (same objects, no token). For an LLM request: adds the trace-context header (unless the
 * application set it), reports an in-memory request body or sends any other one through a {@link TeeBodyPublisher},
 * and replaces the body handler with a {@link
 * TeeBodyHandler}; on exit, a thrown exception or an exceptionally completed future fails the exchange. The
 * application's future is never altered: the hook only attaches a {@code whenComplete} and drops the derived future.
 */
public final class JdkHttpSendHook implements CallHook {
  /**
   * @param args {@code [request, bodyHandler]}; replaced in place for an LLM request
   * @return the call's {@link GuardedExchange}, or null when the request is of no interest
   */
  @Override
  public Object enter(Object client, Object[] args) {
    Exchange exchange;
    try {
      if (args == null || args.length < 2 || !(args[0] instanceof HttpRequest)
          || !(args[1] instanceof HttpResponse.BodyHandler) || ExportThreads.isCurrent()) {
        return null; // (the agent's own export traffic: never traced)
      }
      exchange = Exchanges.begin(describe((HttpRequest) args[0]));
    } catch (Throwable t) {
      return null;
    }
    if (exchange == null) return null;
    GuardedExchange call = new GuardedExchange(exchange);
    try {
      HttpRequest original = (HttpRequest) args[0];
      java.util.Optional<HttpRequest.BodyPublisher> body = original.bodyPublisher();
      HttpRequest request;
      if (body.isPresent() && !RequestBodyCopy.isRepeatable(body.get()) && body.get().contentLength() != 0) {
        // a body that cannot be read twice is seen as the client sends it; if the request cannot be rebuilt around
        // the tee, it goes out as it was and the exchange sees no request bytes
        request = PropagatedRequest.rebuild(original, call.propagationHeaders(),
            new TeeBodyPublisher(body.get(), call));
        if (request == original) call.requestBodyEnd();
      } else {
        request = PropagatedRequest.withHeaders(original, call.propagationHeaders());
        RequestBodyCopy.report(request.bodyPublisher(), call);
      }
      TeeBodyHandler<?> handler = new TeeBodyHandler<>((HttpResponse.BodyHandler<?>) args[1], call);
      args[0] = request;
      args[1] = handler;
      return call;
    } catch (Throwable t) {
      // could not attach: the call goes ahead untouched and the exchange ends here
      call.responseWithoutBody();
      return null;
    }
  }

  @Override
  public void exit(Object token, Object result, Throwable thrown) {
    if (!(token instanceof GuardedExchange)) return;
    final GuardedExchange call = (GuardedExchange) token;
    try {
      if (thrown != null) {
        call.failed(thrown);
      } else if (result instanceof CompletableFuture) {
        ((CompletableFuture<?>) result).whenComplete((response, error) -> {
          if (error != null) call.failed(unwrap(error));
        });
      }
    } catch (Throwable ignored) {
      // nothing reaches the application
    }
  }

  static ExchangeRequest describe(HttpRequest request) {
    URI uri = request.uri();
    return new ExchangeRequest(request.method(), uri.getScheme(), uri.getHost(), uri.getPort(), uri.getRawPath(),
        uri.getRawQuery(), new HttpHeadersLookup(request.headers()));
  }

  /** The exception the application sees from {@code send} (or as the cause of {@code get()}). */
  private static Throwable unwrap(Throwable error) {
    Throwable t = error;
    while (t instanceof CompletionException && t.getCause() != null) t = t.getCause();
    return t;
  }
}
