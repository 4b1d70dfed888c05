package dev.llmotel.dialect.librechat;

import dev.llmotel.dialect.Dialect;
import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.DialectSession;
import dev.llmotel.dialect.support.RequestPaths;
import dev.llmotel.exchange.ExchangeRequest;

/**
 * LibreChat (v0.8) conversation turns, on any host: {@code POST /api/agents/chat[/{endpoint}]} opens a turn (its
 * response names the stream and the conversation), {@code GET /api/agents/chat/stream/{streamId}} (SSE) and {@code GET
 * /api/agents/chat/status/{conversationId}} continue it until the {@code final} frame or a status that is no longer
 * active, {@code POST /api/agents/chat/abort} ends it as aborted. Telemetry records one chat span per turn (see {@link
 * dev.llmotel.dialect.ContinuationFacts}). {@code /api/auth/*} (login, refresh, logout) is recognised and declined:
 * no exchange, so no span and no body of it is ever read (it carries the password, the JWT and the refresh cookie).
 * The OpenAI-compatible API-key routes ({@code /api/agents/v1/chat/completions}, {@code /api/agents/v1/responses})
 * are not LibreChat's own protocol: the OpenAI dialects take them.
 */
public final class LibreChatDialect implements Dialect {
  static final String CHAT_ROUTE = "/api/agents/chat";
  static final String AUTH_ROUTE = "/api/auth/";

  /** What one request of a turn is. */
  enum Route { CHAT, STREAM, STATUS, ABORT }

  private volatile LibreChatLimits limits;

  @Override
  public String name() {
    return "librechat";
  }

  /** Its routes are its own: asked before the generic OpenAI-compatible dialect. */
  @Override
  public int precedence() {
    return SPECIFIC;
  }

  @Override
  public DialectSession open(ExchangeRequest request, DialectContext context) {
    try {
      String path = RequestPaths.withoutTrailingSlashes(request.path());
      if (path.contains(AUTH_ROUTE)) return null;
      int at = path.indexOf(CHAT_ROUTE);
      if (at < 0) return null;
      String rest = path.substring(at + CHAT_ROUTE.length());
      boolean post = "POST".equalsIgnoreCase(request.method());
      boolean get = "GET".equalsIgnoreCase(request.method());
      Route route;
      String key = null;
      String endpoint = null;
      if (rest.isEmpty()) {
        if (!post) return null;
        route = Route.CHAT;
      } else if (rest.charAt(0) != '/') {
        return null;
      } else if (rest.equals("/abort")) {
        if (!post) return null;
        route = Route.ABORT;
      } else if (rest.startsWith("/stream/")) {
        if (!get) return null;
        route = Route.STREAM;
        key = segment(rest, "/stream/".length());
      } else if (rest.startsWith("/status/")) {
        if (!get) return null;
        route = Route.STATUS;
        key = segment(rest, "/status/".length());
      } else {
        if (!post) return null;
        endpoint = segment(rest, 1);
        if (endpoint == null || endpoint.equals("stream") || endpoint.equals("status")) return null;
        route = Route.CHAT;
      }
      if ((route == Route.STREAM || route == Route.STATUS) && key == null) return null;
      LibreChatLimits l = LibreChatLimits.forContext(limits, context);
      limits = l;
      return new LibreChatSession(route, key, endpoint, l);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The one path segment from {@code from} to the end, or null when it is empty or more segments follow. */
  private static String segment(String rest, int from) {
    if (from >= rest.length()) return null;
    String s = rest.substring(from);
    return s.indexOf('/') >= 0 ? null : s;
  }
}
