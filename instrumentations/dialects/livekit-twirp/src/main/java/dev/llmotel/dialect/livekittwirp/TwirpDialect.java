package dev.llmotel.dialect.livekittwirp;

import dev.llmotel.dialect.Dialect;
import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.DialectSession;
import dev.llmotel.exchange.ExchangeRequest;

/**
 * LiveKit's server API ({@code io.livekit:livekit-server} and any other client): Twirp RPCs
 * {@code POST [/prefix]/twirp/livekit.{Service}/{Method}} with protobuf or JSON bodies. Each becomes a plain CLIENT
 * span (not a GenAI span) named {@code {service}/{method}} with {@code rpc.system=twirp}, {@code rpc.service},
 * {@code rpc.method}, the room the request names ({@code llmotel.livekit.room_name}, see {@link RoomField}) and a
 * Twirp error's code as {@code error.type}. The request's Bearer access token is a header: never read.
 */
public final class TwirpDialect implements Dialect {
  private static final String TWIRP = "/twirp/";
  private static final String LIVEKIT = "livekit.";

  @Override
  public String name() {
    return "livekit-twirp";
  }

  @Override
  public int precedence() {
    return SPECIFIC;
  }

  @Override
  public DialectSession open(ExchangeRequest request, DialectContext context) {
    try {
      if (!"POST".equalsIgnoreCase(request.method())) return null;
      String path = request.path();
      int at = path.indexOf(TWIRP);
      if (at < 0) return null;
      String rest = path.substring(at + TWIRP.length());
      int slash = rest.indexOf('/');
      if (slash <= LIVEKIT.length() || !rest.startsWith(LIVEKIT)) return null;
      String service = rest.substring(0, slash);
      String method = rest.substring(slash + 1);
      while (method.endsWith("/")) method = method.substring(0, method.length() - 1);
      if (method.isEmpty() || method.indexOf('/') >= 0) return null;
      return new TwirpSession(service, method);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
