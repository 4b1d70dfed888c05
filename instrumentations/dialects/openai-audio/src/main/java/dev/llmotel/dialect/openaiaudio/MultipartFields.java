package dev.llmotel.dialect.openaiaudio;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a few small text fields of a {@code multipart/form-data} body as it streams by, keeping nothing else: the
 * bytes of every other part (the audio file) are only scanned for the next delimiter, never kept. Memory is bounded
 * whatever the body: the delimiter, one part's headers (at most {@value #MAX_HEADER_BYTES} bytes) and the wanted
 * values (each at most {@code maxValueBytes}; a longer value is dropped). The delimiter is searched with a KMP
 * automaton, so a delimiter split across pieces is found without buffering the data around it. Never throws on
 * malformed input: it simply finds fewer fields.
 *
 * <p>The boundary comes from the request's {@code Content-Type}; when that is unknown (some clients set it below the
 * hooked layer), from the body's first line ({@code --boundary}), which is how every client starts the body.
 */
final class MultipartFields {
  static final int MAX_HEADER_BYTES = 2048;
  static final int MAX_BOUNDARY_BYTES = 200;

  private enum State { FIRST_LINE, BODY, AFTER_DELIMITER, HEADERS, EPILOGUE, FAILED }

  private final String[] wanted;
  private final int maxValueBytes;
  private final Map<String, String> fields = new LinkedHashMap<>();

  private State state;
  /** {@code CRLF--boundary}, once known. */
  private byte[] delimiter;
  private int[] failure;
  private int matched;

  /** First line (boundary discovery), the line after a delimiter, or a part's headers. */
  private final byte[] line = new byte[MAX_HEADER_BYTES];
  private int lineLength;
  private boolean lineOverflow;
  /** The last four bytes of the current header block. */
  private int headerTail;

  /** The wanted field the current part carries, or null (its bytes are skipped). */
  private String field;
  private byte[] value;
  private int valueLength;
  private boolean valueOverflow;

  /**
   * @param boundary from the request's Content-Type, or null to learn it from the body's first line
   * @param wanted the names of the fields to keep (text parts without a file name)
   */
  MultipartFields(String boundary, int maxValueBytes, String... wanted) {
    this.wanted = wanted;
    this.maxValueBytes = maxValueBytes;
    if (boundary != null && !boundary.isEmpty() && boundary.length() <= MAX_BOUNDARY_BYTES) {
      setBoundary(boundary.getBytes(StandardCharsets.ISO_8859_1));
      // the body's first delimiter has no CRLF before it: start as if one had been read
      matched = 2;
      state = State.BODY;
    } else {
      state = State.FIRST_LINE;
    }
  }

  /** The boundary parameter of a {@code multipart/form-data} Content-Type, or null. */
  static String boundary(String contentType) {
    if (contentType == null) return null;
    String lower = contentType.toLowerCase(Locale.ROOT);
    if (!lower.startsWith("multipart/")) return null;
    int at = lower.indexOf("boundary=");
    if (at < 0) return null;
    String b = contentType.substring(at + "boundary=".length()).trim();
    if (b.startsWith("\"")) {
      int end = b.indexOf('"', 1);
      return end > 1 ? b.substring(1, end) : null;
    }
    int end = b.indexOf(';');
    if (end >= 0) b = b.substring(0, end).trim();
    return b.isEmpty() ? null : b;
  }

  /** The wanted fields found so far, by name (the first occurrence of each). */
  Map<String, String> fields() {
    return fields;
  }

  void feed(byte[] bytes, int offset, int length) {
    int end = offset + length;
    for (int i = offset; i < end && state != State.EPILOGUE && state != State.FAILED; i++) {
      byte b = bytes[i];
      switch (state) {
        case FIRST_LINE:
          firstLineByte(b);
          break;
        case BODY:
          bodyByte(b);
          break;
        case AFTER_DELIMITER:
          afterDelimiterByte(b);
          break;
        case HEADERS:
          headerByte(b);
          break;
        default:
          break;
      }
    }
  }

  private void setBoundary(byte[] boundary) {
    delimiter = new byte[boundary.length + 4];
    delimiter[0] = '\r';
    delimiter[1] = '\n';
    delimiter[2] = '-';
    delimiter[3] = '-';
    System.arraycopy(boundary, 0, delimiter, 4, boundary.length);
    failure = new int[delimiter.length];
    for (int i = 1, k = 0; i < delimiter.length; i++) {
      while (k > 0 && delimiter[i] != delimiter[k]) k = failure[k - 1];
      if (delimiter[i] == delimiter[k]) k++;
      failure[i] = k;
    }
  }

