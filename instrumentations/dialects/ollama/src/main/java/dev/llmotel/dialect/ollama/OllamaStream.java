package dev.llmotel.dialect.ollama;

import dev.llmotel.dialect.CallFacts;
import dev.llmotel.wire.Bytes;
import dev.llmotel.wire.JsonLimits;
import dev.llmotel.wire.JsonTreeReader;
import dev.llmotel.wire.JsonValue;
import dev.llmotel.wire.LineDecoder;

/**
 * The lines of a streamed chat or generate response (NDJSON, {@code application/x-ndjson}): one JSON object per line,
 * each a chunk of the answer; the last has {@code "done": true} with {@code done_reason}, {@code prompt_eval_count}
 * and {@code eval_count}, and is the stream's end marker. A line {@code {"error": "..."}} reports a failure in the
 * middle of the stream (Ollama then ends the body without a final line).
 *
 * <p>Past {@code maxParsedBytes} of lines, only lines that may be the final one or an error are still parsed; the
 * others are merely counted.
 */
final class OllamaStream implements LineDecoder.Listener {
  static final String STREAM_ERROR = "stream_error";
  private static final byte[][] WORTH_PARSING_PAST_LIMIT = {
      Bytes.ascii("\"done_reason\""), Bytes.ascii("\"eval_count\""), Bytes.ascii("\"error\""),
      Bytes.ascii("\"done\":true"), Bytes.ascii("\"done\": true")};

  private final CallFacts facts;
  private final JsonLimits steadyLimits;
  private JsonLimits limits;
  private final long maxParsedBytes;
  private final OllamaContent.OutputAssembler content;
  private long parsedBytes;
  /** The line being handed over is the body's last, without its line end: it counts only if its JSON is whole. */
  private boolean unterminated;

  /** @param content assembles the answer when content capture is on, else null */
  OllamaStream(CallFacts facts, JsonLimits firstLimits, JsonLimits steadyLimits, long maxParsedBytes,
      OllamaContent.OutputAssembler content) {
    this.facts = facts;
    this.limits = firstLimits;
    this.steadyLimits = steadyLimits;
    this.maxParsedBytes = maxParsedBytes;
    this.content = content;
  }

  /** The body ended (read to its end): a last line without line end is taken if its JSON object is complete. */
  void end(LineDecoder lines) {
    unterminated = true;
    lines.end();
    unterminated = false;
  }

  /** The answer assembled from the lines, or null when content capture is off. */
  String outputMessages() {
    return content == null ? null : content.outputMessages();
  }

  @Override
  public void onLine(byte[] bytes, int offset, int length) {
    // the final line ended the call; what follows in the same read is not part of it
    if (facts.stream.endMarked()) return;
    if (unterminated && !completeObject(bytes, offset, length)) return;
    parsedBytes += length;
    if (parsedBytes > maxParsedBytes && !Bytes.containsAny(bytes, offset, length, WORTH_PARSING_PAST_LIMIT)) {
      facts.stream.chunkArrived();
      return;
    }
    JsonValue line = JsonTreeReader.parse(bytes, offset, length, limits);
    if (line == null || !line.isObject()) return;
    if (OllamaResponse.applyError(line, facts, STREAM_ERROR)) return;
    facts.stream.chunkArrived();
    if (limits != steadyLimits) {
      OllamaResponse.applyModel(line, facts);
      if (facts.response.model != null) limits = steadyLimits;
    }
    if (content != null) content.onObject(line);
    if (line.path("done").asBoolean(false)) {
      OllamaResponse.applyFinal(line, facts);
      facts.stream.markEnd();
    }
  }

  /** A line longer than the event limit still arrived as a chunk; it cannot be read. */
  @Override
  public void onOversizedLine(long length) {
    if (!facts.stream.endMarked()) facts.stream.chunkArrived();
  }

  /**
   * Whether the bytes hold one complete JSON object (braces balanced outside strings, nothing after the last one):
   * a body cut in the middle of a line leaves a prefix that must not count as a chunk or as the final line.
   */
  static boolean completeObject(byte[] b, int offset, int length) {
    int end = offset + length;
    while (end > offset && (b[end - 1] == ' ' || b[end - 1] == '\t')) end--;
    int depth = 0;
    boolean inString = false;
    for (int i = offset; i < end; i++) {
      byte c = b[i];
      if (inString) {
        if (c == '\\') i++;
        else if (c == '"') inString = false;
      } else if (c == '"') {
        inString = true;
      } else if (c == '{' || c == '[') {
        depth++;
      } else if (c == '}' || c == ']') {
        if (--depth == 0) return i == end - 1 && c == '}';
        if (depth < 0) return false;
      }
    }
    return false;
  }
}
