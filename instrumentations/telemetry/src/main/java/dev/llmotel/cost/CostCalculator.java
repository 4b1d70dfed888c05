package dev.llmotel.cost;

import dev.llmotel.dialect.CallFacts;

/** A call's cost in USD: as a proxy reported it, else from the price table; null when unknown (never a guess). */
public final class CostCalculator {
  private final PriceTable prices;

  public CostCalculator(PriceTable prices) {
    this.prices = prices;
  }

  /**
   * The cost of a call the price table priced, per kind of token; null when a proxy reported the cost (only its
   * total is known) or the table has no price.
   */
  public CostBreakdown breakdown(CallFacts f) {
    if (f.response.reportedCostUsd != null) return null;
    if (f.failed() && f.usage.inputTokens < 0 && f.usage.outputTokens < 0) return null;
    ModelPrice price = prices.find(f.request.providerName, f.response.model, f.request.model);
    if (price == null) return null;
    return price.breakdown(f.usage.inputTokens, f.usage.outputTokens, f.usage.cacheReadTokens,
        f.usage.cacheCreationTokens);
  }

  public Double cost(CallFacts f) {
    if (f.response.reportedCostUsd != null) return f.response.reportedCostUsd;
    if (f.failed() && f.usage.inputTokens < 0 && f.usage.outputTokens < 0) return null;
    ModelPrice price = prices.find(f.request.providerName, f.response.model, f.request.model);
    if (price == null) return null;
    return price.cost(f.usage.inputTokens, f.usage.outputTokens, f.usage.cacheReadTokens,
        f.usage.cacheCreationTokens);
  }
}
