package dev.llmotel.hook.okhttp.helper;

import dev.llmotel.exchange.Exchange;
import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.Exchanges;
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

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    boolean[] inside = INSIDE.get();
    Exchange exchange = inside[0] ? null : Exchanges.begin(describe(request));
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

  private static ExchangeRequest describe(Request request) {
    HttpUrl url = request.url();
    return new ExchangeRequest(request.method(), url.scheme(), url.host(), url.port(), url.encodedPath(),
        url.encodedQuery(), request::header);
  }

  private static Request instrumented(Request request, Exchange exchange) {
    try {
      Request.Builder builder = request.newBuilder();
      for (Map.Entry<String, String> header : exchange.propagationHeaders().entrySet()) {
        if (request.header(header.getKey()) == null) builder.header(header.getKey(), header.getValue());
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
