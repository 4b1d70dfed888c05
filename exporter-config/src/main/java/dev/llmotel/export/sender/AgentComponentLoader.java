package dev.llmotel.export.sender;

import dev.llmotel.export.InstanceIdResourceProvider;
import io.opentelemetry.common.ComponentLoader;
import io.opentelemetry.sdk.autoconfigure.spi.ResourceProvider;
import io.opentelemetry.sdk.common.export.GrpcSenderProvider;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What the agent's SDK finds through its service lookups: everything the agent's class loader has, except that the
 * one HTTP sender is the agent's own ({@link AgentHttpSenderProvider}) and there is no gRPC sender (the agent bundles
 * no gRPC-capable client: OTLP over gRPC falls back to http/protobuf, see {@code TelemetryPipeline}), and the SDK's
 * instance-id resource provider is left out where a class path has it, as the agent's jar has not
 * ({@code InstanceIdResourceProvider} gives the id).
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
    if (type == ResourceProvider.class) {
      List<T> providers = new ArrayList<>();
      for (T provider : delegate.load(type)) {
        if (!provider.getClass().getName().equals(InstanceIdResourceProvider.SDK_PROVIDER)) providers.add(provider);
      }
      return providers;
    }
    return delegate.load(type);
  }
}
