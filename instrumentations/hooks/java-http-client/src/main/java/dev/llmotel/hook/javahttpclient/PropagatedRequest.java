package dev.llmotel.hook.javahttpclient;

import java.lang.reflect.Method;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Adds trace-context headers to a request by rebuilding it: same URI, method, body publisher (the same object),
 * headers, timeout, expect-continue and version. Works on JDK 11 ({@code HttpRequest.newBuilder(request, filter)}
 * exists only from JDK 16). A header the application set itself is never replaced.
 */
final class PropagatedRequest {
  /** {@code HttpRequest.Builder.HEAD()}, JDK 18+; null before. */
  private static final Method HEAD = headMethod();

  private PropagatedRequest() {}

  /**
   * @return a copy of {@code request} with the headers it does not have yet, or {@code request} itself when there is
   *     nothing to add or the request cannot be rebuilt faithfully (the trace then just is not propagated)
   */
  static HttpRequest withHeaders(HttpRequest request, Map<String, String> headers) {
    return rebuild(request, headers, null);
  }

  /**
   * @param body the body publisher to send instead of the request's own (a tee around it), or null to keep it
   * @return a copy of {@code request} with the headers it does not have yet and that body, or {@code request} itself
   *     when there is nothing to change or the request cannot be rebuilt faithfully
   */
  static HttpRequest rebuild(HttpRequest request, Map<String, String> headers, HttpRequest.BodyPublisher body) {
    try {
      boolean missing = false;
      for (String name : headers.keySet()) {
        if (!request.headers().firstValue(name).isPresent()) missing = true;
      }
      if (!missing && body == null) return request;
      HttpRequest.Builder builder = HttpRequest.newBuilder(request.uri());
      if (!sameMethodAndBody(request, builder, body)) return request;
      builder.expectContinue(request.expectContinue());
      Optional<Duration> timeout = request.timeout();
      if (timeout.isPresent()) builder.timeout(timeout.get());
      Optional<HttpClient.Version> version = request.version();
      if (version.isPresent()) builder.version(version.get());
      for (Map.Entry<String, List<String>> header : request.headers().map().entrySet()) {
        for (String value : header.getValue()) builder.header(header.getKey(), value);
      }
      for (Map.Entry<String, String> header : headers.entrySet()) {
        if (!request.headers().firstValue(header.getKey()).isPresent()) {
          builder.header(header.getKey(), header.getValue());
        }
      }
      return builder.build();
    } catch (Throwable t) {
      // restricted header, unusual URI or method of a custom HttpRequest: leave the request exactly as it was
      return request;
    }
  }

  /**
   * Sets method and body publisher. A request without a publisher (GET, DELETE, HEAD from the builder) must stay
   * without one: a {@code noBody()} publisher would add {@code Content-Length: 0} on the wire.
   */
  private static boolean sameMethodAndBody(HttpRequest request, HttpRequest.Builder builder,
      HttpRequest.BodyPublisher replacement) throws Exception {
    String method = request.method();
    Optional<HttpRequest.BodyPublisher> body = request.bodyPublisher();
    if (body.isPresent()) {
      builder.method(method, replacement != null ? replacement : body.get());
    } else if ("GET".equals(method)) {
      builder.GET();
    } else if ("DELETE".equals(method)) {
      builder.DELETE();
    } else if ("HEAD".equals(method) && HEAD != null) {
      HEAD.invoke(builder);
    } else {
      return false;
    }
    return true;
  }

  private static Method headMethod() {
    try {
      return HttpRequest.Builder.class.getMethod("HEAD");
    } catch (Throwable t) {
      return null;
    }
  }
}
