package dev.llmotel.dialect.anthropic;

import dev.llmotel.dialect.Dialect;
import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.DialectSession;
import dev.llmotel.dialect.Providers;
import dev.llmotel.dialect.support.RequestPaths;
import dev.llmotel.exchange.ExchangeRequest;

/**
 * The Anthropic Messages API: {@code POST .../v1/messages} ({@code chat}) on any host (Anthropic's own, or a proxy
 * that speaks its protocol), answered with one JSON message or an SSE stream of message events. Token counting
 * ({@code /v1/messages/count_tokens}) and batches ({@code /v1/messages/batches}) are not inference calls and are not
 * recognised.
 */
public final class AnthropicDialect implements Dialect {
  static final String CHAT = "chat";
  private static final String MESSAGES = "/v1/messages";

  /** The limits of the last context seen (the agent uses one context throughout). */
  private volatile AnthropicLimits limits;

  @Override
  public String name() {
    return "anthropic";
  }

  /** Its route is its own: asked before the generic OpenAI-compatible dialect. */
  @Override
  public int precedence() {
    return SPECIFIC;
  }

  @Override
  public DialectSession open(ExchangeRequest request, DialectContext context) {
    try {
      if (!"POST".equalsIgnoreCase(request.method()) || !isMessages(request.path())) return null;
      AnthropicLimits l = AnthropicLimits.forContext(limits, context);
      limits = l;
      return new AnthropicSession(Providers.forHost(request.host(), request.port(), Providers.ANTHROPIC), l);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** {@code .../v1/messages}, trailing slashes allowed; nothing below it. */
  static boolean isMessages(String path) {
    return RequestPaths.withoutTrailingSlashes(path).endsWith(MESSAGES);
  }
}
