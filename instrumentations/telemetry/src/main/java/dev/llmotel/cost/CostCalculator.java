package dev.llmotel.cost;

import dev.llmotel.dialect.GenAiFacts;

/** Fills {@link GenAiFacts#costUsd} from the price table, unless a proxy already reported the cost. */
public final class CostCalculator {
  private final PriceTable prices;

  public CostCalculator(PriceTable prices) {
    this.prices = prices;
  }

  public void apply(GenAiFacts f) {
    if (f.costUsd != null || f.errorType != null && f.inputTokens < 0 && f.outputTokens < 0) return;
    ModelPrice price = prices.find(f.providerName, f.responseModel, f.requestModel);
    if (price == null) return;
    f.costUsd = price.cost(f.inputTokens, f.outputTokens, f.cacheReadTokens, f.cacheCreationTokens);
  }
}
