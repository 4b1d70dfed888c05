package dev.llmotel.dialect.librechat;

import dev.llmotel.dialect.DialectContext;
import dev.llmotel.wire.JsonLimits;

/**
 * The JSON limits a LibreChat session parses with, derived once per {@link DialectContext}. Without content capture
 * the question and the answer's text are skipped unread wherever they occur; with it they are kept, cut at the
 * content limit.
 */
final class LibreChatLimits {
  /** Characters of an error message kept. */
  static final int MAX_ERROR_CHARS = 256;
  /** Bulk no fact needs: attachments, the agent's tools, an answer's content parts and deltas, the app's config. */
  private static final String[] BULK = {"files", "tools", "ephemeralAgent", "spec", "iconURL", "greeting",
      "promptPrefix", "examples", "delta", "stepDetails", "attachments"};

  final DialectContext context;
  final JsonLimits document;
  final JsonLimits event;
  /** Error bodies and error frames: their message may be in {@code text}. */
  final JsonLimits error;

  LibreChatLimits(DialectContext context) {
    this.context = context;
    boolean capture = context.captureContent();
    int strings = capture ? Math.max(MAX_ERROR_CHARS, context.maxContentChars()) : MAX_ERROR_CHARS;
    JsonLimits base = JsonLimits.defaults()
        .withMaxStringChars(strings)
        .withMaxArrayElements(capture ? 64 : 16)
        .withMaxDepth(8)
        .withMaxRetainedChars(capture ? Math.max(context.maxRetainedChars(), context.maxContentChars() * 4)
            : context.maxRetainedChars());
    this.document = (capture ? base.withIgnoredFields(BULK) : base.withIgnoredFields(BULK)
        .withMoreIgnoredFields("text", "content")).withMaxDocumentBytes(context.maxParsedBytes());
    this.error = base.withMaxStringChars(MAX_ERROR_CHARS).withIgnoredFields(BULK)
        .withMaxDocumentBytes(context.maxParsedBytes());
    this.event = capture ? base.withIgnoredFields(BULK) : base.withIgnoredFields(BULK)
        .withMoreIgnoredFields("text", "content");
  }

  static LibreChatLimits forContext(LibreChatLimits last, DialectContext context) {
    return last != null && last.context == context ? last : new LibreChatLimits(context);
  }
}
