package dev.llmotel.telemetry;

import dev.llmotel.dialect.CallFacts;
import io.opentelemetry.api.common.Attributes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The attribute sets {@link InferenceMetrics} records a call under, built once per distinct combination of operation,
 * provider, models, server and error type and then reused: an application calls few models on few servers, and a
 * reused set spares building and sorting three sets per call (and the SDK re-hashing them). At most
 * {@link #MAX_CACHED} combinations are kept; beyond that the sets are built per call, as before.
 */
final class MetricAttributes {
  static final int MAX_CACHED = 512;

  /** The sets for one combination: without the token type, and with {@code input} and {@code output}. */
  static final class Sets {
    final Attributes common;
    final Attributes input;
    final Attributes output;

    Sets(Attributes common) {
      this.common = common;
      this.input = common.toBuilder().put(InferenceMetrics.TOKEN_TYPE, "input").build();
      this.output = common.toBuilder().put(InferenceMetrics.TOKEN_TYPE, "output").build();
    }
  }

  private final Map<Key, Sets> cache = new ConcurrentHashMap<>();

  Sets get(CallFacts f, String serverAddress, int serverPort) {
    Key key = new Key(f, serverAddress, serverPort);
    Sets sets = cache.get(key);
    if (sets != null) return sets;
    sets = new Sets(InferenceMetrics.attributes(f, serverAddress, serverPort));
    if (cache.size() < MAX_CACHED) cache.putIfAbsent(key, sets);
    return sets;
  }

  /** The facts the common set is made of (see {@link InferenceMetrics#attributes}). */
  private static final class Key {
    private final String operation;
    private final String provider;
    private final String requestModel;
    private final String responseModel;
    private final String serverAddress;
    private final int serverPort;
    private final String errorType;
    private final int hash;

    Key(CallFacts f, String serverAddress, int serverPort) {
      this.operation = f.request.operationName;
      this.provider = f.request.providerName;
      this.requestModel = f.request.model;
      this.responseModel = f.response.model;
      this.serverAddress = serverAddress;
      // the port only counts with an address, as in the attributes
      this.serverPort = serverAddress == null ? 0 : serverPort;
      this.errorType = f.response.errorType;
      int h = hash(operation);
      h = 31 * h + hash(provider);
      h = 31 * h + hash(requestModel);
      h = 31 * h + hash(responseModel);
      h = 31 * h + hash(serverAddress);
      h = 31 * h + this.serverPort;
      h = 31 * h + hash(errorType);
      this.hash = h;
    }

    private static int hash(String s) {
      return s == null ? 0 : s.hashCode();
    }

    private static boolean same(String a, String b) {
      return a == null ? b == null : a.equals(b);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof Key)) return false;
      Key k = (Key) o;
      return hash == k.hash && serverPort == k.serverPort && same(operation, k.operation)
          && same(provider, k.provider) && same(requestModel, k.requestModel)
          && same(responseModel, k.responseModel) && same(serverAddress, k.serverAddress)
          && same(errorType, k.errorType);
    }
  }
}
