package dev.llmotel.export;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.ResourceProvider;
import io.opentelemetry.sdk.resources.Resource;
import java.io.DataInputStream;
import java.io.FileInputStream;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code service.instance.id}: a random (version 4) UUID for this JVM, in place of the SDK's
 * {@code ServiceInstanceIdResourceProvider}, which the agent's jar does not list (its build removes that line from
 * the merged services file; {@code AgentComponentLoader} leaves it out where a class path has it). The SDK's provider
 * makes its id with {@code UUID.randomUUID()} in its static initializer, so merely loading it sets up the JDK's
 * {@code SecureRandom} (security providers, the native PRNG, a SHA-1 mix): tens of milliseconds of the agent's init
 * thread while the application starts. This one reads 16 bytes from {@code /dev/urandom} with a plain stream, or,
 * where there is none, draws them from {@link ThreadLocalRandom}.
 *
 * <p>Configured as the SDK's: merged first (so {@code OTEL_RESOURCE_ATTRIBUTES} overrides the id and
 * {@code otel.resource.disabled.keys} removes it), with the SDK's schema URL; a user who disables the SDK's provider by
 * its class name, or lists the providers to enable without it, gets no id, as without the agent, and one who lists the
 * SDK's provider among those to enable gets this one ({@code TelemetryPipeline} adds it to that list).
 */
public final class InstanceIdResourceProvider implements ResourceProvider {
  public static final String SDK_PROVIDER = "io.opentelemetry.sdk.autoconfigure.ServiceInstanceIdResourceProvider";
  static final AttributeKey<String> SERVICE_INSTANCE_ID = AttributeKey.stringKey("service.instance.id");
  /** The schema URL the SDK's provider (1.67) puts on its resource. */
  static final String SCHEMA_URL = "https://opentelemetry.io/schemas/1.40.0";

  /** One id per JVM, as the SDK's (made when first asked for). */
  private static final class Id {
    static final String VALUE = randomUuid();
  }

  @Override
  public Resource createResource(ConfigProperties config) {
    if (config.getList("otel.java.disabled.resource.providers").contains(SDK_PROVIDER)) return Resource.empty();
    List<String> enabled = config.getList("otel.java.enabled.resource.providers");
    if (!enabled.isEmpty() && !enabled.contains(SDK_PROVIDER)) return Resource.empty();
    return Resource.create(Attributes.of(SERVICE_INSTANCE_ID, Id.VALUE), SCHEMA_URL);
  }

  @Override
  public int order() {
    return Integer.MIN_VALUE; // the SDK's provider's: every other resource merges over this one
  }

  static String id() {
    return Id.VALUE;
  }

  static String randomUuid() {
    byte[] b = new byte[16];
    if (!fromUrandom(b)) {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      long hi = random.nextLong() ^ System.nanoTime();
      long lo = random.nextLong();
      for (int i = 0; i < 8; i++) {
        b[i] = (byte) (hi >>> (8 * i));
        b[8 + i] = (byte) (lo >>> (8 * i));
      }
    }
    long msb = 0;
    long lsb = 0;
    for (int i = 0; i < 8; i++) msb = (msb << 8) | (b[i] & 0xff);
    for (int i = 8; i < 16; i++) lsb = (lsb << 8) | (b[i] & 0xff);
    msb = (msb & ~0xF000L) | 0x4000L; // version 4
    lsb = (lsb & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // the IETF variant
    return new UUID(msb, lsb).toString();
  }

  private static boolean fromUrandom(byte[] into) {
    try (DataInputStream in = new DataInputStream(new FileInputStream("/dev/urandom"))) {
      in.readFully(into);
      return true;
    } catch (Throwable none) {
      return false; // not a Unix, or not readable here
    }
  }
}
