/**
 * The bridge between inlined advice and the agent.
 *
 * <p>These classes are defined in the bootstrap class loader at start-up (the installer's {@code BootstrapBridge}), so
 * advice inlined into any class, including JDK classes such as {@code jdk.internal.net.http.HttpClientImpl}, can reach
 * them. They reference JDK types only. Each hook type is a static, volatile slot that the agent fills once installed;
 * advice checks for {@code null} and does nothing while the slot is empty.
 */
package dev.llmotel.bootstrap;
