package dev.llmotel.cost;

import dev.llmotel.dialect.CallFacts;

/** A call's cost in USD: as a proxy reported it, else from the price table; null when unknown (never a guess). */
public final class CostCalculator {
  private final PriceTable prices;

  public CostCalculator(PriceTable prices) {
    this.prices = prices;
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
