package dev.llmotel.hook.okhttp;

import static org.junit.jupiter.api.Assertions.*;

import dev.llmotel.bootstrap.ObjectHook;
import dev.llmotel.exchange.Exchanges;
import dev.llmotel.hook.HelperLoaders;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LlmInterceptorTest {
  private final MockWebServer server = new MockWebServer();
  private final List<RecordingExchange> exchanges = new CopyOnWriteArrayList<>();
  private OkHttpClient client;

  @BeforeEach
  void setUp() throws Exception {
    server.start();
    Exchanges.install(request -> {
      if (!request.path().endsWith("/chat/completions")) return null;
      RecordingExchange ex = new RecordingExchange(request);
      exchanges.add(ex);
      return ex;
    });
    HelperLoaders.registerHelperPackages(OkHttpInstrumentation.HELPER_PACKAGE);
    OkHttpClient.Builder builder = new OkHttpClient.Builder();
    // exactly what the advice does at the end of the builder's constructor
    ObjectHook customizer = (ObjectHook) HelperLoaders.newInstance(
        OkHttpClient.class.getClassLoader(), OkHttpInstrumentation.HELPER_PACKAGE + "BuilderCustomizer");
    customizer.apply(builder);
    customizer.apply(builder);
    client = builder.build();
  }

  @AfterEach
  void tearDown() throws IOException {
    Exchanges.install(null);
    server.shutdown();
  }

  private Request post(String path, String json) {
    return new Request.Builder().url(server.url(path))
        .header("Authorization", "Bearer sk-secret")
        .post(RequestBody.create(json, MediaType.get("application/json"))).build();
  }

  @Test
  void theInterceptorIsAddedOnceAndSurvivesNewBuilder() {
    assertEquals(1, client.interceptors().size());
    OkHttpClient copy = client.newBuilder().build();
    assertEquals(1, copy.interceptors().size());
  }

  @Test
  void duplicatesFromACopiedBuilderAreRemovedAndNeverTraceTwice() throws Exception {
    // OkHttp 4's copy constructor: the no-arg constructor's hook adds one, then the client's list is copied in.
    OkHttpClient.Builder copy = client.newBuilder();
    copy.interceptors().add(client.interceptors().get(0));
    ObjectHook customizer = (ObjectHook) HelperLoaders.newInstance(
        OkHttpClient.class.getClassLoader(), OkHttpInstrumentation.HELPER_PACKAGE + "BuilderCustomizer");
    OkHttpClient twice = copy.build();
    server.enqueue(new MockResponse().setBody("{}"));
    twice.newCall(post("/v1/chat/completions", "{}")).execute().close();
    assertEquals(1, exchanges.size(), "two interceptors in one chain trace the call once");
    customizer.apply(copy);
    assertEquals(1, copy.interceptors().size());
  }

  @Test
  void chatBodiesPassThroughByteIdenticalAndAreObserved() throws Exception {
    byte[] body = new byte[300_000];
    new Random(7).nextBytes(body);
    server.enqueue(new MockResponse().setBody(new Buffer().write(body)).setHeader("Content-Type", "application/json"));
    String json = "{\"model\":\"gpt-4o-mini\",\"messages\":[]}";
    byte[] received;
    try (Response response = client.newCall(post("/v1/chat/completions", json)).execute()) {
      received = response.body().bytes();
    }
    assertArrayEquals(body, received);
    RecordingExchange ex = exchanges.get(0);
    assertArrayEquals(body, ex.responseBody.toByteArray());
    assertEquals(json, ex.requestBody.toString("UTF-8"));
    assertEquals("requestBodyEnd", ex.events.get(0));
    assertEquals("response 200 application/json", ex.events.get(1));
    assertTrue(ex.events.contains("end"));
    assertFalse(ex.events.contains("closed"), "a close after the end is not an abandonment");

    RecordedRequest recorded = server.takeRequest(5, TimeUnit.SECONDS);
    assertEquals("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", recorded.getHeader("traceparent"));
    assertEquals(json, recorded.getBody().readUtf8());
  }

  @Test
  void transportFailureReachesTheAppUnchangedAndTheExchange() throws Exception {
    server.shutdown();
    IOException thrown = assertThrows(IOException.class,
        () -> client.newCall(post("/v1/chat/completions", "{}")).execute());
    RecordingExchange ex = exchanges.get(0);
    assertSame(thrown, ex.failure);
  }
}
