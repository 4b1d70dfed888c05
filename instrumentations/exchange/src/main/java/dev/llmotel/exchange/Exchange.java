package dev.llmotel.exchange;

import java.nio.ByteBuffer;
import java.util.Map;

/**
 * One observed LLM request/response, as a hook reports it. Hooks call these methods in order as the bytes flow;
 * none of them ever throws, and each is cheap (bytes are parsed incrementally, memory is bounded).
 *
 * <p>The span ends exactly once: at {@link #responseBodyEnd()} (the app read to the end), {@link
 * #responseBodyClosed()} (the app closed the body early: abandoned), {@link #failed(Throwable)} (transport error),
 * or {@link #responseWithoutBody()}.
 */
public interface Exchange {
  /** Headers to add to the outgoing request (W3C {@code traceparent}); empty when there is nothing to propagate. */
  Map<String, String> propagationHeaders();

  /** Bytes of the request body as the client writes them. */
  void requestBody(byte[] bytes, int offset, int length);

  /** The request body was written completely. */
  void requestBodyEnd();

  /** The response status line and headers arrived. */
  void response(int statusCode, HeaderLookup headers);

  /** Bytes of the response body as the application reads them. */
  void responseBody(byte[] bytes, int offset, int length);

  /** Bytes of the response body; the buffer's position and limit are left untouched. */
  default void responseBody(ByteBuffer buffer) {
    if (buffer.hasArray()) {
      responseBody(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
    } else {
      ByteBuffer copy = buffer.duplicate();
      byte[] chunk = new byte[Math.min(copy.remaining(), 16 * 1024)];
      while (copy.hasRemaining()) {
        int n = Math.min(chunk.length, copy.remaining());
        copy.get(chunk, 0, n);
        responseBody(chunk, 0, n);
      }
    }
  }

  /** The application read the response body to its end. */
  void responseBodyEnd();

  /** The application closed or cancelled the response body before its end. */
  void responseBodyClosed();

  /** The response has no body the application will read (for example a HEAD request or an ignored body). */
  void responseWithoutBody();

  /** The call failed with a transport exception (the application gets this same exception). */
  void failed(Throwable error);
}
