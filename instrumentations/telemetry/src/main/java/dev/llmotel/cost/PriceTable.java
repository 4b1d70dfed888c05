package dev.llmotel.cost;

import dev.llmotel.dialect.Providers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Model prices: the bundled, dated table (derived from LiteLLM's public table, see NOTICE), optionally overridden or
 * extended by the user's own file for negotiated prices or self-hosted models. Lookup resolves provider prefixes and
 * dated model names ({@code gpt-4o-mini-2024-07-18} → {@code gpt-4o-mini}); an unknown model has no price.
 */
public final class PriceTable {
  static final String BUNDLED = "/dev/llmotel/cost/model-prices.tsv";
  private static final Pattern DATE_SUFFIX = Pattern.compile("(-\\d{4}-\\d{2}-\\d{2}|-\\d{8}|-\\d{4}|@\\d{8})$");

  private final Map<String, ModelPrice> prices;
  /** The user's own entries: they win over the bundled table at every step of the lookup. */
  private final Map<String, ModelPrice> user;

  PriceTable(Map<String, ModelPrice> prices) {
    this(prices, new HashMap<>());
  }

  private PriceTable(Map<String, ModelPrice> prices, Map<String, ModelPrice> user) {
    this.prices = prices;
    this.user = user;
  }

  /** The bundled table. */
  public static PriceTable bundled() throws IOException {
    Map<String, ModelPrice> prices = new HashMap<>(2048);
    try (InputStream in = PriceTable.class.getResourceAsStream(BUNDLED)) {
      if (in == null) throw new IOException("missing " + BUNDLED);
      readTsv(new InputStreamReader(in, StandardCharsets.UTF_8), prices);
    }
    return new PriceTable(prices);
  }

  /**
   * The bundled table with the user's file on top. The file has one model a line: {@code model,input,output} and
   * optionally {@code ,cache_read,cache_creation}, in USD per million tokens; {@code #} starts a comment.
   */
  public PriceTable withOverrides(Path file) throws IOException {
    Map<String, ModelPrice> merged = new HashMap<>(user);
    int lineNo = 0;
    for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      lineNo++;
      String line = raw.trim();
      if (line.isEmpty() || line.startsWith("#")) continue;
      String[] f = line.split(",");
      try {
        if (f.length < 3) throw new NumberFormatException("expected model,input,output");
        merged.put(f[0].trim(), new ModelPrice(perMillion(f, 1), perMillion(f, 2), perMillion(f, 3),
            perMillion(f, 4), Double.NaN, Double.NaN));
      } catch (NumberFormatException e) {
        throw new IOException(file + " line " + lineNo + ": " + e.getMessage());
      }
    }
    return new PriceTable(prices, merged);
  }

  private static double perMillion(String[] f, int i) {
    if (i >= f.length || f[i].trim().isEmpty()) return Double.NaN;
    return Double.parseDouble(f[i].trim()) / 1_000_000d;
  }

  static void readTsv(Reader source, Map<String, ModelPrice> into) throws IOException {
    BufferedReader reader = new BufferedReader(source);
    for (String line; (line = reader.readLine()) != null; ) {
      if (line.isEmpty() || line.charAt(0) == '#') continue;
      String[] f = line.split("\t", -1);
      if (f.length < 8) continue;
      into.put(f[0], new ModelPrice(num(f[2]), num(f[3]), num(f[4]), num(f[5]), num(f[6]), num(f[7])));
    }
  }

  private static double num(String s) {
    return s.isEmpty() ? Double.NaN : Double.parseDouble(s);
  }

  public int size() {
    return prices.size() + user.size();
  }

  /**
   * The price of a model as a provider names it, or null. With several names (the response's dated model, then the
   * request's), the user's entries are searched for all of them before the bundled table is.
   */
  public ModelPrice find(String provider, String... models) {
    String prefix = Providers.pricePrefix(provider);
    for (Map<String, ModelPrice> table : user.isEmpty() ? new Map[] {prices} : new Map[] {user, prices}) {
      for (String model : models) {
        ModelPrice p = find(table, prefix, model);
        if (p != null) return p;
      }
    }
    return null;
  }

  private static ModelPrice find(Map<String, ModelPrice> table, String prefix, String model) {
    if (model == null || model.isEmpty()) return null;
    ModelPrice p = lookup(table, prefix, model);
    if (p != null) return p;
    int slash = model.lastIndexOf('/');
    if (slash >= 0 && slash < model.length() - 1) p = lookup(table, prefix, model.substring(slash + 1));
    return p;
  }

  private static ModelPrice lookup(Map<String, ModelPrice> table, String prefix, String model) {
    ModelPrice p = exact(table, prefix, model);
    if (p != null) return p;
    String undated = DATE_SUFFIX.matcher(model).replaceFirst("");
    if (!undated.equals(model)) p = exact(table, prefix, undated);
    if (p == null && model.endsWith("-latest")) p = exact(table, prefix, model.substring(0, model.length() - 7));
    return p;
  }

  private static ModelPrice exact(Map<String, ModelPrice> table, String prefix, String model) {
    ModelPrice p = prefix == null ? null : table.get(prefix + model);
    return p != null ? p : table.get(model);
  }
}
