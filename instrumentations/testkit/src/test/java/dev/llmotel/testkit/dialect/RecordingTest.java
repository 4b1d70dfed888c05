package dev.llmotel.testkit.dialect;

import static org.junit.jupiter.api.Assertions.*;

import dev.llmotel.exchange.ExchangeRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordingTest {
  @TempDir Path dir;

  private void write(String file, byte[] bytes) throws IOException {
    Files.write(dir.resolve(file), bytes);
  }

  private void write(String file, String text) throws IOException {
    write(file, text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsHeadsWithEitherLineEndAndBodiesByteForByte() throws IOException {
    write("request.http", "POST https://api.example.com:8443/v1/chat/completions?api-version=2024-10-21&x=a%20b\r\n"
        + "Content-Type: application/json\r\nX-Twice: first\r\nx-twice: second\r\n\r\n{\"model\":\"m\"}\n");
    byte[] body = {'d', 'a', 't', 'a', '\r', '\n', '\r', '\n', 0, (byte) 0xff, '\n', '\n'};
    byte[] head = "200\nContent-Type:text/event-stream\n\n".getBytes(StandardCharsets.UTF_8);
    byte[] response = new byte[head.length + body.length];
    System.arraycopy(head, 0, response, 0, head.length);
    System.arraycopy(body, 0, response, head.length, body.length);
    write("response.http", response);
    Recording r = Recording.load(dir);
    ExchangeRequest q = r.exchangeRequest();
    assertEquals("POST", q.method());
    assertEquals("https", q.scheme());
    assertEquals("api.example.com", q.host());
    assertEquals(8443, q.port());
    assertEquals("/v1/chat/completions", q.path());
    assertEquals("api-version=2024-10-21&x=a%20b", q.query());
    assertEquals("application/json", q.headers().get("content-type"));
    assertEquals("first", q.headers().get("X-TWICE"), "the first value of a repeated header");
    assertArrayEquals("{\"model\":\"m\"}\n".getBytes(StandardCharsets.UTF_8), r.requestBody());
    assertEquals(200, r.status());
    assertEquals("text/event-stream", r.responseHeaders().get("Content-Type"));
    assertArrayEquals(body, r.responseBody());
    assertNull(r.expected());
    assertTrue(r.complete());
    assertFalse(r.context().captureContent());
    assertEquals(dir.getFileName().toString(), r.name());
  }

  @Test
  void aHeadWithoutBlankLineHasAnEmptyBodyAndTheDefaultPortIsTheSchemes() throws IOException {
    write("request.http", "GET http://localhost/v1/models");
    write("response.http", "204\nServer: x\n");
    Recording r = Recording.load(dir);
    assertEquals(80, r.exchangeRequest().port());
    assertNull(r.exchangeRequest().query());
    assertEquals(0, r.requestBody().length);
    assertEquals(0, r.responseBody().length);
    assertEquals(204, r.status());
  }

  @Test
  void settingsComeFromRecordingProperties() throws IOException {
    write("request.http", "POST https://h/x\n\n");
    write("response.http", "200\n\n");
    write("recording.properties", "capture-content=true\ncomplete=false\nmax-event-bytes=256\n"
        + "max-parsed-bytes=1000\nmax-retained-chars=64\n");
    write("expected.json", "{\"response.http_status\": 200}");
    Recording r = Recording.load(dir);
    assertFalse(r.complete());
    assertTrue(r.context().captureContent());
    assertEquals(8192, r.context().maxContentChars());
    assertEquals(256, r.context().maxEventBytes());
    assertEquals(1000, r.context().maxParsedBytes());
    assertEquals(64, r.context().maxRetainedChars());
    assertEquals(200L, r.expected().get("response.http_status"));
  }

  @Test
  void malformedFilesAreRejectedWithTheirName() throws IOException {
    write("request.http", "POST https://h/x\n\n");
    write("response.http", "HTTP/1.1 200 OK\n\n");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Recording.load(dir)).getMessage()
        .startsWith("response.http: the first line must be the status code"));
    write("response.http", "200\nno colon here\n\n");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Recording.load(dir)).getMessage()
        .startsWith("response.http: not a 'Name: value' header line"));
    write("response.http", "200\n\n");
    write("request.http", "https://h/x\n\n");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Recording.load(dir)).getMessage()
        .startsWith("request.http: the first line must be 'METHOD URL'"));
    write("request.http", "POST /x\n\n");
    assertThrows(IllegalArgumentException.class, () -> Recording.load(dir));
    write("request.http", "POST https://h/x\n\n");
    write("recording.properties", "capture_content=true\n");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Recording.load(dir)).getMessage()
        .contains("unknown setting 'capture_content'"));
    write("recording.properties", "complete=no\n");
    assertThrows(IllegalArgumentException.class, () -> Recording.load(dir));
    Files.delete(dir.resolve("recording.properties"));
    write("expected.json", "{\"a\":1,}");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Recording.load(dir)).getMessage()
        .startsWith("expected.json: "));
  }
}
