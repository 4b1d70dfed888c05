package dev.llmotel.cost;

/** USD per token for one model; NaN where the table gives no price. */
public final class ModelPrice {
  final double input;
  final double output;
  final double cacheRead;
  final double cacheCreation;
  final double inputAbove200k;
  final double outputAbove200k;

  public ModelPrice(double input, double output, double cacheRead, double cacheCreation, double inputAbove200k,
      double outputAbove200k) {
    this.input = input;
    this.output = output;
    this.cacheRead = cacheRead;
    this.cacheCreation = cacheCreation;
    this.inputAbove200k = inputAbove200k;
    this.outputAbove200k = outputAbove200k;
  }

  /**
   * The cost of one call. {@code inputTokens} includes cached tokens (semantic conventions); cache reads are billed at
   * the cache-read price, cache creation at the cache-creation price (Anthropic: above the input price), the rest at
   * the input price; reasoning tokens are part of the output and billed as output. Past 200k input tokens the tiered
   * prices apply where the model has them.
   *
   * @return USD, or null when a needed price is unknown (never a guess)
   */
  public Double cost(long inputTokens, long outputTokens, long cacheReadTokens, long cacheCreationTokens) {
    CostBreakdown b = breakdown(inputTokens, outputTokens, cacheReadTokens, cacheCreationTokens);
    return b == null ? null : b.total();
  }

  /** As {@link #cost}, per kind of token; null when a needed price is unknown. */
  public CostBreakdown breakdown(long inputTokens, long outputTokens, long cacheReadTokens, long cacheCreationTokens) {
    if (inputTokens < 0 && outputTokens < 0) return null;
    boolean tiered = inputTokens > 200_000;
    double in = tiered && !Double.isNaN(inputAbove200k) ? inputAbove200k : input;
    double out = tiered && !Double.isNaN(outputAbove200k) ? outputAbove200k : output;
    long cacheRead = Math.max(0, cacheReadTokens);
    long cacheCreation = Math.max(0, cacheCreationTokens);
    long plainInput = Math.max(0, Math.max(0, inputTokens) - cacheRead - cacheCreation);
    double inputCost = 0;
    double cacheReadCost = 0;
    double cacheCreationCost = 0;
    double outputCost = 0;
    if (plainInput > 0) {
      if (Double.isNaN(in)) return null;
      inputCost = plainInput * in;
    }
    if (cacheRead > 0) cacheReadCost = cacheRead * (Double.isNaN(cacheRead()) ? in : cacheRead());
    if (cacheCreation > 0) cacheCreationCost = cacheCreation * (Double.isNaN(cacheCreation()) ? in : cacheCreation());
    if (outputTokens > 0) {
      if (Double.isNaN(out)) return null;
      outputCost = outputTokens * out;
    }
    CostBreakdown b = new CostBreakdown(inputCost, cacheReadCost, cacheCreationCost, outputCost);
    return Double.isNaN(b.total()) ? null : b;
  }

  private double cacheRead() { return cacheRead; }
  private double cacheCreation() { return cacheCreation; }
}
