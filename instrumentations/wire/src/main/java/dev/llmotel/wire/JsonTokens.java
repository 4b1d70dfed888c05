package dev.llmotel.wire;

import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * The token stream a {@link JsonTreeBuilder} reads: our own scanner for whole documents ({@link JsonByteScanner}), or
 * Jackson's non-blocking parser for documents read as they arrive ({@link Jackson}). Accessors describe the current
 * token; a string's text may be decoded only when asked for, so a malformed string can fail there.
 */
interface JsonTokens {
  /**
   * The next token; null when the input ended, {@link JsonToken#NOT_AVAILABLE} when more input is needed.
   *
   * @throws IOException malformed input
   */
  JsonToken next() throws IOException;

  /** The current field name. */
  String name() throws IOException;

  /** Length in UTF-16 units of the current string value. */
  int textLength() throws IOException;

  /** The current string value's characters, from {@link #textOffset()} for {@link #textLength()}. */
  char[] textChars() throws IOException;

  int textOffset() throws IOException;

  /** True when the current number is an integer that fits in a long. */
  boolean isIntegral() throws IOException;

  long longValue() throws IOException;

  double doubleValue() throws IOException;

  /** Jackson's parser as a token stream. */
  final class Jackson implements JsonTokens {
    private final com.fasterxml.jackson.core.JsonParser parser;

    Jackson(com.fasterxml.jackson.core.JsonParser parser) {
      this.parser = parser;
    }

    @Override
    public JsonToken next() throws IOException {
      return parser.nextToken();
    }

    @Override
    public String name() throws IOException {
      return parser.currentName();
    }

    @Override
    public int textLength() throws IOException {
      return parser.getTextLength();
    }

    @Override
    public char[] textChars() throws IOException {
      return parser.getTextCharacters();
    }

    @Override
    public int textOffset() throws IOException {
      return parser.getTextOffset();
    }

    @Override
    public boolean isIntegral() throws IOException {
      com.fasterxml.jackson.core.JsonParser.NumberType type = parser.getNumberType();
      return type == com.fasterxml.jackson.core.JsonParser.NumberType.INT
          || type == com.fasterxml.jackson.core.JsonParser.NumberType.LONG;
    }

    @Override
    public long longValue() throws IOException {
      return parser.getLongValue();
    }

    @Override
    public double doubleValue() throws IOException {
      return parser.getDoubleValue();
    }
  }
}
