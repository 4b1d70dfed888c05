package dev.llmotel.hook.okhttp.helper;

import dev.llmotel.exchange.Exchange;
import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.Exchanges;
import dev.llmotel.exchange.LogicalCall;
import java.io.IOException;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The outermost application interceptor. For a request no dialect recognises it only forwards. For an LLM request it
 * adds the trace context header, tees the request body as OkHttp writes it, and hands the application a response
 * whose body tees every byte the application reads. The application's exceptions pass through unchanged.
 */
public final class LlmInterceptor implements Interceptor {
  /**
   * {@code [0]} is true while a call is inside an LlmInterceptor on this thread: a second one in the same chain only
   * forwards. A JDK array, flipped in place: no ThreadLocal map update per call, and nothing of ours left on the
   * application's threads.
   */
  private static final ThreadLocal<boolean[]> INSIDE = new ThreadLocal<boolean[]>() {
    @Override
    protected boolean[] initialValue() {
      return new boolean[1];
    }
  };

  /** True once {@code Chain.call()} proved absent (OkHttp before 3.9): calls queued there are not carried. */
  private static volatile boolean noChainCall;

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    boolean[] inside = INSIDE.get();
    Exchange exchange = inside[0] ? null : begin(chain, request);
    if (exchange == null) return chain.proceed(request);

    Response response;
    inside[0] = true;
    try {
      response = chain.proceed(instrumented(request, exchange));
    } catch (Throwable error) {
      exchange.failed(error);
      throw error;
    } finally {
      inside[0] = false;
    }
    return observed(response, exchange);
  }

  /**
   * Begins the exchange; a call queued with {@code enqueue} from inside a logical call (an SDK's asynchronous retry
   * loop) runs here on the dispatcher's thread, so that call is bound meanwhile (see {@code OkHttpEnqueueAdvice}).
   */
  private static Exchange begin(Chain chain, Request request) {
    LogicalCall carried = LogicalCall.current() == null ? carried(chain) : null;
    boolean bound = carried != null && carried.bindHere();
    try {
      return Exchanges.begin(describe(request));
    } finally {
      if (bound) carried.leaveThread();
    }
  }

  /** The logical call the queued call carries, taken; null when none (or before OkHttp 3.9: no Chain.call()). */
  private static LogicalCall carried(Chain chain) {
    if (noChainCall) return null;
    try {
      return LogicalCall.carried(chain.call(), true);
    } catch (Throwable t) {
      noChainCall = t instanceof LinkageError;
      return null;
    }
  }

  private static ExchangeRequest describe(Request request) {
    HttpUrl url = request.url();
    return new ExchangeRequest(request.method(), url.scheme(), url.host(), url.port(), url.encodedPath(),
        url.encodedQuery(), request::header);
  }

  private static Request instrumented(Request request, Exchange exchange) {
    try {
      Request.Builder builder = request.newBuilder();
      for (Map.Entry<String, String> header : exchange.propagationHeaders().entrySet()) {
        // absent: added, without header()'s pass removing earlier values
        if (request.header(header.getKey()) == null) builder.addHeader(header.getKey(), header.getValue());
      }
      RequestBody body = request.body();
      if (body != null) builder.method(request.method(), new TeeRequestBody(body, exchange));
      else exchange.requestBodyEnd();
      return builder.build();
    } catch (Throwable t) {
      return request;
    }
  }

  private static Response observed(Response response, Exchange exchange) {
    try {
      exchange.response(response.code(), response::header);
      ResponseBody body = response.body();
      if (body == null) {
        exchange.responseWithoutBody();
        return response;
      }
      return response.newBuilder().body(new TeeResponseBody(body, exchange)).build();
    } catch (Throwable t) {
      exchange.responseWithoutBody();
      return response;
    }
  }
}
