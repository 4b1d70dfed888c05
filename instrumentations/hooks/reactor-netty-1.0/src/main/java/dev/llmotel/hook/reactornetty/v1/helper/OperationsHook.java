package dev.llmotel.hook.reactornetty.v1.helper;

import dev.llmotel.bootstrap.ObjectHook;
import io.netty.channel.ChannelPipeline;
import reactor.netty.channel.ChannelOperations;

/**
 * The per-loader half of the operations doorway: a request of an exchange is about to be written on this
 * connection, so a {@link RequestTap} goes on its pipeline, right after the HTTP codec (outbound: last before it,
 * after any chunked writer, so a form's parts are seen as the HTTP content they become). One tap per connection: one
 * left behind by an earlier request is replaced.
 */
public final class OperationsHook implements ObjectHook {
  private static final String HTTP_CODEC = "reactor.left.httpCodec";
  private static final String H2_TO_HTTP11_CODEC = "reactor.left.h2ToHttp11Codec";
  private static final String REACTIVE_BRIDGE = "reactor.right.reactiveBridge";

  @Override
  public void apply(Object operations) {
    try {
      ReactorExchange exchange = Operations.exchangeOf(operations, true);
      if (exchange == null || !exchange.acceptsRequest()) return;
      ChannelPipeline pipeline = ((ChannelOperations<?, ?>) operations).channel().pipeline();
      if (pipeline.get(RequestTap.NAME) != null) pipeline.remove(RequestTap.NAME);
      RequestTap tap = new RequestTap(exchange);
      if (pipeline.get(HTTP_CODEC) != null) {
        pipeline.addAfter(HTTP_CODEC, RequestTap.NAME, tap);
      } else if (pipeline.get(H2_TO_HTTP11_CODEC) != null) {
        pipeline.addAfter(H2_TO_HTTP11_CODEC, RequestTap.NAME, tap);
      } else if (pipeline.get(REACTIVE_BRIDGE) != null) {
        pipeline.addBefore(REACTIVE_BRIDGE, RequestTap.NAME, tap);
      }
    } catch (Throwable ignored) {
      // the request goes out unobserved; the exchange still follows the response
    }
  }
}
