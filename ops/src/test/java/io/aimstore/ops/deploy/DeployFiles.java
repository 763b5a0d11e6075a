package io.aimstore.ops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The files under ops/deploy and ops/observe, read by path from the repository root (tests of the
 * ops module run in {@code ops/}), and the Kubernetes objects of ops/deploy/k8s as parsed YAML.
 */
final class DeployFiles {
  static final Path ROOT = Path.of("..");
  static final Path K8S = ROOT.resolve("ops/deploy/k8s");
  static final Path SYSTEMD_UNIT = ROOT.resolve("ops/deploy/systemd/aimstore.service");
  static final Path CONF_EXAMPLE = ROOT.resolve("ops/deploy/aimstore.conf.example");
  static final Path DOCKERFILE = K8S.resolve("Dockerfile");
  static final Path DASHBOARD = ROOT.resolve("ops/observe/aimstore-dashboard.json");
  static final Path ALERT_RULES = ROOT.resolve("ops/observe/aimstore-alerts.yml");
  static final Path SCRAPE_CONFIG = ROOT.resolve("ops/observe/prometheus-scrape.yml");
  static final Path OPERATIONS = ROOT.resolve("docs/operations.md");

  private DeployFiles() {}

  /** Every document of a YAML file (several when separated by ---), as maps and lists. */
  static List<Object> yamlDocuments(Path file) {
    List<Object> out = new ArrayList<>();
    for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(read(file))) {
      if (doc != null) {
        out.add(doc);
      }
    }
    return out;
  }

  /** The one document of a YAML file, as a map. */
  static Map<String, Object> yaml(Path file) {
    List<Object> docs = yamlDocuments(file);
    assertThat(docs).as("documents in %s", file).hasSize(1);
    return map(docs.get(0));
  }

  /** The YAML manifests of ops/deploy/k8s. */
  static List<Path> manifests() {
    try (Stream<Path> files = Files.list(K8S)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every Kubernetes object of ops/deploy/k8s. */
  static List<Map<String, Object>> objects() {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Path f : manifests()) {
      for (Object doc : yamlDocuments(f)) {
        out.add(map(doc));
      }
    }
    return out;
  }

  /** The one object of {@code kind} named {@code name}. */
  static Map<String, Object> object(String kind, String name) {
    List<Map<String, Object>> found =
        objects().stream()
            .filter(o -> kind.equals(o.get("kind")) && name.equals(at(o, "metadata", "name")))
            .toList();
    assertThat(found).as("%s %s in %s", kind, name, K8S).hasSize(1);
    return found.get(0);
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The value at a path of map keys; null where the path ends early. */
  static Object at(Object node, String... keys) {
    Object n = node;
    for (String k : keys) {
      if (!(n instanceof Map<?, ?> m)) {
        return null;
      }
      n = m.get(k);
    }
    return n;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object node) {
    assertThat(node).isInstanceOf(Map.class);
    return (Map<String, Object>) node;
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object node) {
    assertThat(node).isInstanceOf(List.class);
    return (List<Object>) node;
  }

  /** The entry of a list of maps whose {@code key} is {@code value}. */
  static Map<String, Object> named(Object listNode, String key, Object value) {
    List<Map<String, Object>> found =
        list(listNode).stream()
            .map(DeployFiles::map)
            .filter(m -> value.equals(m.get(key)))
            .toList();
    assertThat(found).as("an entry with %s = %s in %s", key, value, listNode).hasSize(1);
    return found.get(0);
  }
}
