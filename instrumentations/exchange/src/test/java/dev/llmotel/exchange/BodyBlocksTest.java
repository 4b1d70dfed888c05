package dev.llmotel.exchange;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Queued body pieces are packed into pooled blocks (no event, no array per piece): the handler must still get every
 * piece, in order, with its own bytes and time, however the pieces fall into blocks and however often blocks are
 * reused; the client's buffer may change right after each call.
 */
class BodyBlocksTest {
  static final class Recording implements ExchangeHandler {
    final List<String> kinds = new ArrayList<>();
    final List<Long> nanos = new ArrayList<>();
    final ByteArrayOutputStream request = new ByteArrayOutputStream();
    final ByteArrayOutputStream response = new ByteArrayOutputStream();
    final List<Integer> lengths = new ArrayList<>();

    @Override public Map<String, String> propagationHeaders() { return Collections.emptyMap(); }

    @Override
    public boolean handle(ExchangeEvent event, boolean onWorkerThread) {
      kinds.add(event.kind.name());
      nanos.add(event.nanos);
      if (event.kind == ExchangeEvent.Kind.REQUEST_BODY) {
        request.write(event.bytes(), event.offset(), event.length());
        lengths.add(event.length());
      } else if (event.kind == ExchangeEvent.Kind.RESPONSE_BODY) {
        response.write(event.bytes(), event.offset(), event.length());
        lengths.add(event.length());
      }
      return false;
    }
  }

  /** One exchange: a request body and a response body in pieces of the given sizes; returns what was sent. */
  static byte[][] call(Exchange ex, Random random, int[] requestPieces, int[] responsePieces, boolean buffers) {
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    ByteArrayOutputStream response = new ByteArrayOutputStream();
    byte[] clientBuffer = new byte[20_000];
    for (int n : requestPieces) {
      random.nextBytes(clientBuffer);
      ex.requestBody(clientBuffer, 7, n);
      request.write(clientBuffer, 7, n);
    }
    ex.requestBodyEnd();
    ex.response(200, HeaderLookup.NONE);
    for (int n : responsePieces) {
      random.nextBytes(clientBuffer);
      if (buffers) {
        ByteBuffer direct = ByteBuffer.allocateDirect(n + 10);
        direct.position(5);
        direct.put(clientBuffer, 3, n);
        direct.position(5).limit(5 + n);
        ex.responseBody(direct);
        assertEquals(5, direct.position(), "the buffer's position is left untouched");
        assertEquals(5 + n, direct.limit());
      } else {
        ex.responseBody(clientBuffer, 3, n);
      }
      response.write(clientBuffer, 3, n);
    }
    Arrays.fill(clientBuffer, (byte) 0x55); // the client reuses its buffer
    ex.responseBodyEnd();
    return new byte[][] {request.toByteArray(), response.toByteArray()};
  }

  @Test
  void everyPieceArrivesInOrderWithItsBytesAndTime() {
    ExchangeWorker worker = ExchangeWorker.manual();
    Random random = new Random(42);
    int fits = BodyBlocks.BLOCK_BYTES - BodyBlocks.PIECE_HEADER; // the largest piece a pooled block holds
    int[][] shapes = {
        {1}, {280, 280, 280}, {fits}, {fits + 1}, {5000, 1, 8192}, {fits - 1, 1, 2, fits, 100, 12_000},
    };
    for (int round = 0; round < 3; round++) { // later rounds reuse the pooled blocks
      for (int[] request : shapes) {
        for (int[] response : shapes) {
          for (boolean buffers : new boolean[] {false, true}) {
            Recording handler = new Recording();
            QueuedExchange ex = new QueuedExchange(handler, worker, null, 1 << 20);
            byte[][] sent = call(ex, random, request, response, buffers);
            assertTrue(handler.kinds.isEmpty(), "nothing processed before the worker runs");
            worker.drain(10_000);
            assertArrayEquals(sent[0], handler.request.toByteArray());
            assertArrayEquals(sent[1], handler.response.toByteArray());
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < request.length; i++) expected.add("REQUEST_BODY");
            expected.add("REQUEST_END");
            expected.add("RESPONSE");
            for (int i = 0; i < response.length; i++) expected.add("RESPONSE_BODY");
            expected.add("BODY_END");
            assertEquals(expected, handler.kinds);
            List<Integer> lengths = new ArrayList<>();
            for (int n : request) lengths.add(n);
            for (int n : response) lengths.add(n);
            assertEquals(lengths, handler.lengths, "one event per piece, as reported");
            for (int i = 1; i < handler.nanos.size(); i++) {
              assertTrue(handler.nanos.get(i) >= handler.nanos.get(i - 1), "times in order");
            }
            assertEquals(0, worker.backlogBytes());
          }
        }
      }
    }
  }

  @Test
  void piecesAreProcessedAsTheyWereStampedWhenTheQueueIsDrainedMidBody() {
    ExchangeWorker worker = ExchangeWorker.manual();
    Recording handler = new Recording();
    QueuedExchange ex = new QueuedExchange(handler, worker, null, 1 << 20);
    byte[] chunk = new byte[300];
    ByteArrayOutputStream sent = new ByteArrayOutputStream();
    ex.requestBodyEnd();
    ex.response(200, HeaderLookup.NONE);
    for (int i = 0; i < 40; i++) {
      Arrays.fill(chunk, (byte) i);
      ex.responseBody(chunk, 0, chunk.length);
      sent.write(chunk, 0, chunk.length);
      if (i % 7 == 3) worker.drain(10_000); // the worker takes the queue (and its block) mid-stream
    }
    ex.responseBodyEnd();
    worker.drain(10_000);
    assertArrayEquals(sent.toByteArray(), handler.response.toByteArray());
    assertEquals(43, handler.kinds.size());
    assertEquals(0, worker.backlogBytes());
  }

  @Test
  void blocksAreReusedAndOversizedOnesAreNot() {
    BodyBlocks blocks = new BodyBlocks();
    byte[] a = blocks.take(100);
    assertEquals(BodyBlocks.BLOCK_BYTES, a.length);
    blocks.give(a);
    assertSame(a, blocks.take(BodyBlocks.BLOCK_BYTES));
    byte[] big = blocks.take(BodyBlocks.BLOCK_BYTES + 1);
    assertEquals(BodyBlocks.BLOCK_BYTES + 1, big.length);
    blocks.give(big);
    assertTrue(blocks.take(10) != big, "an oversized block is never pooled");
    byte[] header = new byte[BodyBlocks.PIECE_HEADER];
    BodyBlocks.putHeader(header, 0, 123_456, -5L);
    assertEquals(123_456, BodyBlocks.length(header, 0));
    assertEquals(-5L, BodyBlocks.nanos(header, 0));
  }
}
