package dev.llmotel.exchange;

/** Facts a proxy in front of the provider reports in response headers, whatever the protocol. */
final class ProxyHeaders {
  private ProxyHeaders() {}

  /** LiteLLM's {@code x-litellm-response-cost} (USD), or null. */
  static Double reportedCost(HeaderLookup headers) {
    String v = headers.get("x-litellm-response-cost");
    if (v == null) return null;
    try {
      double cost = Double.parseDouble(v.trim());
      return cost >= 0 && !Double.isInfinite(cost) ? cost : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
