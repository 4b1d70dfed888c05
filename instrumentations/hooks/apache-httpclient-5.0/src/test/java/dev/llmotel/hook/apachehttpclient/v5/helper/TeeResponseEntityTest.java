package dev.llmotel.hook.apachehttpclient.v5.helper;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.ResponseTap;
import dev.llmotel.testkit.hook.RecordedExchange;
import dev.llmotel.testkit.hook.RecordedExchange.Kind;
import dev.llmotel.testkit.hook.RecordingExchangeFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.AbstractHttpEntity;
import org.junit.jupiter.api.Test;

/**
 * {@code writeTo} on the teed entity is the wrapped entity's own (as HttpClient's {@code ResponseEntityProxy}: it
 * aborts the connection on any failure and rethrows it, and takes {@code null} to mean "discard"), with the exchange
 * shown what was written: the application's own exception, at once, however long the body would have gone on.
 */
class TeeResponseEntityTest {
  static final byte[] BODY = "data: {\"a\":1}\n\ndata: [DONE]\n\n".getBytes(StandardCharsets.UTF_8);

  /** Writes the body in 4-byte pieces, then (unless it was told to stop) an endless stream; records what it did. */
  static final class StreamingEntity extends AbstractHttpEntity {
    final List<String> calls = new ArrayList<>();
    final boolean endless;

    StreamingEntity(boolean endless) {
      super(ContentType.create("text/event-stream"), null, true);
      this.endless = endless;
    }

    @Override public InputStream getContent() { return new ByteArrayInputStream(BODY); }
    @Override public long getContentLength() { return -1; }
    @Override public boolean isStreaming() { return true; }
    @Override public void close() {}

    @Override
    public void writeTo(OutputStream out) throws IOException {
      calls.add(out == null ? "writeTo(null)" : "writeTo");
      if (out == null) return;
      try {
        for (int i = 0; i < BODY.length; i += 4) out.write(BODY, i, Math.min(4, BODY.length - i));
        for (long i = 0; endless && i < 10_000_000L; i++) out.write(BODY, 0, 4);
      } catch (IOException | RuntimeException e) {
        calls.add("abort");
        throw e;
      }
      calls.add("release");
    }
  }

  private static RecordedExchange exchange() {
    return (RecordedExchange) new RecordingExchangeFactory().begin(
        new ExchangeRequest("POST", "http", "localhost", 80, "/v1/chat/completions", null, name -> null));
  }

  @Test
  void theBodyIsWrittenByTheWrappedEntityAndShown() throws IOException {
    RecordedExchange exchange = exchange();
    StreamingEntity inner = new StreamingEntity(false);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new TeeResponseEntity(inner, new ResponseTap(exchange, -1)).writeTo(out);
    assertArrayEquals(BODY, out.toByteArray());
    assertEquals(List.of("writeTo", "release"), inner.calls);
    assertEquals(List.of(Kind.RESPONSE_BODY_END), exchange.terminalEvents());
    assertArrayEquals(BODY, exchange.responseBody().bytes());
  }

  @Test
  void theApplicationsStreamFailingStopsTheWriteAtOnceWithItsOwnException() {
    RecordedExchange exchange = exchange();
    StreamingEntity inner = new StreamingEntity(true);
    IOException gone = new IOException("client went away");
    int[] writes = {0};
    OutputStream failing = new OutputStream() {
      @Override public void write(int b) throws IOException { write(new byte[] {(byte) b}, 0, 1); }
      @Override public void write(byte[] b, int off, int len) throws IOException {
        if (++writes[0] > 2) throw gone;
      }
    };
    IOException thrown = assertThrows(IOException.class,
        () -> new TeeResponseEntity(inner, new ResponseTap(exchange, -1)).writeTo(failing));
    assertSame(gone, thrown);
    assertEquals(3, writes[0], "no write after the failing one");
    assertEquals(List.of("writeTo", "abort"), inner.calls);
    assertEquals(List.of(Kind.RESPONSE_BODY_CLOSED), exchange.terminalEvents(), "abandoned by the application");
    assertEquals(8, exchange.responseBody().bytes().length, "what the application got");
  }

  @Test
  void writeToNullIsTheWrappedEntitysOwnCase() throws IOException {
    RecordedExchange exchange = exchange();
    StreamingEntity inner = new StreamingEntity(false);
    new TeeResponseEntity(inner, new ResponseTap(exchange, -1)).writeTo(null);
    assertEquals(List.of("writeTo(null)"), inner.calls);
    assertEquals(List.of(Kind.RESPONSE_BODY_CLOSED), exchange.terminalEvents());
    assertNull(exchange.failure());
  }
}
