package dev.llmotel.hook.reactorobservation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llmotel.testkit.hook.AdviceChecks;
import dev.llmotel.testkit.hook.WovenHook;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Against Reactor's own classes with the advice woven in: code a source runs when subscribed sees the GenAI client
 * observation its subscriber's context holds as the current one (as Spring AI 2's streams need), and only that: another
 * observation, or none, leaves the subscription as it was; the scope is closed once the subscription call returns.
 */
class ReactorObservationHookTest {
  private static final ObservationRegistry REGISTRY = ObservationRegistry.create();

  @BeforeAll
  static void weave() {
    WovenHook.intoLibrary(ReactorObservationInstrumentation.class);
    REGISTRY.observationConfig().observationHandler(context -> true);
  }

  @Test
  void fluxCreateRunsUnderTheGenAiObservationOfItsContext() {
    Observation observation = Observation.start("gen_ai.client.operation", REGISTRY);
    AtomicReference<Observation> seen = new AtomicReference<>();
    List<String> items = Flux.<String>create(sink -> {
      seen.set(REGISTRY.getCurrentObservation());
      sink.next("a");
      sink.complete();
    }).contextWrite(ctx -> ctx.put("micrometer.observation", observation)).collectList().block();
    assertEquals(List.of("a"), items);
    assertSame(observation, seen.get());
    assertNull(REGISTRY.getCurrentObservation(), "the scope must be closed when the subscription returns");
    observation.stop();
  }

  /** {@code Mono.fromFuture(Supplier)} is {@code Mono.defer}: Spring AI 2's Anthropic stream starts there. */
  @Test
  void monoFromFutureSupplierRunsUnderTheGenAiObservationOfItsContext() {
    Observation observation = Observation.start("gen_ai.client.operation", REGISTRY);
    AtomicReference<Observation> seen = new AtomicReference<>();
    String value = Mono.fromFuture(() -> {
      seen.set(REGISTRY.getCurrentObservation());
      return CompletableFuture.completedFuture("b");
    }).contextWrite(ctx -> ctx.put("micrometer.observation", observation)).block();
    assertEquals("b", value);
    assertSame(observation, seen.get());
    assertNull(REGISTRY.getCurrentObservation());
    observation.stop();
  }

  @Test
  void anyOtherObservationIsLeftAsItIs() {
    Observation observation = Observation.start("http.client.requests", REGISTRY);
    AtomicReference<Observation> seen = new AtomicReference<>(observation);
    Flux.<String>create(sink -> {
      seen.set(REGISTRY.getCurrentObservation());
      sink.complete();
    }).contextWrite(ctx -> ctx.put("micrometer.observation", observation)).blockLast();
    assertNull(seen.get());
    observation.stop();
  }

  @Test
  void noObservationNothingOpened() {
    AtomicReference<Object> seen = new AtomicReference<>("unset");
    Mono.defer(() -> {
      seen.set(REGISTRY.getCurrentObservation());
      return Mono.just(1);
    }).block();
    assertNull(seen.get());
  }

  @Test
  void wovenWithoutErrorAndAdviceUsesOnlyJdkAndBridgeTypes() {
    Flux.create(sink -> sink.complete()).blockLast();
    Mono.defer(Mono::empty).block();
    WovenHook woven = WovenHook.intoLibrary(ReactorObservationInstrumentation.class);
    assertEquals(List.of(), woven.failures());
    assertTrue(woven.woven().containsAll(List.of("reactor.core.publisher.FluxCreate",
        "reactor.core.publisher.MonoDefer")), woven.woven().toString());
    AdviceChecks.assertOnlyJdkAndBridgeTypes(SubscribeAdvice.class);
  }
}
