package dev.llmotel.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineDecoderTest {
  private static List<String> decode(String input, int cap, int pieceSize) {
    List<String> lines = new ArrayList<>();
    LineDecoder d = new LineDecoder(cap, new LineDecoder.Listener() {
      @Override
      public void onLine(byte[] bytes, int offset, int length) {
        lines.add(new String(bytes, offset, length, StandardCharsets.UTF_8));
      }

      @Override
      public void onOversizedLine(long length) {
        lines.add("OVERSIZED " + length);
      }
    });
    byte[] b = input.getBytes(StandardCharsets.UTF_8);
    for (int pos = 0; pos < b.length; pos += pieceSize) {
      byte[] piece = java.util.Arrays.copyOfRange(b, pos, Math.min(b.length, pos + pieceSize));
      d.feed(piece, 0, piece.length);
    }
    d.end();
    return lines;
  }

  @Test
  void ndjsonInAnySplit() {
    String in = "{\"model\":\"llama3\",\"done\":false}\n\n{\"message\":\"\u00e9\u4e16\"}\r\n  \n{\"done\":true}";
    List<String> expected = List.of("{\"model\":\"llama3\",\"done\":false}", "{\"message\":\"\u00e9\u4e16\"}",
        "{\"done\":true}");
    for (int size : new int[] {1, 2, 3, 5, 1000}) assertEquals(expected, decode(in, 1024, size), "piece " + size);
  }

  @Test
  void oversizedLineIsSkipped() {
    String in = "{\"a\":1}\n" + "{\"b\":\"" + "x".repeat(50) + "\"}\n{\"c\":3}\n";
    for (int size : new int[] {1, 4, 1000}) {
      assertEquals(List.of("{\"a\":1}", "OVERSIZED 58", "{\"c\":3}"), decode(in, 20, size), "piece " + size);
    }
  }
}
