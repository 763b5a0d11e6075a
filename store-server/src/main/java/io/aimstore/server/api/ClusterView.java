package io.aimstore.server.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who this member is, and every member's endpoints, as configured.
 *
 * @param clusterName names the cluster; its hash is the cluster id in every response header
 * @param selfName this member's name
 * @param members every member, in configuration order
 */
public record ClusterView(
    String clusterName, String selfName, Map<String, MemberEndpoints> members) {

  public ClusterView {
    members = Map.copyOf(members);
  }

  public long clusterId() {
    return hash("cluster:" + clusterName);
  }

  public long memberId(String name) {
    return hash("member:" + clusterName + "/" + name);
  }

  public long selfId() {
    return memberId(selfName);
  }

  public Optional<MemberEndpoints> member(String name) {
    return Optional.ofNullable(members.get(name));
  }

  /** Member names, sorted. */
  public List<String> names() {
    return members.keySet().stream().sorted().toList();
  }

  private static long hash(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      long v = 0;
      for (int i = 0; i < 8; i++) {
        v = (v << 8) | (d[i] & 0xFF);
      }
      return v & Long.MAX_VALUE;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