  private void firstLineByte(byte b) {
    if (b != '\n') {
      if (lineLength >= MAX_BOUNDARY_BYTES + 3) {
        state = State.FAILED;
        return;
      }
      line[lineLength++] = b;
      return;
    }
    int n = lineLength;
    if (n > 0 && line[n - 1] == '\r') n--;
    lineLength = 0;
    if (n < 3 || line[0] != '-' || line[1] != '-') {
      state = State.FAILED;
      return;
    }
    byte[] boundary = new byte[n - 2];
    System.arraycopy(line, 2, boundary, 0, boundary.length);
    setBoundary(boundary);
    startHeaders();
  }

  private void bodyByte(byte b) {
    while (true) {
      if (b == delimiter[matched]) {
        if (++matched == delimiter.length) {
          matched = 0;
          endPart();
          state = State.AFTER_DELIMITER;
          lineLength = 0;
        }
        return;
      }
      if (matched == 0) {
        keep(b);
        return;
      }
      // the bytes held as a possible delimiter were data after all: their head (a delimiter prefix) is the part's
      int fallback = failure[matched - 1];
      for (int i = 0; i < matched - fallback; i++) keep(delimiter[i]);
      matched = fallback;
    }
  }

  private void keep(byte b) {
    if (field == null || valueOverflow) return;
    if (valueLength >= maxValueBytes) {
      valueOverflow = true;
      return;
    }
    if (value == null) value = new byte[Math.min(maxValueBytes, 64)];
    if (valueLength == value.length) {
      byte[] bigger = new byte[Math.min(maxValueBytes, value.length * 2)];
      System.arraycopy(value, 0, bigger, 0, valueLength);
      value = bigger;
    }
    value[valueLength++] = b;
  }

  private void endPart() {
    if (field != null && !valueOverflow && !fields.containsKey(field)) {
      fields.put(field, new String(value == null ? new byte[0] : value, 0, valueLength, StandardCharsets.UTF_8));
    }
    field = null;
    value = null;
    valueLength = 0;
    valueOverflow = false;
  }

  /** After {@code --boundary}: {@code --} ends the body, else the rest of the line (CRLF, padding) is skipped. */
  private void afterDelimiterByte(byte b) {
    if (lineLength < 2) line[lineLength] = b;
    lineLength++;
    if (lineLength == 2 && line[0] == '-' && line[1] == '-') {
      state = State.EPILOGUE;
      return;
    }
    if (b == '\n') {
      startHeaders();
    } else if (lineLength > 256) {
      state = State.FAILED;
    }
  }

  private void startHeaders() {
    state = State.HEADERS;
    lineLength = 0;
    lineOverflow = false;
    headerTail = 0x0D0A;
  }

  /** Collects the part's header block up to its blank line; an oversized block makes the part one to skip. */
  private void headerByte(byte b) {
    if (lineLength < line.length) line[lineLength++] = b;
    else lineOverflow = true;
    headerTail = (headerTail << 8) | (b & 0xFF);
    if (b != '\n' || !headersEnded()) return;
    field = lineOverflow ? null : wantedField(new String(line, 0, lineLength, StandardCharsets.UTF_8));
    lineLength = 0;
    state = State.BODY;
  }

  /** The header block's blank line: the last bytes are CRLF CRLF or LF LF (the block starts as after a CRLF). */
  private boolean headersEnded() {
    return headerTail == 0x0D0A0D0A || (headerTail & 0xFFFF) == 0x0A0A;
  }

  /** The wanted field a part's headers name, or null (not wanted, a file, or no name). */
  private String wantedField(String headers) {
    String name = null;
    boolean file = false;
    for (String h : headers.split("\r?\n")) {
      int colon = h.indexOf(':');
      if (colon < 0 || !h.substring(0, colon).trim().equalsIgnoreCase("content-disposition")) continue;
      for (String param : h.substring(colon + 1).split(";")) {
        String p = param.trim();
        int eq = p.indexOf('=');
        if (eq < 0) continue;
        String key = p.substring(0, eq).trim().toLowerCase(Locale.ROOT);
        String v = p.substring(eq + 1).trim();
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) v = v.substring(1, v.length() - 1);
        if (key.equals("name")) name = v;
        else if (key.startsWith("filename")) file = true;
      }
    }
    if (name == null || file) return null;
    for (String w : wanted) {
      if (w.equals(name)) return name;
    }
    return null;
  }
}
