package dev.llmotel.exchange;

/** Opens a traced {@link RpcCall} for a request an SDK hook saw, or declines it. */
public interface RpcCallFactory {
  /** @return the call, or null when it is not traced */
  RpcCall begin(RpcRequest request);
}
