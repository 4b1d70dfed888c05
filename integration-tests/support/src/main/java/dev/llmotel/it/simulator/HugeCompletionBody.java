package dev.llmotel.it.simulator;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A {@code chat.completion} of about 50 MB whose content is a repeated ASCII pattern, written block by block so the
 * simulator never holds it in memory. Its length is known up front (sent as Content-Length).
 */
final class HugeCompletionBody {
  static final String ID = "chatcmpl-sim-huge";
  static final long CONTENT_BYTES = 50L * 1024 * 1024;
  private static final byte[] PATTERN =
      "The quick brown fox jumps over the lazy dog 0123456789. ".getBytes(StandardCharsets.US_ASCII);

  private final byte[] head;
  private final byte[] tail;

  HugeCompletionBody(String responseModel) {
    head = OpenAiPayloads.completionHeadBeforeContent(ID, responseModel).getBytes(StandardCharsets.UTF_8);
    tail = OpenAiPayloads.completionTailAfterContent(CONTENT_BYTES / 4).getBytes(StandardCharsets.UTF_8);
  }

  long length() { return head.length + CONTENT_BYTES + tail.length; }

  void writeTo(OutputStream out) throws IOException {
    out.write(head);
    byte[] block = new byte[PATTERN.length * 1024]; // whole patterns, so every block starts at the same phase
    for (int i = 0; i < block.length; i++) block[i] = PATTERN[i % PATTERN.length];
    long remaining = CONTENT_BYTES;
    while (remaining > 0) {
      int n = (int) Math.min(block.length, remaining);
      out.write(block, 0, n);
      remaining -= n;
    }
    out.write(tail);
  }
}
