package dev.llmotel.testkit.hook;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The kit's server itself, through a plain HttpClient (no hook). */
class HookTestServerTest {
  static HookTestServer server;
  static HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void start() throws IOException {
    server = new HookTestServer();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static <T> HttpResponse<T> post(String path, HttpResponse.BodyHandler<T> handler) throws Exception {
    return client.send(HttpRequest.newBuilder(server.uri(path))
        .POST(BodyPublishers.ofByteArray(AbstractHookTest.REQUEST_JSON)).build(), handler);
  }

  @Test
  void hugeBodyHasTheAnnouncedSizeAndChecksum() throws Exception {
    server.reset();
    byte[] body = post(HookTestServer.HUGE, BodyHandlers.ofByteArray()).body();
    CRC32 crc = new CRC32();
    crc.update(body);
    assertEquals(HookTestServer.HUGE_SIZE, body.length);
    assertEquals(HookTestServer.HUGE_CRC32, crc.getValue());
    assertArrayEquals(AbstractHookTest.REQUEST_JSON, server.onlyRequest().body);
  }

  @Test
  void streamHoldsItsLastEventUntilReleased() throws Exception {
    server.reset();
    try (InputStream in = post(HookTestServer.STREAM, BodyHandlers.ofInputStream()).body()) {
      int allButLast = HookTestServer.SSE.length - HookTestServer.SSE_EVENTS.get(HookTestServer.SSE_EVENTS.size() - 1).length;
      assertEquals(allButLast, in.readNBytes(allButLast).length);
      assertFalse(server.streamFinished());
      server.releaseStream();
      assertEquals(HookTestServer.SSE.length - allButLast, in.readAllBytes().length);
    }
  }

  @Test
  void brokenDropsTheConnectionMidBody() throws Exception {
    server.reset();
    try (InputStream in = post(HookTestServer.BROKEN, BodyHandlers.ofInputStream()).body()) {
      assertThrows(IOException.class, in::readAllBytes);
    }
  }

  @Test
  void retryAnswers408Once() throws Exception {
    server.reset();
    assertEquals(408, post(HookTestServer.RETRY, BodyHandlers.ofString()).statusCode());
    assertEquals(200, post(HookTestServer.RETRY, BodyHandlers.ofString()).statusCode());
    List<HookTestServer.Received> received = server.received();
    assertEquals(2, received.size());
    assertTrue(received.get(0).header("Content-Length").contains(String.valueOf(AbstractHookTest.REQUEST_JSON.length)));
  }
}
