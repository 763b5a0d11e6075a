package io.aimstore.server.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Who this member is, and how to reach every member: those of its configuration file, and those
 * added at run time (whose records in the store win over the file).
 */
public final class ClusterView {
  private final String clusterName;
  private final String selfName;
  private final Map<String, MemberEndpoints> configured;
  private final Supplier<Map<String, MemberEndpoints>> added;

  /**
   * @param clusterName names the cluster; its hash is the cluster id in every response header
   * @param selfName this member's name
   * @param configured the members of this member's configuration
   * @param added the members added at run time (see {@link AddedMembers})
   */
  public ClusterView(
      String clusterName,
      String selfName,
      Map<String, MemberEndpoints> configured,
      Supplier<Map<String, MemberEndpoints>> added) {
    this.clusterName = clusterName;
    this.selfName = selfName;
    this.configured = Map.copyOf(configured);
    this.added = added;
  }

  /** A view of the configured members only. */
  public ClusterView(String clusterName, String selfName, Map<String, MemberEndpoints> members) {
    this(clusterName, selfName, members, Map::of);
  }

  public String clusterName() {
    return clusterName;
  }

  public String selfName() {
    return selfName;
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
    MemberEndpoints m = added.get().get(name);
    return Optional.ofNullable(m != null ? m : configured.get(name));
  }

  /** Member names known here (configured or added), sorted. */
  public List<String> names() {
    TreeSet<String> names = new TreeSet<>(configured.keySet());
    names.addAll(added.get().keySet());
    return List.copyOf(names);
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
