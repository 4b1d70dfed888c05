package dev.llmotel.export.sender;

import io.opentelemetry.common.ComponentLoader;
import io.opentelemetry.sdk.common.export.GrpcSenderProvider;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;
import java.util.Collections;

/**
 * What the agent's SDK finds through its service lookups: everything the agent's class loader has, except that the
 * one HTTP sender is the agent's own ({@link AgentHttpSenderProvider}) and there is no gRPC sender (the agent bundles
 * no gRPC-capable client: OTLP over gRPC falls back to http/protobuf, see {@code TelemetryPipeline}).
 */
public final class AgentComponentLoader implements ComponentLoader {
  private final ComponentLoader delegate;
  private final HttpSenderProvider sender;

  public AgentComponentLoader(ClassLoader loader, String senderSetting) {
    this.delegate = ComponentLoader.forClassLoader(loader);
    this.sender = new AgentHttpSenderProvider(senderSetting);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> Iterable<T> load(Class<T> type) {
    if (type == HttpSenderProvider.class) return Collections.singletonList((T) sender);
    if (type == GrpcSenderProvider.class) return Collections.<T>emptyList();
    return delegate.load(type);
  }
}
