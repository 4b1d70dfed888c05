package dev.llmotel.dialect.bedrock;

import dev.llmotel.dialect.Dialect;
import dev.llmotel.dialect.DialectContext;
import dev.llmotel.dialect.DialectSession;
import dev.llmotel.dialect.Providers;
import dev.llmotel.exchange.ExchangeRequest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * AWS Bedrock Runtime: {@code POST .../model/{modelId}/converse} and {@code /converse-stream} (the model-neutral
 * Converse API, {@code chat}), {@code /invoke} and {@code /invoke-with-response-stream} (the model's own body; read
 * as Anthropic's Messages shape for Anthropic models, else only what is model-independent: model, status, errors,
 * the token counts Bedrock adds in headers or in a stream's {@code amazon-bedrock-invocationMetrics}). Recognised
 * by route on any host (an endpoint override, a VPC endpoint, a proxy); the provider is {@code aws.bedrock} unless
 * the host is another provider's. The model id in the path may be percent-encoded (an ARN, an inference profile):
 * it is decoded and is also the response model, since Bedrock does not echo one.
 */
public final class BedrockDialect implements Dialect {
  static final String CHAT = "chat";
  private static final String MODEL = "/model/";

  /** The four routes. */
  enum Route {
    CONVERSE(false), CONVERSE_STREAM(true), INVOKE(false), INVOKE_STREAM(true);

    final boolean stream;

    Route(boolean stream) {
      this.stream = stream;
    }

    boolean converse() {
      return this == CONVERSE || this == CONVERSE_STREAM;
    }
  }

  private volatile BedrockLimits limits;

  @Override
  public String name() {
    return "bedrock";
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
      int model = path.indexOf(MODEL);
      if (model < 0) return null;
      int lastSlash = path.lastIndexOf('/');
      int idStart = model + MODEL.length();
      if (lastSlash <= idStart) return null;
      Route route = route(path.substring(lastSlash + 1));
      if (route == null) return null;
      String modelId = decode(path.substring(idStart, lastSlash));
      if (modelId.isEmpty()) return null;
      BedrockLimits l = BedrockLimits.forContext(limits, context);
      limits = l;
      return new BedrockSession(route, modelId, Providers.forHost(request.host(), request.port(), Providers.BEDROCK),
          l);
    } catch (RuntimeException e) {
      return null;
    }
  }

  static Route route(String operation) {
    switch (operation) {
      case "converse":
        return Route.CONVERSE;
      case "converse-stream":
        return Route.CONVERSE_STREAM;
      case "invoke":
        return Route.INVOKE;
      case "invoke-with-response-stream":
        return Route.INVOKE_STREAM;
      default:
        return null;
    }
  }

  /** Percent-decoding of a path segment (UTF-8; a '+' stays a '+'; a malformed escape is kept as it is). */
  static String decode(String s) {
    if (s.indexOf('%') < 0) return s;
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); ) {
      int c = s.codePointAt(i);
      int hi;
      int lo;
      if (c == '%' && i + 2 < s.length() && (hi = Character.digit(s.charAt(i + 1), 16)) >= 0
          && (lo = Character.digit(s.charAt(i + 2), 16)) >= 0) {
        out.write((hi << 4) | lo);
        i += 3;
      } else {
        byte[] b = new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
        i += Character.charCount(c);
      }
    }
    return new String(out.toByteArray(), StandardCharsets.UTF_8);
  }
}
