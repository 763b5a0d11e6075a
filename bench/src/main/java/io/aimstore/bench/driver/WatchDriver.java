package io.aimstore.bench.driver;

/** Watches of single keys, many of them multiplexed over a few clients. */
public interface WatchDriver {

  /**
   * Opens {@code clients} new clients, each connected only to the member at {@code address} ({@code
   * host:port}), for watches registered with {@link Watchers#watch}.
   */
  Watchers watchers(String address, int clients) throws Exception;
}
