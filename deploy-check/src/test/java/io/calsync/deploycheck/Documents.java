package io.calsync.deploycheck;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** YAML documents as plain maps and lists (SnakeYAML's safe constructor: no types from the text). */
final class Documents {

    private Documents() {}

    private static Yaml yaml() {
        return new Yaml(new SafeConstructor(new LoaderOptions()));
    }

    static Object loadOne(String text) {
        return yaml().load(text);
    }

    /** Every non-empty document of a multi-document stream that is a map (Kubernetes objects). */
    static List<Map<String, Object>> loadAll(String text) {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : yaml().loadAll(text)) {
            if (doc instanceof Map<?, ?> map) {
                docs.add(cast(map));
            } else if (doc != null) {
                throw new IllegalArgumentException("a document that is not a mapping: " + doc);
            }
        }
        return docs;
    }

    /** The value at a path of map keys; null when any step is missing. */
    static Object at(Object node, String... path) {
        Object current = node;
        for (String key : path) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(key);
        }
        return current;
    }

    static String string(Object node, String... path) {
        Object value = at(node, path);
        return value == null ? null : String.valueOf(value);
    }

    /** The node itself as a mapping. */
    static Map<String, Object> asMap(Object node) {
        if (!(node instanceof Map<?, ?> m)) {
            throw new IllegalArgumentException("not a mapping: " + node);
        }
        return cast(m);
    }

    static Map<String, Object> map(Object node, String... path) {
        return at(node, path) instanceof Map<?, ?> m ? cast(m) : Map.of();
    }

    static List<Map<String, Object>> maps(Object node, String... path) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (at(node, path) instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof Map<?, ?> m) {
                    out.add(cast(m));
                }
            }
        }
        return out;
    }

    static List<String> strings(Object node, String... path) {
        List<String> out = new ArrayList<>();
        if (at(node, path) instanceof List<?> list) {
            list.forEach(item -> out.add(String.valueOf(item)));
        }
        return out;
    }

    static String kind(Map<String, Object> doc) {
        return string(doc, "kind");
    }

    static String name(Map<String, Object> doc) {
        return string(doc, "metadata", "name");
    }

    static List<Map<String, Object>> ofKind(List<Map<String, Object>> docs, String kind) {
        return docs.stream().filter(d -> kind.equals(kind(d))).toList();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    /** A KEY=VALUE file as kustomize's configMapGenerator reads it: blank lines and # comments skipped. */
    static Map<String, String> envFile(String text) {
        Map<String, String> data = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            int eq = l.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("not KEY=VALUE: " + l);
            }
            data.put(l.substring(0, eq), l.substring(eq + 1));
        }
        return data;
    }
}
