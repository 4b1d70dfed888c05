package dev.llmotel.hook.javahttpclient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PropagatedRequestTest {
  static final URI URI_ = URI.create("https://api.example.com/v1/chat/completions?x=1");
  static final Map<String, String> TRACE = Collections.singletonMap("traceparent", JdkHttpSendHookTest.OUR_TRACEPARENT);

  @Test
  void copyKeepsEverythingAndAddsTheHeader() {
    HttpRequest.BodyPublisher body = BodyPublishers.ofString("{}");
    HttpRequest original = HttpRequest.newBuilder(URI_)
        .method("PATCH", body)
        .header("Authorization", "Bearer sk-secret")
        .header("X-Multi", "a")
        .header("X-Multi", "b")
        .timeout(Duration.ofSeconds(42))
        .expectContinue(true)
        .version(HttpClient.Version.HTTP_2)
        .build();

    HttpRequest copy = PropagatedRequest.withHeaders(original, TRACE);

    assertEquals("PATCH", copy.method());
    assertEquals(URI_, copy.uri());
    assertSame(body, copy.bodyPublisher().get());
    assertEquals(Optional.of(Duration.ofSeconds(42)), copy.timeout());
    assertTrue(copy.expectContinue());
    assertEquals(Optional.of(HttpClient.Version.HTTP_2), copy.version());
    assertEquals(Arrays.asList("a", "b"), copy.headers().allValues("x-multi"));
    assertEquals(Collections.singletonList("Bearer sk-secret"), copy.headers().allValues("authorization"));
    assertEquals(Collections.singletonList(JdkHttpSendHookTest.OUR_TRACEPARENT), copy.headers().allValues("traceparent"));
    Map<String, List<String>> withoutTrace = new HashMap<>(copy.headers().map());
    withoutTrace.remove("traceparent");
    assertEquals(original.headers().map(), withoutTrace);
  }

  @Test
  void absentOptionalsStayAbsent() {
    HttpRequest original = HttpRequest.newBuilder(URI_).POST(BodyPublishers.noBody()).build();
    HttpRequest copy = PropagatedRequest.withHeaders(original, TRACE);
    assertFalse(copy.timeout().isPresent());
    assertFalse(copy.version().isPresent());
    assertFalse(copy.expectContinue());
    assertEquals(original.bodyPublisher(), copy.bodyPublisher());
  }

  @Test
  void bodylessMethodsStayWithoutPublisher() {
    for (HttpRequest original : Arrays.asList(HttpRequest.newBuilder(URI_).GET().build(),
        HttpRequest.newBuilder(URI_).DELETE().build())) {
      HttpRequest copy = PropagatedRequest.withHeaders(original, TRACE);
      assertEquals(original.method(), copy.method());
      assertFalse(copy.bodyPublisher().isPresent(), original.method());
      assertTrue(copy.headers().firstValue("traceparent").isPresent());
    }
  }

  @Test
  void headerTheAppSetIsKeptAndRequestNotCopied() {
    HttpRequest original = HttpRequest.newBuilder(URI_).header("TraceParent", "00-app").GET().build();
    assertSame(original, PropagatedRequest.withHeaders(original, TRACE));
    assertSame(original, PropagatedRequest.withHeaders(original, Collections.emptyMap()));
  }

  @Test
  void onlyTheMissingHeadersAreAdded() {
    Map<String, String> propagation = new HashMap<>();
    propagation.put("traceparent", JdkHttpSendHookTest.OUR_TRACEPARENT);
    propagation.put("tracestate", "ours=1");
    HttpRequest original = HttpRequest.newBuilder(URI_).header("traceparent", "00-app").GET().build();

    HttpRequest copy = PropagatedRequest.withHeaders(original, propagation);

    assertEquals(Collections.singletonList("00-app"), copy.headers().allValues("traceparent"));
    assertEquals(Collections.singletonList("ours=1"), copy.headers().allValues("tracestate"));
  }

  @Test
  void aRequestThatCannotBeRebuiltFaithfullyIsLeftAlone() {
    HttpRequest custom = new HttpRequest() {
      @Override public Optional<BodyPublisher> bodyPublisher() { return Optional.empty(); }
      @Override public String method() { return "PATCH"; }
      @Override public Optional<Duration> timeout() { return Optional.empty(); }
      @Override public boolean expectContinue() { return false; }
      @Override public URI uri() { return URI_; }
      @Override public Optional<HttpClient.Version> version() { return Optional.empty(); }
      @Override public HttpHeaders headers() { return HttpHeaders.of(Collections.emptyMap(), (n, v) -> true); }
    };
    assertSame(custom, PropagatedRequest.withHeaders(custom, TRACE));

    HttpRequest restricted = new HttpRequest() {
      @Override public Optional<BodyPublisher> bodyPublisher() { return Optional.empty(); }
      @Override public String method() { return "GET"; }
      @Override public Optional<Duration> timeout() { return Optional.empty(); }
      @Override public boolean expectContinue() { return false; }
      @Override public URI uri() { return URI_; }
      @Override public Optional<HttpClient.Version> version() { return Optional.empty(); }
      @Override public HttpHeaders headers() {
        return HttpHeaders.of(Collections.singletonMap("Host", Collections.singletonList("other")), (n, v) -> true);
      }
    };
    assertSame(restricted, PropagatedRequest.withHeaders(restricted, TRACE));
  }
}
