package dev.llmotel.hook.apachehttpclient.v4.helper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.llmotel.exchange.ExchangeRequest;
import dev.llmotel.exchange.ResponseTap;
import dev.llmotel.testkit.hook.RecordedExchange;
import dev.llmotel.testkit.hook.RecordedExchange.Kind;
import dev.llmotel.testkit.hook.RecordingExchangeFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import org.apache.http.entity.AbstractHttpEntity;
import org.junit.jupiter.api.Test;

/**
 * {@code writeTo} on the teed entity is the wrapped entity's own (HttpClient 4's {@code ResponseEntityProxy} aborts
 * the connection on a failure and rethrows it): the application's stream failing stops the write with its own
 * exception, the exchange abandoned; a whole write ends the exchange.
 */
class TeeResponseEntityTest {
  /** An endless streamed body, written in 4-byte pieces until the stream refuses one. */
  static final class EndlessEntity extends AbstractHttpEntity {
    final long pieces;

    EndlessEntity(long pieces) {
      this.pieces = pieces;
    }

    @Override public boolean isRepeatable() { return false; }
    @Override public long getContentLength() { return -1; }
    /** The teed entity must write through this entity's own writeTo, never read its content around it. */
    @Override public java.io.InputStream getContent() { throw new AssertionError("getContent() read around writeTo"); }
    @Override public boolean isStreaming() { return true; }

    @Override
    public void writeTo(OutputStream out) throws IOException {
      for (long i = 0; i < pieces; i++) out.write(new byte[] {'d', 'a', 't', 'a'}, 0, 4);
    }
  }

  private static RecordedExchange exchange() {
    return (RecordedExchange) new RecordingExchangeFactory().begin(
        new ExchangeRequest("POST", "http", "localhost", 80, "/v1/chat/completions", null, name -> null));
  }

  @Test
  void theApplicationsStreamFailingStopsTheWriteWithItsOwnException() {
    RecordedExchange exchange = exchange();
    IOException gone = new IOException("client went away");
    OutputStream failing = new OutputStream() {
      int writes;

      @Override public void write(int b) throws IOException { write(new byte[] {(byte) b}, 0, 1); }
      @Override public void write(byte[] b, int off, int len) throws IOException {
        if (++writes > 2) throw gone;
      }
    };
    assertSame(gone, assertThrows(IOException.class,
        () -> new TeeResponseEntity(new EndlessEntity(Long.MAX_VALUE), new ResponseTap(exchange, -1)).writeTo(failing)));
    assertEquals(List.of(Kind.RESPONSE_BODY_CLOSED), exchange.terminalEvents());
    assertEquals(8, exchange.responseBody().bytes().length);
  }

  @Test
  void aWholeWriteEndsTheExchange() throws IOException {
    RecordedExchange exchange = exchange();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new TeeResponseEntity(new EndlessEntity(3), new ResponseTap(exchange, -1)).writeTo(out);
    assertEquals("datadatadata", out.toString("UTF-8"));
    assertEquals(List.of(Kind.RESPONSE_BODY_END), exchange.terminalEvents());
    assertEquals(12, exchange.responseBody().bytes().length);
  }
}
