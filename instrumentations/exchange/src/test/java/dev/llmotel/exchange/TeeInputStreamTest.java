package dev.llmotel.exchange;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shared response tee and {@link ResponseTap}: bytes unchanged, the exchange sees them all and ends once. */
class TeeInputStreamTest {
  private static final byte[] BODY = "data: {\"a\":1}\n\ndata: [DONE]\n\n".getBytes(StandardCharsets.UTF_8);

  @Test
  void readToTheEndEndsOnceWithEveryByte() throws IOException {
    Recorder exchange = new Recorder();
    InputStream tee = new TeeInputStream(new ByteArrayInputStream(BODY), new ResponseTap(exchange, -1), false);
    ByteArrayOutputStream app = new ByteArrayOutputStream();
    app.write(tee.read());
    byte[] buf = new byte[7];
    for (int n; (n = tee.read(buf, 0, buf.length)) != -1; ) app.write(buf, 0, n);
    tee.close();
    assertArrayEquals(BODY, app.toByteArray());
    assertArrayEquals(BODY, exchange.body.toByteArray());
    assertEquals(List.of("end"), exchange.endings);
  }

  @Test
  void closedBeforeTheEndIsAbandonedUnlessEveryAnnouncedByteWasRead() throws IOException {
    Recorder early = new Recorder();
    InputStream tee = new TeeInputStream(new ByteArrayInputStream(BODY), new ResponseTap(early, BODY.length), false);
    tee.read(new byte[4]);
    tee.close();
    assertEquals(List.of("closed"), early.endings);

    Recorder all = new Recorder();
    tee = new TeeInputStream(new ByteArrayInputStream(BODY), new ResponseTap(all, BODY.length), false);
    assertEquals(BODY.length, tee.skip(1_000));
    tee.close();
    assertArrayEquals(BODY, all.body.toByteArray());
    assertEquals(List.of("end"), all.endings);
  }

  @Test
  void aReadFailureFailsTheExchangeAndReachesTheApplication() throws IOException {
    Recorder exchange = new Recorder();
    IOException broken = new IOException("connection reset");
    InputStream failing = new InputStream() {
      @Override
      public int read() throws IOException {
        throw broken;
      }
    };
    InputStream tee = new TeeInputStream(failing, new ResponseTap(exchange, -1), false);
    assertSame(broken, assertThrows(IOException.class, () -> tee.read(new byte[8], 0, 8)));
    tee.close(); // after the failure: no second ending
    assertEquals(List.of("failed: connection reset"), exchange.endings);
  }

  @Test
  void markableShowsBytesReadAgainAfterResetOnce() throws IOException {
    Recorder exchange = new Recorder();
    TeeInputStream tee = new TeeInputStream(new ByteArrayInputStream(BODY), new ResponseTap(exchange, -1), true);
    assertTrue(tee.markSupported());
    tee.read(new byte[3]);
    tee.mark(100);
    byte[] first = new byte[5];
    tee.read(first);
    tee.reset();
    byte[] again = new byte[8];
    tee.read(again);
    assertArrayEquals(first, java.util.Arrays.copyOf(again, 5));
    while (tee.read() != -1) {
      // to the end
    }
    assertArrayEquals(BODY, exchange.body.toByteArray());
  }

  /**
   * A new mark after a reset (as a parser that peeks does: mark, read ahead, reset, mark again), or part-way through
   * bytes read again: every byte is still shown once.
   */
  @Test
  void markingAgainAfterAResetShowsNoByteTwice() throws IOException {
    Recorder exchange = new Recorder();
    TeeInputStream tee = new TeeInputStream(new ByteArrayInputStream(BODY), new ResponseTap(exchange, -1), true);
    tee.mark(64);
    tee.read(new byte[16]);
    tee.reset();
    tee.mark(64); // the same position: the 16 bytes after it were shown
    tee.read(new byte[16]);
    tee.reset();
    tee.read(new byte[4]);
    tee.mark(64); // 4 bytes on: 12 of the bytes after it were shown
    tee.read(new byte[20]);
    tee.reset();
    ByteArrayOutputStream app = new ByteArrayOutputStream();
    for (int b; (b = tee.read()) != -1; ) app.write(b);
    assertArrayEquals(java.util.Arrays.copyOfRange(BODY, 4, BODY.length), app.toByteArray());
    assertArrayEquals(BODY, exchange.body.toByteArray());
  }

  @Test
  void notMarkableIsAPlainStreamForMarkAndReset() throws IOException {
    Recorder exchange = new Recorder();
    ByteArrayInputStream raw = new ByteArrayInputStream(BODY);
    TeeInputStream tee = new TeeInputStream(raw, new ResponseTap(exchange, -1), false);
    assertFalse(tee.markSupported());
    tee.mark(10);
    assertThrows(IOException.class, tee::reset);
    assertTrue(tee.wraps(raw));
    assertFalse(tee.wraps(new ByteArrayInputStream(BODY)));
    assertEquals(BODY.length, tee.available());
  }

  private static final class Recorder implements Exchange {
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    final List<String> endings = new ArrayList<>();

    @Override
    public Map<String, String> propagationHeaders() {
      return Map.of();
    }

    @Override
    public void requestBody(byte[] bytes, int offset, int length) {}

    @Override
    public void requestBodyEnd() {}

    @Override
    public void response(int statusCode, HeaderLookup headers) {}

    @Override
    public void responseBody(byte[] bytes, int offset, int length) {
      body.write(bytes, offset, length);
    }

    @Override
    public void responseBodyEnd() {
      endings.add("end");
    }

    @Override
    public void responseBodyClosed() {
      endings.add("closed");
    }

    @Override
    public void responseWithoutBody() {
      endings.add("without body");
    }

    @Override
    public void failed(Throwable error) {
      endings.add("failed: " + error.getMessage());
    }
  }
}
