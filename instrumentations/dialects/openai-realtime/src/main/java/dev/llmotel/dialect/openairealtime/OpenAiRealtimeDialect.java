package dev.llmotel.dialect.openairealtime;

import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.MessageDialect;
import dev.llmotel.dialect.MessageDialectSession;
import dev.llmotel.dialect.Providers;
import dev.llmotel.dialect.TurnSink;
import dev.llmotel.exchange.ExchangeRequest;

/**
 * OpenAI's Realtime API over a WebSocket: {@code .../v1/realtime?model=...} (or {@code .../realtime}) on any host
 * (OpenAI, Azure OpenAI's {@code /openai/realtime}, proxies). See {@link RealtimeSession} for what is recorded.
 */
public final class OpenAiRealtimeDialect implements MessageDialect {
  static final String NAME = "openai-realtime";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int precedence() {
    return SPECIFIC_MESSAGES;
  }

  /** Its route is its own (no other dialect speaks {@code /realtime}). */
  private static final int SPECIFIC_MESSAGES = dev.llmotel.dialect.Dialect.SPECIFIC;

  @Override
  public MessageDialectSession open(ExchangeRequest request, DialectContext context, TurnSink turns) {
    if (request == null || turns == null || !isRealtimePath(request.path())) return null;
    String provider = Providers.forHost(request.host(), request.port(), Providers.OPENAI);
    return new RealtimeSession(queryParameter(request.query(), "model"), provider, turns,
        context == null ? DialectContext.defaults() : context);
  }

  /** {@code /v1/realtime}, {@code /realtime}, {@code /openai/realtime}; not {@code /v1/realtime/sessions} (HTTP). */
  static boolean isRealtimePath(String path) {
    if (path == null) return false;
    String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    return p.endsWith("/realtime");
  }

  /** The first value of {@code name} in a raw query, percent-decoded; null when absent or empty. */
  static String queryParameter(String query, String name) {
    if (query == null) return null;
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      if (!key.equals(name) || eq < 0) continue;
      String value = pair.substring(eq + 1);
      try {
        value = java.net.URLDecoder.decode(value, "UTF-8");
      } catch (Exception ignored) {
        // keep it raw
      }
      return value.isEmpty() ? null : value;
    }
    return null;
  }
}
