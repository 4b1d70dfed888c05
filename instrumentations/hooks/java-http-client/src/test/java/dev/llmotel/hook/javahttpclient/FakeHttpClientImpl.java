package dev.llmotel.hook.javahttpclient;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** Has the same private method as {@code HttpClientImpl}; the test weaves the advice into it. */
public class FakeHttpClientImpl {
  public static final CompletableFuture<Object> RESULT = new CompletableFuture<>();

  public <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    return sendAsync(request, handler, null, null);
  }

  @SuppressWarnings("unchecked")
  private <T> CompletableFuture<HttpResponse<T>> sendAsync(HttpRequest request, HttpResponse.BodyHandler<T> handler,
      HttpResponse.PushPromiseHandler<T> pushPromiseHandler, Executor executor) {
    AdviceHolder.RECEIVED.set(new Object[] {request, handler});
    if (request.headers().firstValue("x-throw").isPresent()) throw new IllegalArgumentException("refused");
    return (CompletableFuture<HttpResponse<T>>) (Object) RESULT;
  }
}
